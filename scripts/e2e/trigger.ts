/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
// The trigger step: both trigger nodes in ACTIVE workflows of a running n8n (`n8n start`) against the
// sandbox. Polling: 3 results added on 2 watched tasks start exactly 3 items (each once), a restart of
// n8n starts none again. Event trigger: an event posted to the production webhook with the outgoing
// webhook's token starts one execution, a forged one gets 401 and starts none; the OAuth2 trigger binds
// its events on activation (event.get + event.bind seen by the sandbox), does not bind twice after a
// restart, and unbinds on deactivation (REST deactivate → event.unbind). The tokens live in the two
// credentials this step imports; the exported workflows hold none.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DEFAULT_OAUTH_APP, type Sandbox } from '../../test/sandbox';
import { APP_APPLICATION_TOKEN, OUTGOING_WEBHOOK_TOKEN } from '../../test/sandbox/events';
import { OWNER } from './browser';
import {
	check,
	log,
	n8n,
	startN8nServer,
	WEBHOOK_CRED,
	type N8nInstall,
	type N8nServer,
} from './common';

const WATCHED = [801, 802];
const SINK = 803;
const POLL_ID = 'e2eTrigPoll01';
const EVENT_ID = 'e2eTrigEvent01';
const BIND_ID = 'e2eTrigBind01';
const EVENT_HOOK = 'e2e-b24-events-0001';
const BIND_HOOK = 'e2e-b24-bind-0001';
/** one poll tick is at most a minute apart (n8n's minimum); this waits a little more */
const TICK_MS = 75_000;
/** its own OAuth2 credential: earlier steps revoke the shared one's tokens on purpose */
const OAUTH_CRED = { id: 'b24OAuth2Trig01', name: 'Bitrix24 OAuth2 (trigger step)' };
/** the event trigger's webhook credential: it carries the outgoing webhook's application token */
const EVENT_WEBHOOK_CRED = { id: 'b24WebhookTrig01', name: 'Bitrix24 webhook (event trigger)' };

/** A downstream Bitrix24 Tasks node that writes one result on the sink task per item: the sandbox counts them. */
function recordNode(text: string) {
	return {
		id: 'record',
		name: 'Record',
		type: 'n8n-nodes-bitrix24-tasks.bitrix24Tasks',
		typeVersion: 1,
		position: [240, 0],
		parameters: {
			authentication: 'webhook',
			resource: 'taskResult',
			operation: 'create',
			taskId: { __rl: true, mode: 'id', value: String(SINK) },
			text,
		},
		credentials: { bitrix24WebhookApi: WEBHOOK_CRED },
	};
}

function triggerWorkflow(id: string, trigger: Record<string, unknown>, record?: string) {
	const nodes: unknown[] = [{ ...trigger, position: [0, 0], typeVersion: 1 }];
	const connections: Record<string, unknown> = {};
	if (record) {
		nodes.push(recordNode(record));
		connections[trigger.name as string] = {
			main: [[{ node: 'Record', type: 'main', index: 0 }]],
		};
	}
	return { id, name: id, active: false, nodes, connections, settings: {}, pinData: {} };
}

