// e2e checks of the Task resource (issue 18): the two examples and the lifecycle workflow, run by the
// n8n CLI against the sandbox; called from run.ts (seed after the sandbox starts, checks per workflow).
import type { Sandbox } from '../../test/sandbox';
import { check, log } from './common';

type Item = { json: Record<string, unknown> };
type RunJson = {
	status?: string;
	data?: {
		resultData?: {
			runData?: Record<string, Array<{ data?: { main?: Item[][] } }>>;
			error?: Record<string, unknown>;
		};
	};
};
type Call = Sandbox['requests'][number];

const HOUR = 3_600_000;

/** Tasks for overdue-tasks-reminder.json: 81 and 82 are overdue and open; the others must be left alone. */
export function seedTaskChecks(sandbox: Sandbox): void {
	const now = Date.now();
	const mine = { createdBy: 1, responsibleId: 1 };
	sandbox.seed({
		tasks: [
			{ id: 81, title: 'Overdue: send the invoice', ...mine, status: 2, deadline: now - 30 * HOUR },
			{ id: 82, title: 'Overdue: call back', ...mine, status: 3, deadline: now - 2 * HOUR },
			{ id: 83, title: 'Overdue but completed', ...mine, status: 5, deadline: now - 5 * HOUR },
			{ id: 84, title: 'Due next week', ...mine, status: 2, deadline: now + 150 * HOUR },
			{ id: 85, title: 'Overdue, not mine', createdBy: 2, responsibleId: 2, deadline: now - HOUR },
		],
	});
}

const out = (run: RunJson | undefined, node: string) =>
	run?.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[0] ?? [];

/** Checks one Task workflow; false when the workflow is not one of them. */
export function checkTaskWorkflow(
	id: string,
	result: { code: number | null },
	run: RunJson | undefined,
	calls: Call[],
	sandbox: Sandbox,
	dump: () => string,
): boolean {
	const ok = () =>
		check(
			result.code === 0 && run !== undefined && !run.data?.resultData?.error,
			`${id}: exit 0, no workflow error`,
			dump(),
		);
	const tasks = () => [...sandbox.state.tasks.values()];
	switch (id) {
		case 'b24CreateTasks01': {
			ok();
			const created = out(run, 'Create task').map((i) => i.json);
			const stored = created.map((t) => sandbox.state.tasks.get(Number(t.id)));
			check(
				JSON.stringify(
					stored.map((t) => t && [t.title, t.responsibleId, t.createdBy, t.priority]),
				) ===
					JSON.stringify(
						['A-1001 to Globex', 'A-1002 to Initech', 'A-1003 to Umbrella'].map((s) => [
							`Ship order ${s}`,
							2,
							1,
							'high',
						]),
					),
				`${id}: three tasks on the portal, as the output says (title, responsible 2, creator 1, high)`,
				{ created, stored },
			);
			check(
				stored[0]?.deadline === Date.parse('2027-01-15T16:00:00Z') &&
					stored[0]?.needsControl === true,
				`${id}: deadline (from +01:00) and Review After Completion stored`,
				stored[0],
			);
			const adds = calls.filter((c) => c.restMethod === 'tasks.task.add');
			check(
				adds.length === 3 &&
					new Set(adds.map((c) => c.headers['idempotency-key'])).size === 3 &&
					adds.every((c) => /^n8n-k1-[0-9a-f]{64}$/.test(String(c.headers['idempotency-key']))),
				`${id}: one tasks.task.add per item, each with the Idempotency Key option's key`,
				adds.map((c) => c.headers['idempotency-key']),
			);
			return true;
		}
		case 'b24OverdueRemind01': {
			ok();
			const listed = out(run, 'Get overdue tasks').map((i) => i.json.id);
			check(
				JSON.stringify(listed) === '[81,82]',
				`${id}: Get Many lists exactly the open overdue tasks 81, 82 (classic list with filters)`,
				listed,
			);
			check(
				calls.some((c) => c.apiVersion === 'v2' && c.restMethod === 'tasks.task.list') &&
					!calls.some((c) => c.apiVersion === 'v3' && c.restMethod === 'tasks.task.list'),
				`${id}: the deadline/status filter went to the classic tasks.task.list`,
				calls.map((c) => `${c.apiVersion} ${c.restMethod}`),
			);
			const posted = [...sandbox.state.chatMessages.values()].filter(
				(m) => m.taskId !== null && m.taskId >= 81 && m.taskId <= 85,
			);
			check(
				JSON.stringify(posted.map((m) => [m.taskId, m.authorId])) === '[[81,1],[82,1]]' &&
					posted.every((m) => m.text.startsWith('Reminder: this task was due ')),
				`${id}: one reminder in the chat of each overdue task, none elsewhere`,
				posted,
			);
			const sent = out(run, 'Post reminder in task chat').map((i) => i.json);
			check(
				sent.length === 2 && sent.every((s) => s.sent === true),
				`${id}: Send Chat Message outputs { taskId, text, sent: true } per task`,
				sent,
			);
			return true;
		}
		case 'e2eTaskLifecycle01': {
			ok();
			const [created] = out(run, 'Create').map((i) => i.json);
			const taskId = Number(created?.id);
			check(
				created?.responsibleId === 2 && created?.creatorId === 1 && created?.priority === 'low',
				`${id}: Create outputs the task with flat responsibleId/creatorId (responsible from a profile link)`,
				created,
			);
			const [updated] = out(run, 'Update').map((i) => i.json);
			check(
				updated?.title === 'e2e lifecycle task (updated)' &&
					updated?.status === 'in_progress' &&
					updated?.priority === 'high',
				`${id}: Update outputs the task as re-read from the portal`,
				updated,
			);
			const [listed] = out(run, 'List by ID').map((i) => i.json);
			check(
				JSON.stringify(listed) ===
					JSON.stringify({
						id: taskId,
						title: 'e2e lifecycle task (updated)',
						status: 'in_progress',
						priority: 'high',
						responsibleId: 2,
					}),
				`${id}: Get Many (REST 3.0, ID filter) returns the chosen fields`,
				listed,
			);
			const [access] = out(run, 'Access').map((i) => i.json);
			check(
				access?.id === taskId && access?.edit === true && access?.remove === true,
				`${id}: Get Access Rights: the creator may edit and remove`,
				access,
			);
			check(
				[...sandbox.state.chatMessages.values()].some(
					(m) => m.taskId === taskId && m.text === 'e2e says hello',
				),
				`${id}: the chat message reached the task's chat`,
			);
			const [deleted] = out(run, 'Delete').map((i) => i.json);
			const [again] = out(run, 'Delete again').map((i) => i.json);
			check(
				deleted?.deleted === true &&
					!tasks().some((t) => t.id === taskId) &&
					again?.code === 'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION' &&
					again?.httpCode === 403,
				`${id}: Delete removes the task; deleting it again is an error item { error, code, httpCode }`,
				{ deleted, again },
			);
			return true;
		}
		default:
			return false;
	}
}

