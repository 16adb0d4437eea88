/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error */
// MCP step of the e2e test: the example workflow examples/mcp-server-task-results.json (MCP Server Trigger +
// four Bitrix24 Tasks tools whose inputs come from $fromAI) is published headless, `n8n start` serves it at
// /mcp/<path>, and a real MCP client (@modelcontextprotocol/sdk, streamable HTTP) lists and calls the tools
// the way an agent would — right and wrong — while every answer is checked against the sandbox portal.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { DEFAULT_OAUTH_APP, DEFAULT_WEBHOOK, type Sandbox } from '../../test/sandbox';
import { check, log, n8n, startN8nServer, type N8nInstall, type N8nServer } from './common';
import { MCP_TASKS_WORKFLOW_ID, runTaskMcpChecks } from './tasks';

export const MCP_WORKFLOW_ID = 'b24McpServer01';
/** test/e2e/workflows/mcp-oauth-revoked.json: one tool over the OAuth2 credential */
const MCP_OAUTH_WORKFLOW_ID = 'e2eMcpOAuth01';
export const MCP_WORKFLOW_IDS = [MCP_WORKFLOW_ID, MCP_OAUTH_WORKFLOW_ID, MCP_TASKS_WORKFLOW_ID];
const MCP_PATH = 'bitrix24-task-results';
const MCP_OAUTH_PATH = 'bitrix24-oauth2';
const CALL_TIMEOUT_MS = 90_000;

const TOOLS = {
	list: 'list_task_results',
	create: 'create_task_result',
	update: 'update_task_result',
	delete: 'delete_task_result',
} as const;

interface ToolAnswer {
	isError: boolean;
	text: string;
	json?: unknown;
	ms: number;
}

type SchemaProps = Record<string, { type?: string; description?: string }>;