const WORKFLOWS = [
	triggerWorkflow(
		POLL_ID,
		{
			id: 'poll',
			name: 'Bitrix24 Tasks Trigger',
			type: 'n8n-nodes-bitrix24-tasks.bitrix24TasksTrigger',
			parameters: {
				pollTimes: { item: [{ mode: 'everyMinute' }] },
				authentication: 'webhook',
				watch: 'taskIds',
				taskIds: WATCHED.join(', '),
			},
			credentials: { bitrix24WebhookApi: WEBHOOK_CRED },
		},
		'=seen {{ $json.id }} on {{ $json.taskId }}',
	),
	triggerWorkflow(
		EVENT_ID,
		{
			id: 'events',
			name: 'Bitrix24 Tasks Event Trigger',
			type: 'n8n-nodes-bitrix24-tasks.bitrix24TasksEventTrigger',
			webhookId: EVENT_HOOK,
			parameters: { authentication: 'webhook', events: ['ONTASKADD'] },
			credentials: { bitrix24WebhookApi: EVENT_WEBHOOK_CRED },
		},
		'=event {{ $json.event }} {{ $json.taskId }}',
	),
	triggerWorkflow(BIND_ID, {
		id: 'bind',
		name: 'Bitrix24 Tasks Event Trigger',
		type: 'n8n-nodes-bitrix24-tasks.bitrix24TasksEventTrigger',
		webhookId: BIND_HOOK,
		parameters: { authentication: 'oAuth2', events: ['ONTASKADD', 'ONTASKUPDATE'] },
		credentials: { bitrix24OAuth2Api: OAUTH_CRED },
	}),
];

const sinkTexts = (sandbox: Sandbox, prefix: string) =>
	[...sandbox.state.results.values()]
		.filter((result) => result.taskId === SINK && result.text.startsWith(prefix))
		.map((result) => result.text)
		.sort();

async function waitFor(condition: () => boolean, ms: number): Promise<boolean> {
	const until = Date.now() + ms;
	while (Date.now() < until) {
		if (condition()) return true;
		await new Promise((r) => setTimeout(r, 500));
	}
	return condition();
}

/** A result added on the portal "by someone": the next free ID, as Bitrix24 would give it. */
function addResult(sandbox: Sandbox, taskId: number): number {
	const id = Math.max(0, ...sandbox.state.results.keys()) + 1;
	sandbox.seed({ results: [{ id, taskId, text: `e2e trigger ${id}`, authorId: 1 }] });
	return id;
}

/** Signs in as the owner (creating it when the browser step did not): the REST cookie + browser id. */
async function signIn(base: string): Promise<Record<string, string>> {
	const browserId = 'e2e-trigger-browser';
	const headers = { 'content-type': 'application/json', 'browser-id': browserId };
	let response = await fetch(`${base}/rest/owner/setup`, {
		method: 'POST',
		headers,
		body: JSON.stringify(OWNER),
	});
	if (!response.ok)
		response = await fetch(`${base}/rest/login`, {
			method: 'POST',
			headers,
			body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
		});
	const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
	check(response.ok && cookie, `trigger: signed in to the REST API (HTTP ${response.status})`);
	return { ...headers, cookie };
}