/** What the browser step lends these checks (its own helpers, so the screenshots follow its rules). */
export interface BrowserTools {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- playwright-core's Page, loaded at run time
	page: any;
	base: string;
	visible(selector: string, timeout?: number): Promise<boolean>;
	shot(name: string): Promise<unknown>;
	docShot(name: string, selectors: string[]): Promise<void>;
}

/** The Task resource in the editor: the Create form of create-tasks-from-items.json and the operation list. */
export async function taskBrowserChecks(tools: BrowserTools): Promise<void> {
	const { page, base, visible } = tools;
	await page.goto(`${base}/workflow/b24CreateTasks01`, { waitUntil: 'domcontentloaded' });
	const nodeSel = '[data-test-id="canvas-node"]:has-text("Create task")';
	check(await visible(nodeSel, 60_000), 'browser: canvas shows the "Create task" node');
	await page.waitForTimeout(1000);
	await page.locator(nodeSel).first().dblclick();
	check(await visible('[data-test-id="ndv"]'), 'browser: the Create task panel opens');
	await page.waitForTimeout(1000);
	const ndv = (await page.locator('[data-test-id="ndv"]').first().innerText()) as string;
	const labels = [
		'Title',
		'Responsible Person',
		'Deadline',
		'Priority',
		'Workgroup',
		'Description',
		'Additional Fields',
		'Custom Fields',
	];
	check(
		labels.every((label) => ndv.includes(label)),
		`browser: the Create form shows ${labels.join(', ')}`,
		ndv.slice(0, 1500),
	);
	for (const name of ['resource', 'operation', 'title', 'deadline', 'priority'])
		check(
			await visible(`[data-test-id="ndv"] [data-test-id="parameter-input-${name}"]`, 5000),
			`browser: Create renders the ${name} parameter`,
		);
	await tools.shot('task-create');
	await tools.docShot('task-create', ['[data-test-id="ndv"]']);

	await page
		.locator('[data-test-id="ndv"] [data-test-id="parameter-input-operation"]')
		.first()
		.click();
	const operations = [
		'Attach Files',
		'Create',
		'Delete',
		'Get',
		'Get Access Rights',
		'Get Many',
		'Send Chat Message',
		'Update',
	];
	const listed = await visible('text="Send Chat Message"', 10_000);
	const optionTexts = listed
		? ((await page.evaluate(() =>
				Array.from(document.querySelectorAll('.el-select-dropdown__item, [role="option"]'))
					.filter((el) => (el as HTMLElement).offsetParent !== null)
					.map((el) => (el as HTMLElement).innerText.split('\n')[0].trim()),
			)) as string[])
		: [];
	check(
		operations.every((name) => optionTexts.includes(name)),
		`browser: the Task resource's Operation list offers ${operations.join(', ')}`,
		optionTexts,
	);
	await tools.shot('task-operations');
	await tools.docShot('task-operations', [
		'[data-test-id="ndv"] [data-test-id="parameter-input-operation"]',
		'.el-select-dropdown:visible, .el-popper:visible [role="listbox"]',
	]);
	await page.keyboard.press('Escape');
	await page.waitForTimeout(300);
	await page.keyboard.press('Escape');
	await page.waitForTimeout(500);
}

