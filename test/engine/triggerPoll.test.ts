import type { IDataObject } from 'n8n-workflow';

import { oAuth2Credentials, webhookCredentials } from '../harness/credentials';
import { runWorkflow, singleNodeWorkflow } from '../harness/engine';
import { PollHarness } from '../harness/poll';
import { startSandbox, type Sandbox } from '../sandbox';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({
		seed: {
			tasks: [
				{ id: 51, title: 'Watched A', memberIds: [1, 2] },
				{ id: 52, title: 'Watched B', memberIds: [1, 2] },
				{ id: 53, title: 'Other group', memberIds: [1], groupId: 7 },
				{ id: 54, title: 'Done', memberIds: [1], status: 5 },
				{ id: 55, title: 'Someone else responsible', memberIds: [2, 1] },
			],
			results: [
				{ id: 10, taskId: 51, text: 'old A' },
				{ id: 11, taskId: 52, text: 'old B' },
			],
		},
	});
});

afterAll(async () => await sandbox.stop());

beforeEach(() => sandbox.reset());

let nextId = 1000;
function addResult(taskId: number, text: string, authorId = 1): number {
	const id = nextId++;
	sandbox.seed({ results: [{ id, taskId, text, authorId }] });
	return id;
}

const byIds = (taskIds: string, options: IDataObject = {}) =>
	new PollHarness({ watch: 'taskIds', taskIds, options }, webhookCredentials(sandbox));

const ids = (items: IDataObject[] | null) => (items ?? []).map((item) => item.id);

test('the first activation starts from now: existing results are not emitted, later ones once each, across tasks', async () => {
	const trigger = byIds('51, 52');
	const first = await trigger.poll('trigger', 'activate');
	expect(first.error).toBeUndefined();
	expect(first.items).toBeNull();
	expect(trigger.staticData.cursors).toEqual({ 51: 10, 52: 11 });
	// both tasks' newest results in one REST 3.0 batch: one request
	expect(sandbox.requests.map((request) => request.restMethod)).toEqual(['batch']);

	const a1 = addResult(51, 'A1');
	const b1 = addResult(52, 'B1');
	const a2 = addResult(51, 'A2');
	sandbox.reset();
	const second = await trigger.poll('trigger', 'init');
	expect(ids(second.items)).toEqual([a1, b1, a2]);
	expect(sandbox.requests).toHaveLength(1);

	expect((await trigger.poll('trigger', 'init')).items).toBeNull();
	expect(trigger.staticData.cursors).toEqual({ 51: a2, 52: b1 });
});

test('the items are the Get Many items of the action node', async () => {
	const trigger = byIds('51');
	await trigger.poll();
	const id = addResult(51, 'compare me', 2);
	const { items } = await trigger.poll();
	const run = await runWorkflow(
		singleNodeWorkflow({
			operation: 'getAll',
			taskId: { __rl: true, mode: 'id', value: '51' },
			returnAll: true,
		}),
		{ credentials: webhookCredentials(sandbox) },
	);
	const listed = run.output('Bitrix24 Tasks').find((item) => item.json.id === id)?.json;
	expect(listed).toBeDefined();
	expect(items).toEqual([listed]);
	expect(typeof items![0].id).toBe('number');
	expect(typeof items![0].taskId).toBe('number');
});

test('Include Existing Results emits what the tasks already hold on the first activation', async () => {
	const trigger = byIds('51', { includeExisting: true });
	const { items } = await trigger.poll();
	expect(ids(items)[0]).toBe(10);
	expect(ids(items)).toEqual([...ids(items)].sort((a, b) => Number(a) - Number(b)));
	expect((await trigger.poll()).items).toBeNull();
});

