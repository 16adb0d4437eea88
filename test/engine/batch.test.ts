import type { IDataObject } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../sandbox';
import { runWorkflow, singleNodeWorkflow } from '../harness/engine';

let sandbox: Sandbox;
let nextId = 5000;

beforeAll(async () => {
	sandbox = await startSandbox({
		seed: { tasks: [{ id: 51, title: 'Report', memberIds: [1, 2] }] },
	});
});
afterAll(async () => await sandbox.stop());
afterEach(() => sandbox.clearFaults());

function seedResults(count: number, authorOf: (n: number) => number = () => 1): number[] {
	const ids = Array.from({ length: count }, () => nextId++);
	sandbox.seed({
		results: ids.map((id, n) => ({ id, taskId: 51, text: `result ${id}`, authorId: authorOf(n) })),
	});
	return ids;
}

const credentials = () => ({
	bitrix24WebhookApi: { webhookUrl: sandbox.webhookUrl(), portalPlan: 'none' },
});
const requestsOf = (method: string) => sandbox.requests.filter((r) => r.restMethod === method);

async function deleteMany(ids: number[], options: IDataObject = { taskId: '={{ $json.taskId }}' }) {
	return await runWorkflow(
		singleNodeWorkflow(
			{ operation: 'delete', resultId: '={{ $json.resultId }}', options },
			{ continueOnFail: true },
		),
		{ credentials: credentials(), items: ids.map((resultId) => ({ resultId, taskId: 51 })) },
	);
}

test('120 deletes go out as 3 batch requests and every item is paired to its outcome', async () => {
	const ids = seedResults(120);
	sandbox.reset();
	const { output, error } = await deleteMany(ids);
	expect(error).toBeUndefined();
	expect(requestsOf('batch').map((r) => (r.body as unknown[]).length)).toEqual([50, 50, 20]);
	expect(requestsOf('tasks.task.result.delete')).toHaveLength(0);
	const out = output('Bitrix24 Tasks');
	expect(out.map((i) => i.json)).toEqual(ids.map((id) => ({ id, deleted: true })));
	expect(out.map((i) => i.pairedItem)).toEqual(ids.map((_, item) => ({ item })));
	for (const id of ids) expect(sandbox.state.results.has(id)).toBe(false);
});

test('a batch stopped in the middle by a result the user may not delete: every other item is deleted and reported so', async () => {
	const ids = seedResults(60, (n) => (n === 30 ? 2 : 1));
	sandbox.reset();
	const { output, error } = await deleteMany(ids);
	expect(error).toBeUndefined();
	const out = output('Bitrix24 Tasks').map((i) => i.json);
	ids.forEach((id, n) => {
		if (n === 30) {
			expect(out[n]).toMatchObject({
				code: 'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION',
				httpCode: 403,
			});
			expect(sandbox.state.results.has(id)).toBe(true);
		} else {
			expect(out[n]).toEqual({ id, deleted: true });
			expect(sandbox.state.results.has(id)).toBe(false);
		}
	});
	// the first batch stopped at item 30 after deleting 0–29; nothing was deleted twice
	expect(sandbox.counters.executedCommands).toBeGreaterThan(0);
	expect(requestsOf('tasks.task.result.list').length).toBeGreaterThanOrEqual(1);
});

test('a batch whose answer is lost after the portal ran it: confirmed against the task, no item reported failed', async () => {
	const ids = seedResults(10);
	sandbox.reset();
	sandbox.injectFault({ kind: 'resetAfterCommit' }, { restMethod: 'batch' });
	const { output, error } = await deleteMany(ids);
	expect(error).toBeUndefined();
	expect(output('Bitrix24 Tasks').map((i) => i.json)).toEqual(
		ids.map((id) => ({ id, deleted: true })),
	);
	for (const id of ids) expect(sandbox.state.results.has(id)).toBe(false);
});

test('a rate-limited batch is sent again as a whole', async () => {
	const ids = seedResults(10);
	sandbox.reset();
	sandbox.injectFault(
		{
			kind: 'status',
			status: 503,
			body: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' },
		},
		{ restMethod: 'batch' },
	);
	const { output, error } = await deleteMany(ids);
	expect(error).toBeUndefined();
	expect(output('Bitrix24 Tasks').map((i) => i.json)).toEqual(
		ids.map((id) => ({ id, deleted: true })),
	);
	expect(requestsOf('batch')).toHaveLength(2);
	expect(requestsOf('tasks.task.result.delete')).toHaveLength(0);
});

test('a batch the portal rejects before running anything: the check finds nothing deleted, the first item goes alone, the rest in the next batch', async () => {
	const ids = seedResults(5);
	sandbox.reset();
	sandbox.injectFault(
		{
			kind: 'status',
			status: 400,
			body: {
				error: {
					code: 'BITRIX_REST_V3_EXCEPTION_INVALIDSELECTEXCEPTION',
					message: 'Invalid batch',
				},
			},
		},
		{ restMethod: 'batch' },
	);
	const { output } = await deleteMany([...ids, 424242]);
	const out = output('Bitrix24 Tasks').map((i) => i.json);
	expect(out.slice(0, 5)).toEqual(ids.map((id) => ({ id, deleted: true })));
	expect(out[5]).toMatchObject({ code: 'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION' });
	// 424242 was never on the task: checked first, sent alone for the portal's own answer
	expect(requestsOf('tasks.task.result.delete').map((r) => (r.body as IDataObject).id)).toEqual([
		ids[0],
		424242,
	]);
	expect(requestsOf('batch').map((r) => (r.body as unknown[]).length)).toEqual([5, 4]);
	for (const id of ids) expect(sandbox.state.results.has(id)).toBe(false);
});

test('without a Task ID, or with Batch Requests off, deletes go one by one', async () => {
	const ids = seedResults(4);
	sandbox.reset();
	await deleteMany(ids.slice(0, 2), {});
	await deleteMany(ids.slice(2), { taskId: '={{ $json.taskId }}', batchRequests: false });
	expect(requestsOf('batch')).toHaveLength(0);
	expect(requestsOf('tasks.task.result.delete')).toHaveLength(4);
	for (const id of ids) expect(sandbox.state.results.has(id)).toBe(false);
});

test('updates are batched; one refused in the middle keeps its error, the others are updated once more with the same text', async () => {
	const ids = seedResults(8, (n) => (n === 4 ? 2 : 1));
	sandbox.reset();
	const { output } = await runWorkflow(
		singleNodeWorkflow(
			{
				operation: 'update',
				resultId: '={{ $json.resultId }}',
				text: '={{ "checked " + $json.resultId }}',
			},
			{ continueOnFail: true },
		),
		{ credentials: credentials(), items: ids.map((resultId) => ({ resultId })) },
	);
	const out = output('Bitrix24 Tasks').map((i) => i.json);
	ids.forEach((id, n) => {
		if (n === 4) {
			expect(out[n]).toMatchObject({ code: 'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION' });
			expect(sandbox.state.results.get(id)?.text).toBe(`result ${id}`);
		} else {
			expect(out[n]).toMatchObject({ id, text: `checked ${id}` });
			expect(sandbox.state.results.get(id)?.text).toBe(`checked ${id}`);
		}
	});
	expect(requestsOf('batch')).toHaveLength(1);
});