/** examples/mcp-server-tasks.json: Create Task, Get Many tasks and Send Chat Message as MCP tools. */
export const MCP_TASKS_WORKFLOW_ID = 'b24McpTasks01';

interface McpClient {
	listTools(): Promise<{ tools: Array<{ name: string; inputSchema?: Record<string, unknown> }> }>;
	callTool(request: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
	close(): Promise<void>;
}

/** The MCP step's Task tools: an agent creates a task (twice, retry-safe), lists tasks, posts in a chat. */
export async function runTaskMcpChecks(
	base: string,
	sandbox: Sandbox,
	connect: (url: URL) => Promise<McpClient>,
	answers: string[],
): Promise<void> {
	const client = await connect(new URL(`${base}/mcp/bitrix24-tasks`));
	try {
		const { tools } = await client.listTools();
		const names = tools.map((t) => t.name).sort();
		check(
			JSON.stringify(names) === '["create_task","list_tasks","send_task_chat_message"]',
			'mcp: the tasks server lists create_task, list_tasks, send_task_chat_message',
			names,
		);
		const schema = (name: string) =>
			(tools.find((t) => t.name === name)?.inputSchema?.properties ?? {}) as Record<
				string,
				{ type?: string }
			>;
		check(
			schema('create_task').title?.type === 'string' &&
				schema('create_task').responsibleId?.type === 'number' &&
				schema('list_tasks').responsibleId?.type === 'number',
			'mcp: create_task / list_tasks inputs are typed (title string, responsibleId number)',
			tools.map((t) => t.inputSchema),
		);
		const call = async (name: string, args: Record<string, unknown>) => {
			const r = (await client.callTool({ name, arguments: args })) as {
				isError?: boolean;
				content?: Array<{ text?: string }>;
			};
			const text = (r.content ?? []).map((c) => c.text ?? '').join('\n');
			answers.push(text);
			log(
				`  call ${name} ${JSON.stringify(args)} → ${r.isError ? 'isError ' : ''}${text.slice(0, 300)}`,
			);
			let json: unknown;
			try {
				json = JSON.parse(text);
			} catch {
				// not JSON
			}
			return { isError: r.isError === true, text, json };
		};
		const before = sandbox.state.tasks.size;
		const args = { title: 'Call the MCP customer', responsibleId: 2, requestKey: 'mcp-order-7' };
		const first = await call('create_task', args);
		const task = (Array.isArray(first.json) ? first.json[0] : undefined) as
			| Record<string, unknown>
			| undefined;
		const stored = sandbox.state.tasks.get(Number(task?.id));
		check(
			!first.isError && stored?.title === args.title && stored?.responsibleId === 2,
			'mcp: create_task creates the task on the portal (title, responsible 2)',
			first.text,
		);
		const again = await call('create_task', args);
		const sameId = Array.isArray(again.json) && again.json[0]?.id === task?.id;
		check(
			sameId && sandbox.state.tasks.size === before + 1,
			'mcp: create_task again with the same requestKey returns the same task, nothing created twice',
			again.text,
		);
		const listed = await call('list_tasks', { responsibleId: 2 });
		const ids = Array.isArray(listed.json) ? listed.json.map((t: { id?: unknown }) => t.id) : [];
		const expected = [...sandbox.state.tasks.values()]
			.filter(
				(t) => t.responsibleId === 2 && [1, 2, 3].includes(t.status) && t.memberIds.includes(1),
			)
			.map((t) => t.id)
			.sort((a, b) => a - b)
			.slice(0, 50);
		check(
			!listed.isError && JSON.stringify(ids) === JSON.stringify(expected) && ids.includes(task?.id),
			`mcp: list_tasks {responsibleId: 2} returns the open tasks of user 2 the portal holds (${expected.length})`,
			{ ids, expected },
		);
		const chat = await call('send_task_chat_message', {
			taskId: task?.id,
			text: 'Hello from the agent',
		});
		check(
			!chat.isError &&
				[...sandbox.state.chatMessages.values()].some(
					(m) => m.taskId === task?.id && m.text === 'Hello from the agent',
				),
			"mcp: send_task_chat_message posts into the task's chat",
			chat.text,
		);
		const bad = await call('create_task', {
			title: 'x',
			responsibleId: 404,
			requestKey: 'mcp-bad-1',
		});
		check(
			bad.isError && /responsibleId/.test(bad.text),
			'mcp: create_task for a user the portal does not know is a tool error naming responsibleId',
			bad.text,
		);
	} finally {
		await client.close().catch(() => undefined);
	}
}