export async function runTriggerChecks(install: N8nInstall, sandbox: Sandbox): Promise<void> {
	const v = install.version;
	sandbox.seed({
		tasks: [...WATCHED, SINK].map((id) => ({
			id,
			title: `e2e trigger task ${id}`,
			memberIds: [1],
		})),
	});
	const work = mkdtempSync(join(tmpdir(), 'b24-e2e-trigger-'));
	let server: N8nServer | undefined;
	try {
		const credentialFile = join(work, 'credentials.json');
		writeFileSync(
			credentialFile,
			JSON.stringify([
				{
					...OAUTH_CRED,
					type: 'bitrix24OAuth2Api',
					data: {
						portalUrl: sandbox.url,
						clientId: DEFAULT_OAUTH_APP.clientId,
						clientSecret: DEFAULT_OAUTH_APP.clientSecret,
						accessTokenUrl: sandbox.tokenUrl,
						portalPlan: 'none',
						oauthTokenData: sandbox.issueTokens({ userId: 1 }),
						applicationToken: APP_APPLICATION_TOKEN,
					},
				},
				{
					...EVENT_WEBHOOK_CRED,
					type: 'bitrix24WebhookApi',
					data: {
						webhookUrl: sandbox.webhookUrl(),
						portalPlan: 'none',
						applicationToken: OUTGOING_WEBHOOK_TOKEN,
					},
				},
			]),
		);
		const credential = await n8n(install, ['import:credentials', `--input=${credentialFile}`]);
		check(
			credential.code === 0,
			`trigger: n8n ${v} import:credentials (OAuth2 with fresh tokens, webhook; both with an application token)`,
			credential.stderr,
		);
		for (const workflow of WORKFLOWS) {
			const file = join(work, `${workflow.id}.json`);
			writeFileSync(file, JSON.stringify(workflow));
			const imported = await n8n(install, ['import:workflow', `--input=${file}`]);
			check(imported.code === 0, `trigger: n8n ${v} import ${workflow.id}`, imported.stderr);
			const published = await n8n(install, ['publish:workflow', `--id=${workflow.id}`]);
			check(
				published.code === 0,
				`trigger: n8n ${v} publish:workflow ${workflow.id}`,
				published.stderr,
			);
		}
		const exportFile = join(work, 'exported.json');
		const exported = await n8n(install, ['export:workflow', '--all', `--output=${exportFile}`]);
		const exportedText = exported.code === 0 ? readFileSync(exportFile, 'utf8') : '';
		check(
			exportedText.includes(EVENT_HOOK) &&
				[OUTGOING_WEBHOOK_TOKEN, APP_APPLICATION_TOKEN].every((t) => !exportedText.includes(t)) &&
				!exportedText.includes('applicationToken'),
			`trigger: n8n ${v} export:workflow holds the event triggers but no application token`,
			exported.stderr,
		);
		sandbox.reset();
		server = await startN8nServer(install, 'trigger');
		const bindUrl = `${server.base}/webhook/${BIND_HOOK}/webhook`;

		// activation: the OAuth2 trigger asked event.get, then bound both events to its production URL
		check(
			await waitFor(() => sandbox.events.bindings.length === 2, 30_000),
			'trigger: activation bound ONTASKADD and ONTASKUPDATE (event.bind seen by the sandbox)',
			sandbox.events.calls,
		);
		check(
			sandbox.events.bindings.every((binding) => binding.handler === bindUrl),
			`trigger: the handler is the production URL ${bindUrl}`,
			sandbox.events.bindings,
		);

		// polling: the activation poll started from now; 3 results on 2 watched tasks → exactly 3 items
		await new Promise((r) => setTimeout(r, 3_000));
		const added = [
			addResult(sandbox, WATCHED[0]),
			addResult(sandbox, WATCHED[1]),
			addResult(sandbox, WATCHED[0]),
		];
		const expected = added
			.map((id, i) => `seen ${id} on ${[WATCHED[0], WATCHED[1], WATCHED[0]][i]}`)
			.sort();
		const gotThree = await waitFor(() => sinkTexts(sandbox, 'seen ').length >= 3, TICK_MS);
		check(
			gotThree,
			'trigger: 3 results added on 2 watched tasks reached the workflow',
			sinkTexts(sandbox, 'seen '),
		);

		// the production webhook: the right token starts one execution, a forged one gets 401 and starts none
		const good = await sandbox.events.post(
			`${server.base}/webhook/${EVENT_HOOK}/webhook`,
			'ONTASKADD',
			{ after: { ID: WATCHED[0] } },
			{ token: OUTGOING_WEBHOOK_TOKEN, handlerId: 975 },
		);
		const forged = await sandbox.events.post(
			`${server.base}/webhook/${EVENT_HOOK}/webhook`,
			'ONTASKADD',
			{ after: { ID: WATCHED[1] } },
			{ token: 'forged-token' },
		);
		check(
			good.status === 200,
			`trigger: an event with the outgoing webhook's token is accepted (HTTP ${good.status})`,
		);
		check(
			forged.status === 401,
			`trigger: a forged event is refused with 401 (HTTP ${forged.status})`,
		);
		const fired = await sandbox.events.fire('ONTASKUPDATE', {
			before: { ID: WATCHED[0] },
			after: { ID: WATCHED[0] },
		});
		check(
			fired.length === 1 && fired[0].status === 200,
			'trigger: the portal delivers a bound event to the OAuth2 trigger (HTTP 200)',
			fired,
		);
		await waitFor(() => sinkTexts(sandbox, 'event ').length >= 1, 15_000);
		await new Promise((r) => setTimeout(r, 3_000));
		check(
			JSON.stringify(sinkTexts(sandbox, 'event ')) ===
				JSON.stringify([`event ONTASKADD ${WATCHED[0]}`]),
			'trigger: exactly one execution from the event webhook, none from the forged call',
			sinkTexts(sandbox, 'event '),
		);

		// restart on the same port (same production URLs): cursors and bindings come back from the
		// database; a full tick later nothing was started again
		const port = Number(new URL(server.base).port);
		await server.stop();
		server = undefined;
		sandbox.events.reset();
		server = await startN8nServer(install, 'trigger (restart)', 180_000, port);
		await new Promise((r) => setTimeout(r, TICK_MS));
		check(
			JSON.stringify(sinkTexts(sandbox, 'seen ')) === JSON.stringify(expected),
			'trigger: exactly 3 items, each result once, also after a restart of n8n and a further poll',
			sinkTexts(sandbox, 'seen '),
		);
		// n8n 2.41 keeps the webhook rows: on start-up storing them again fails as a duplicate and n8n
		// skips checkExists/create for them, so the portal sees no event call at all
		check(
			!sandbox.events.calls.some((call) => call.method === 'event.bind') &&
				sandbox.events.bindings.length === 2,
			`trigger: after the restart nothing was bound twice (event calls: ${sandbox.events.calls.map((call) => call.method).join(', ') || 'none'})`,
			sandbox.events.bindings,
		);
		const afterRestart = await sandbox.events.fire('ONTASKADD', { after: { ID: WATCHED[1] } });
		check(
			afterRestart.length === 1 && afterRestart[0].status === 200,
			'trigger: after the restart a bound event still reaches the OAuth2 trigger (HTTP 200)',
			afterRestart,
		);

		// deactivation through the REST API unbinds
		const headers = await signIn(server.base);
		// executions n8n recorded: one poll execution (3 items), one from the event webhook
		for (const [id, want] of [
			[POLL_ID, 1],
			[EVENT_ID, 1],
		] as const) {
			const filter = encodeURIComponent(JSON.stringify({ workflowId: id }));
			const listed = await fetch(`${server.base}/rest/executions?filter=${filter}&limit=100`, {
				headers,
			});
			const body = (await listed.json().catch(() => ({}))) as {
				data?: { results?: Array<{ id: string; status: string }> };
			};
			const results = body.data?.results ?? [];
			check(
				results.length === want && results.every((execution) => execution.status === 'success'),
				`trigger: n8n recorded exactly ${want} successful execution(s) of ${id}`,
				body,
			);
		}
		const deactivated = await fetch(`${server.base}/rest/workflows/${BIND_ID}/deactivate`, {
			method: 'POST',
			headers,
			body: '{}',
		});
		check(
			deactivated.ok,
			`trigger: POST /rest/workflows/${BIND_ID}/deactivate (HTTP ${deactivated.status})`,
			(await deactivated.text()).slice(0, 300),
		);
		check(
			await waitFor(() => sandbox.events.bindings.length === 0, 15_000),
			'trigger: deactivation unbound both events (event.unbind seen by the sandbox)',
			sandbox.events.calls,
		);
		check(
			sandbox.events.calls.filter((call) => call.method === 'event.unbind' && call.ok).length === 2,
			'trigger: two event.unbind calls, both accepted',
			sandbox.events.calls,
		);
	} catch (error) {
		check(false, `trigger: n8n ${v} step crashed`, (error as Error).stack);
		if (server) log(server.output().slice(-3000));
	} finally {
		await server?.stop();
		rmSync(work, { recursive: true, force: true });
	}
}