test('a restart loads the saved cursors: nothing is emitted again, nothing added meanwhile is lost', async () => {
	const trigger = byIds('51, 52');
	await trigger.poll('trigger', 'activate');
	const a = addResult(51, 'before restart');
	expect(ids((await trigger.poll()).items)).toEqual([a]);

	trigger.restart();
	expect((await trigger.poll('trigger', 'init')).items).toBeNull();

	const b = addResult(52, 'while n8n was down');
	trigger.restart();
	expect(ids((await trigger.poll('trigger', 'init')).items)).toEqual([b]);
	trigger.restart();
	expect((await trigger.poll('trigger', 'init')).items).toBeNull();
});

test('a task that becomes inaccessible is skipped with its cursor kept; its results come once access returns', async () => {
	sandbox.seed({ tasks: [{ id: 70, title: 'Loses access', memberIds: [1, 2] }] });
	const trigger = byIds('51, 70');
	await trigger.poll('trigger', 'activate');
	const cursorBefore = (trigger.staticData.cursors as IDataObject)[70];

	sandbox.state.tasks.get(70)!.memberIds = [2];
	const hidden = addResult(70, 'added while we had no access', 2);
	const visible = addResult(51, 'still visible');
	sandbox.reset();
	const during = await trigger.poll();
	expect(during.error).toBeUndefined();
	expect(ids(during.items)).toEqual([visible]);
	expect((trigger.staticData.cursors as IDataObject)[70]).toBe(cursorBefore);
	expect(trigger.staticData.inaccessible).toEqual([70]);
	// the batch stopped at the refused task, so both went again one by one
	expect(sandbox.requests.map((request) => request.restMethod)).toEqual([
		'batch',
		'tasks.task.result.list',
		'tasks.task.result.list',
	]);

	sandbox.reset();
	expect((await trigger.poll()).items).toBeNull();
	// the refused task is now asked alone, the others stay batched (here: one task, one request)
	expect(sandbox.requests).toHaveLength(2);

	sandbox.state.tasks.get(70)!.memberIds = [1, 2];
	expect(ids((await trigger.poll()).items)).toEqual([hidden]);
	expect(trigger.staticData.inaccessible).toEqual([]);
});

test('a rate-limited poll emits what it got, keeps the rest for the next poll, and repeats nothing', async () => {
	const taskIds = Array.from({ length: 60 }, (_, i) => 300 + i);
	sandbox.seed({ tasks: taskIds.map((id) => ({ id, title: `bulk ${id}` })) });
	const trigger = byIds(taskIds.join(','));
	await trigger.poll('trigger', 'activate');
	const added = taskIds.map((taskId) => addResult(taskId, `r${taskId}`));

	sandbox.reset();
	// the second batch (tasks 350–359) is refused by the leaky bucket on every attempt
	sandbox.injectFault(
		{
			kind: 'status',
			status: 503,
			body: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' },
		},
		{ restMethod: 'batch', afterMatches: 1, times: 3 },
	);
	const limited = await trigger.poll();
	expect(limited.error).toBeUndefined();
	expect(ids(limited.items)).toEqual(added.slice(0, 50));
	expect(sandbox.counters.faultsInjected.status).toBe(3);

	const next = await trigger.poll();
	expect(ids(next.items)).toEqual(added.slice(50));
	expect((await trigger.poll()).items).toBeNull();
});

test('a poll refused outright emits nothing, moves no cursor and fails the tick with the translated error', async () => {
	const trigger = byIds('51, 52');
	await trigger.poll('trigger', 'activate');
	const a = addResult(51, 'survives the failure');
	const before = trigger.staticData.cursors;
	sandbox.injectFault(
		{
			kind: 'status',
			status: 503,
			body: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' },
		},
		{ restMethod: 'batch', times: 3 },
	);
	const failed = await trigger.poll();
	expect(failed.items).toBeNull();
	expect(failed.error?.message).toMatch(/Too many requests/);
	expect(trigger.staticData.cursors).toEqual(before);
	expect(ids((await trigger.poll()).items)).toEqual([a]);
});