/** The MCP step for one n8n version: publish, start, connect, list and call the tools, check the portal. */
export async function runMcpChecks(install: N8nInstall, sandbox: Sandbox): Promise<void> {
	const v = install.version;
	const t0 = Date.now();
	for (const id of MCP_WORKFLOW_IDS) {
		const p = await n8n(install, ['publish:workflow', `--id=${id}`]);
		if (
			!check(
				p.code === 0 && /Publishing workflow/.test(p.stdout + p.stderr),
				`mcp: n8n ${v} publish:workflow --id=${id} exit 0 (${p.ms} ms)`,
				p.stdout + p.stderr,
			)
		)
			return;
	}

	let server: N8nServer | undefined;
	let client: Client | undefined;
	let oauthClient: Client | undefined;
	const answers: string[] = [];
	let calls = 0;
	try {
		server = await startN8nServer(install, 'mcp');
		const url = new URL(`${server.base}/mcp/${MCP_PATH}`);
		client = await connectWhenRegistered(url);
		check(true, `mcp: MCP client connected to ${url.pathname} over streamable HTTP`);
		const mcp = client;

		const call = async (name: string, args: Record<string, unknown>): Promise<ToolAnswer> => {
			const started = Date.now();
			calls++;
			const r = (await withTimeout(
				mcp.callTool({ name, arguments: args }),
				`callTool ${name}`,
			)) as { isError?: boolean; content?: Array<{ type: string; text?: string }> };
			const text = (r.content ?? []).map((c) => c.text ?? '').join('\n');
			answers.push(text);
			let json: unknown;
			try {
				json = JSON.parse(text);
			} catch {
				// not JSON
			}
			const answer = { isError: r.isError === true, text, json, ms: Date.now() - started };
			log(
				`  call ${name} ${JSON.stringify(args)} → ${answer.isError ? 'isError ' : ''}${text.slice(0, 400)} (${answer.ms} ms)`,
			);
			return answer;
		};
		/** after a bad call the session must still work: list the tools again */
		const sessionAlive = async (after: string) => {
			const { tools } = await withTimeout(mcp.listTools(), 'listTools');
			check(tools.length === 4, `mcp: the session survives ${after} (listTools answers, 4 tools)`);
		};

		// --- listTools: names, descriptions an agent can act on, typed input schemas
		const { tools } = await withTimeout(mcp.listTools(), 'listTools');
		log(`  listTools: ${JSON.stringify(tools, null, 1).slice(0, 4000)}`);
		const byName = new Map(tools.map((t) => [t.name, t]));
		check(
			Object.values(TOOLS).every((n) => byName.has(n)) && tools.length === 4,
			`mcp: listTools returns exactly ${Object.values(TOOLS).join(', ')}`,
			tools.map((t) => t.name),
		);
		const props = (name: string): SchemaProps =>
			(byName.get(name)?.inputSchema?.properties ?? {}) as SchemaProps;
		const required = (name: string): string[] =>
			(byName.get(name)?.inputSchema?.required as string[] | undefined) ?? [];
		const desc = (name: string) => byName.get(name)?.description ?? '';
		check(
			/permanently/i.test(desc(TOOLS.delete)) &&
				/cannot be undone/i.test(desc(TOOLS.delete)) &&
				/not the task ID/i.test(desc(TOOLS.delete)) &&
				/author/i.test(desc(TOOLS.delete)),
			'mcp: delete_task_result says it is permanent, that the ID is the result ID (not the task ID), and that only the author may delete',
			desc(TOOLS.delete),
		);
		check(
			/task's ID/i.test(desc(TOOLS.create)) && /requestKey/.test(desc(TOOLS.create)),
			'mcp: create_task_result explains taskId and the retry-safe requestKey',
			desc(TOOLS.create),
		);
		check(
			/result ID/i.test(desc(TOOLS.list)) && /taskId/.test(desc(TOOLS.list)),
			'mcp: list_task_results explains what it returns and which ID is which',
			desc(TOOLS.list),
		);
		const typed = (name: string, want: Record<string, string>) =>
			Object.entries(want).every(([k, t]) => props(name)[k]?.type === t) &&
			Object.keys(props(name)).length === Object.keys(want).length &&
			Object.keys(want).every((k) => required(name).includes(k)) &&
			Object.keys(want).every((k) => (props(name)[k]?.description ?? '').length > 10);
		check(
			typed(TOOLS.delete, { resultId: 'number' }) &&
				typed(TOOLS.update, { resultId: 'number', text: 'string' }) &&
				typed(TOOLS.create, { taskId: 'number', text: 'string', requestKey: 'string' }) &&
				typed(TOOLS.list, { taskId: 'number' }),
			'mcp: input schemas are typed (IDs number, text string), required and described',
			tools.map((t) => ({ name: t.name, schema: t.inputSchema })),
		);

		const results = sandbox.state.results;
		let count = results.size;
		// n8n answers a tool call with the node's output items' JSON: an array (one element per item)
		const one = (x: ToolAnswer) =>
			(Array.isArray(x.json) && x.json.length === 1 ? x.json[0] : undefined) as
				| Record<string, unknown>
				| undefined;
		const textsOf = (text: string) => [...results.values()].filter((r) => r.text === text);

		// 1. list: what the portal holds for task 51
		let a = await call(TOOLS.list, { taskId: 51 });
		const listed = (Array.isArray(a.json) ? a.json : [a.json]) as Array<Record<string, unknown>>;
		const onPortal = [...results.values()].filter((r) => r.taskId === 51).map((r) => r.id);
		check(
			!a.isError &&
				listed.length === onPortal.length &&
				onPortal.every((id) => listed.some((x) => x.id === id)),
			`mcp: list_task_results {taskId: 51} returns the portal's ${onPortal.length} results of task 51 (${onPortal.join(', ')})`,
			a.text,
		);

		// 2. create
		const createText = 'MCP agent: delivery booked for Friday';
		a = await call(TOOLS.create, { taskId: 52, text: createText, requestKey: 'delivery-booked' });
		const created = one(a);
		const createdRow = textsOf(createText);
		check(
			!a.isError &&
				createdRow.length === 1 &&
				created?.id === createdRow[0].id &&
				createdRow[0].taskId === 52 &&
				createdRow[0].authorId === DEFAULT_WEBHOOK.userId,
			'mcp: create_task_result adds one result to task 52 on the portal and returns it',
			{ answer: a.text, portal: createdRow },
		);
		check(
			a.text.length < 600 && !a.text.includes('\n  '),
			`mcp: the answer is compact JSON (${a.text.length} characters)`,
			a.text,
		);

		// 3. the same create again in the same agent turn: replayed by the portal, not done twice
		const replaysBefore = sandbox.counters.idempotentReplays;
		a = await call(TOOLS.create, { taskId: 52, text: createText, requestKey: 'delivery-booked' });
		check(
			!a.isError &&
				one(a)?.id === created?.id &&
				created?.id !== undefined &&
				textsOf(createText).length === 1 &&
				sandbox.counters.idempotentReplays === replaysBefore + 1,
			'mcp: a repeated identical create (same requestKey) returns the first result; the portal still holds one',
			{
				answer: a.text,
				portal: textsOf(createText).length,
				replays: sandbox.counters.idempotentReplays,
			},
		);

		const createCalls = sandbox.requests.filter(
			(r) =>
				r.restMethod === 'tasks.task.result.add' && JSON.stringify(r.body).includes(createText),
		);
		const keys = createCalls.map((r) => String(r.headers['idempotency-key'] ?? ''));
		check(
			keys.length === 2 && /^n8n-k1-[0-9a-f]{64}$/.test(keys[0]) && keys[0] === keys[1],
			'mcp: both create calls (two executions) sent the same Idempotency-Key, derived from requestKey',
			keys,
		);

		// 3b. the same requestKey for a different text: refused, nothing created
		count = results.size;
		a = await call(TOOLS.create, {
			taskId: 52,
			text: 'MCP agent: a different result',
			requestKey: 'delivery-booked',
		});
		check(
			a.isError && /requestKey|Idempotency Key/i.test(a.text) && results.size === count,
			'mcp: reusing a requestKey for a different text is a tool error that says to use a new key; nothing created',
			a.text,
		);
		await sessionAlive('a reused requestKey');

		// 4. update
		a = await call(TOOLS.update, { resultId: 32, text: 'MCP agent: supplier confirmed twice' });
		check(
			!a.isError &&
				results.get(32)?.text === 'MCP agent: supplier confirmed twice' &&
				one(a)?.id === 32,
			'mcp: update_task_result changes the text of result 32 on the portal',
			{ answer: a.text, portal: results.get(32) },
		);

		// 5. delete
		a = await call(TOOLS.delete, { resultId: 30 });
		check(
			!a.isError && !results.has(30) && a.text === JSON.stringify([{ id: 30, deleted: true }]),
			'mcp: delete_task_result {resultId: 30} removes result 30 from the portal and answers [{"id":30,"deleted":true}]',
			a.text,
		);

		// 6. mistake: a non-numeric ID
		count = results.size;
		a = await call(TOOLS.delete, { resultId: 'the last one' });
		check(
			a.isError && /resultId|number/i.test(a.text) && results.size === count,
			'mcp: a non-numeric resultId is a tool error naming the field and the expected number; nothing deleted',
			a.text,
		);
		await sessionAlive('a non-numeric ID');

		// 7. mistake: an ID that is a number but not a valid one
		a = await call(TOOLS.update, { resultId: 0, text: 'x' });
		check(
			a.isError && /Result ID/i.test(a.text) && results.size === count,
			'mcp: resultId 0 is a tool error that names the Result ID; nothing changed',
			a.text,
		);
		await sessionAlive('an invalid ID');

		// 8. mistake: somebody else's result
		a = await call(TOOLS.delete, { resultId: 31 });
		check(
			a.isError &&
				/access denied/i.test(a.text) &&
				/only by their author/i.test(a.text) &&
				/HTTP 403/.test(a.text) &&
				results.has(31),
			'mcp: deleting a result of user 2 is a tool error (HTTP 403) with the "only by their author" hint; 31 is kept',
			a.text,
		);
		await sessionAlive('an access-denied call');

		// 9. mistake: a task that does not exist
		count = results.size;
		a = await call(TOOLS.create, { taskId: 999999, text: 'lost', requestKey: 'lost-1' });
		check(
			a.isError && /not found|does not exist/i.test(a.text) && results.size === count,
			'mcp: create on task 999999 is a tool error saying the task was not found; nothing created',
			a.text,
		);
		await sessionAlive('a missing task');

		// 10. rate limit: two 503 QUERY_LIMIT_EXCEEDED answers are absorbed by the node's back-off
		const limitedText = 'MCP agent: created through a rate limit';
		const faultsBefore = sandbox.counters.faultsInjected.status ?? 0;
		sandbox.injectFault(
			{
				kind: 'status',
				status: 503,
				body: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' },
			},
			{ restMethod: 'tasks.task.result.add', times: 2 },
		);
		a = await call(TOOLS.create, { taskId: 51, text: limitedText, requestKey: 'rate-limited-1' });
		const injected = (sandbox.counters.faultsInjected.status ?? 0) - faultsBefore;
		check(
			!a.isError && textsOf(limitedText).length === 1 && injected === 2,
			`mcp: a rate limit (2 × 503 QUERY_LIMIT_EXCEEDED) is absorbed: the call succeeds, one result created (${a.ms} ms)`,
			{ answer: a.text, injected, portal: textsOf(limitedText) },
		);
		const limitedKeys = new Set(
			sandbox.requests
				.filter((r) => JSON.stringify(r.body).includes(limitedText))
				.map((r) => String(r.headers['idempotency-key'] ?? '')),
		);
		check(
			limitedKeys.size === 1,
			'mcp: the retries after the rate limit carried one Idempotency-Key (a retry is never a second create)',
			[...limitedKeys],
		);
		sandbox.clearFaults();

		// 11. a revoked webhook: Bitrix24 answers 401 INVALID_CREDENTIALS
		sandbox.injectFault(
			{
				kind: 'status',
				status: 401,
				body: { error: 'INVALID_CREDENTIALS', error_description: 'Invalid request credentials' },
			},
			{ restMethod: 'tasks.task.result.list', times: 1 },
		);
		a = await call(TOOLS.list, { taskId: 51 });
		check(
			a.isError && /credentials/i.test(a.text) && /new webhook|reconnect/i.test(a.text),
			'mcp: a revoked credential is a tool error that says to create a new webhook / reconnect',
			a.text,
		);
		sandbox.clearFaults();
		await sessionAlive('a revoked credential');

		// 12. a good call after all the bad ones
		a = await call(TOOLS.list, { taskId: 52 });
		const on52 = [...results.values()].filter((r) => r.taskId === 52).map((r) => r.id);
		check(
			!a.isError &&
				Array.isArray(a.json) &&
				(a.json as Array<Record<string, unknown>>).length === on52.length,
			`mcp: list_task_results {taskId: 52} still works after the bad calls (${on52.length} results)`,
			a.text,
		);

		// 13. mistake: a task the credential's user cannot see (task 53 belongs to user 2 only)
		a = await call(TOOLS.list, { taskId: 53 });
		check(
			a.isError && /access denied/i.test(a.text) && /access to the task/i.test(a.text),
			'mcp: listing a task of another user is a tool error that says the user needs access to the task',
			a.text,
		);
		await sessionAlive('a task without access');

		// 14. a revoked OAuth2 credential: the access token expired and the refresh token no longer works
		oauthClient = await connectWhenRegistered(new URL(`${server.base}/mcp/${MCP_OAUTH_PATH}`));
		const oauth = oauthClient;
		const callOAuth = async (args: Record<string, unknown>) => {
			calls++;
			const r = (await withTimeout(
				oauth.callTool({ name: TOOLS.list, arguments: args }),
				'callTool (OAuth2)',
			)) as { isError?: boolean; content?: Array<{ type: string; text?: string }> };
			const text = (r.content ?? []).map((c) => c.text ?? '').join('\n');
			answers.push(text);
			log(
				`  call ${TOOLS.list} (OAuth2) ${JSON.stringify(args)} → ${r.isError ? 'isError ' : ''}${text.slice(0, 400)}`,
			);
			return { isError: r.isError === true, text };
		};
		let o = await callOAuth({ taskId: 52 });
		check(
			!o.isError && o.text.startsWith('['),
			'mcp: the OAuth2 tool lists task 52 while the credential is valid',
			o.text,
		);
		sandbox.expireAccessTokens();
		sandbox.revokeRefreshTokens();
		const refreshesBefore = sandbox.counters.tokenRefreshes;
		o = await callOAuth({ taskId: 52 });
		check(
			o.isError && /refresh token/i.test(o.text) && /reconnect/i.test(o.text),
			'mcp: with the refresh token revoked the tool error says to reconnect the credential',
			o.text,
		);
		check(
			sandbox.counters.tokenRefreshes === refreshesBefore,
			'mcp: no token was issued after the revocation (the refresh was refused)',
			sandbox.counters.tokenRefreshes - refreshesBefore,
		);
		const { tools: oauthTools } = await withTimeout(oauth.listTools(), 'listTools (OAuth2)');
		check(oauthTools.length === 1, 'mcp: the OAuth2 session survives the revoked credential');

		// the Task resource's tools (examples/mcp-server-tasks.json)
		await runTaskMcpChecks(server.base, sandbox, connectWhenRegistered, answers);

		// no secret in any answer
		const secrets = [
			DEFAULT_WEBHOOK.code,
			DEFAULT_OAUTH_APP.clientSecret,
			...sandbox.requests.map((r) => r.query.auth).filter(Boolean),
			...sandbox.requests
				.map((r) => (r.body as Record<string, unknown> | undefined)?.refresh_token)
				.filter((x): x is string => typeof x === 'string'),
		];
		const leaked = secrets.filter((s) => answers.some((t) => t.includes(s)));
		check(
			leaked.length === 0,
			`mcp: no webhook code or token in any of the ${answers.length} tool answers`,
			leaked,
		);
		log(`mcp: ${calls} tool calls in ${((Date.now() - t0) / 1000).toFixed(1)} s (with n8n start)`);
	} catch (error) {
		check(
			false,
			`mcp: n8n ${v} MCP step crashed`,
			`${(error as Error).stack}\n--- n8n start log (tail) ---\n${server?.output().slice(-4000) ?? ''}`,
		);
	} finally {
		await client?.close().catch(() => undefined);
		await oauthClient?.close().catch(() => undefined);
		await server?.stop();
	}
}

/**
 * n8n 2.41 logs "Editor is now accessible" before a published workflow's MCP webhooks are always
 * registered (seen about every other start): until then POST /mcp/<path> answers 404 "not registered".
 * Poll the MCP handshake until the endpoint exists; any other failure, or 60 s of 404s, ends the step.
 */
async function connectWhenRegistered(url: URL): Promise<Client> {
	const t0 = Date.now();
	for (let attempt = 1; ; attempt++) {
		const client = new Client({ name: 'b24-e2e-agent', version: '1.0.0' });
		try {
			await withTimeout(client.connect(new StreamableHTTPClientTransport(url)), 'MCP connect');
			if (attempt > 1)
				log(`mcp: the MCP endpoint answered after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
			return client;
		} catch (error) {
			await client.close().catch(() => undefined);
			const message = (error as Error).message;
			if (!/not registered|\b404\b/.test(message)) throw error;
			if (Date.now() - t0 > 60_000)
				throw new Error(`${url.pathname} still not registered after 60 s: ${message}`);
			if (attempt === 1) log(`mcp: ${url.pathname} not registered yet (404); polling`);
			await new Promise((r) => setTimeout(r, 500));
		}
	}
}

async function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(
			() => reject(new Error(`${what}: no answer within ${CALL_TIMEOUT_MS / 1000} s`)),
			CALL_TIMEOUT_MS,
		);
	});
	try {
		return await Promise.race([promise, timeout]);
	} finally {
		clearTimeout(timer);
	}
}