test('Fetch Test Event returns the newest real result of the watched tasks and moves no cursor', async () => {
	const trigger = byIds('51, 52');
	await trigger.poll('trigger', 'activate');
	const cursors = trigger.staticData.cursors;
	const newest = addResult(52, 'newest');
	const { items } = await trigger.poll('manual');
	expect(ids(items)).toEqual([newest]);
	expect(trigger.staticData.cursors).toEqual(cursors);
	expect(ids((await trigger.poll()).items)).toEqual([newest]);
});

test('watching by filter re-reads the matching tasks on every poll (responsible = me, workgroup, not completed)', async () => {
	const trigger = new PollHarness(
		{ watch: 'filter', responsibleIsMe: true, groupId: 0, onlyOpen: true },
		webhookCredentials(sandbox),
	);
	await trigger.poll('trigger', 'activate');
	const watched = Object.keys(trigger.staticData.cursors as IDataObject).map(Number);
	expect(watched).toContain(51);
	expect(watched).toContain(53);
	expect(watched).not.toContain(54); // completed
	expect(watched).not.toContain(55); // user 2 is responsible

	sandbox.seed({ tasks: [{ id: 90, title: 'New task of mine', memberIds: [1] }] });
	await trigger.poll();
	const later = addResult(90, 'on a task that joined the filter');
	expect(ids((await trigger.poll()).items)).toEqual([later]);

	const group = new PollHarness(
		{ watch: 'filter', responsibleIsMe: false, groupId: 7, onlyOpen: false },
		webhookCredentials(sandbox),
	);
	await group.poll('trigger', 'activate');
	expect(Object.keys(group.staticData.cursors as IDataObject)).toEqual(['53']);
});

test('OAuth2: the user is looked up once per poll for "Responsible Is Me"; cost = pages of tasks + batches of 50', async () => {
	const trigger = new PollHarness(
		{ watch: 'filter', responsibleIsMe: true, groupId: 0, onlyOpen: true },
		oAuth2Credentials(sandbox),
		'oAuth2',
	);
	sandbox.reset();
	const first = await trigger.poll('trigger', 'activate');
	expect(first.error).toBeUndefined();
	const methods = sandbox.requests.map((request) => request.restMethod);
	const watched = Object.keys(trigger.staticData.cursors as IDataObject).length;
	expect(watched).toBeGreaterThan(50);
	expect(methods.filter((method) => method === 'user.current')).toHaveLength(1);
	expect(methods[0]).toBe('user.current');
	// the list is read in pages of 50 tasks, the results in batches of 50 tasks
	expect(methods.filter((method) => method === 'tasks.task.list')).toHaveLength(
		Math.floor(watched / 50) + 1,
	);
	expect(methods.filter((method) => method === 'batch')).toHaveLength(Math.ceil(watched / 50));
});

test('bad Task IDs fail before any request', async () => {
	const trigger = byIds('51, abc');
	sandbox.reset();
	const { error } = await trigger.poll('trigger', 'activate');
	expect(error?.message).toMatch(/Invalid Task IDs/);
	expect(sandbox.requests).toHaveLength(0);
});

test('100 watched tasks cost 2 requests per poll; a task with hundreds of new results is read in rounds', async () => {
	const taskIds = Array.from({ length: 100 }, (_, i) => 500 + i);
	sandbox.seed({ tasks: taskIds.map((id) => ({ id, title: `watched ${id}` })) });
	const trigger = byIds(taskIds.join(', '));
	await trigger.poll('trigger', 'activate');
	sandbox.reset();
	expect((await trigger.poll()).items).toBeNull();
	expect(sandbox.requests.map((request) => request.restMethod)).toEqual(['batch', 'batch']);

	const many = Array.from({ length: 450 }, (_, i) => addResult(500, `bulk ${i}`));
	const other = addResult(599, 'elsewhere');
	const { items } = await trigger.poll();
	expect(ids(items)).toEqual([...many, other]);
	expect((await trigger.poll()).items).toBeNull();
});
