import type { IDataObject, INode } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runWorkflow, singleNodeWorkflow } from '../harness/engine';
import { startSandbox, type Fault, type Sandbox } from '../sandbox';
import { judgeDeletes, type ItemFacts } from './deleteOracle';

// Bulk delete must never report a result deleted that is still there (issue 11): every test compares
// each output item with what the portal holds afterwards.

const V3 = 'BITRIX_REST_V3_EXCEPTION_';
let sandbox: Sandbox;
let nextId = 30_000;

beforeAll(async () => {
	sandbox = await startSandbox({
		seed: {
			tasks: [
				{ id: 51, title: 'Report', memberIds: [1, 2] },
				{ id: 52, title: 'Mine', memberIds: [1] },
				{ id: 53, title: 'Not mine', memberIds: [2] },
			],
		},
	});
});
afterAll(async () => await sandbox.stop());
afterEach(() => {
	sandbox.clearFaults();
	sandbox.onRequest(undefined);
});

/** Seeds results: [taskId, authorId] per result; returns their IDs. */
function seed(specs: Array<[number, number]>): number[] {
	const ids = specs.map(() => nextId++);
	sandbox.seed({
		results: ids.map((id, n) => ({
			id,
			taskId: specs[n][0],
			text: `r${id}`,
			authorId: specs[n][1],
		})),
	});
	return ids;
}

const credentials = () => ({
	bitrix24WebhookApi: { webhookUrl: sandbox.webhookUrl(), portalPlan: 'none' },
});
const requestsOf = (method: string) => sandbox.requests.filter((r) => r.restMethod === method);
const deletedIds = () =>
	requestsOf('tasks.task.result.delete').map((r) => (r.body as IDataObject).id);

interface Run {
	out: IDataObject[];
	facts: ItemFacts[];
	hints: unknown[];
}

/** Deletes `items` (each `{ id, taskId? }`, Result ID = {{ $json.id }}) and snapshots the portal before. */
async function deleteItems(items: IDataObject[], parameters: IDataObject = {}): Promise<Run> {
	const facts = items.map((item) => ({
		resultId: Number(item.id),
		statedTask: (parameters.stated as number | undefined) ?? (item.taskId as number | undefined),
		before: structuredClone(sandbox.state.results.get(Number(item.id))),
	}));
	const rest = { ...parameters };
	delete rest.stated;
	sandbox.reset();
	const run = await runWorkflow(
		singleNodeWorkflow(
			{ operation: 'delete', resultId: '={{ $json.id }}', ...rest },
			{ continueOnFail: true },
		),
		{ credentials: credentials(), items },
	);
	expect(run.error).toBeUndefined();
	return {
		out: run.output('Bitrix24 Tasks').map((item) => item.json),
		facts,
		hints: run.run.data.resultData.runData['Bitrix24 Tasks'][0].hints ?? [],
	};
}

function expectExact({ out, facts }: Run): void {
	expect(out).toHaveLength(facts.length);
	expect(judgeDeletes(sandbox, facts, out)).toEqual({
		falseDeleted: [],
		falseAlreadyDeleted: [],
		alreadyDeletedOnWrongTask: [],
		missedDeletes: [],
		malformed: [],
	});
}

const denied = { code: `${V3}ACCESSDENIEDEXCEPTION`, httpCode: 403 };

describe('a wrong Task ID never makes a result look deleted', () => {
	test.each([
		['the Task ID field', { resultTaskId: '52', stated: 52 }],
		['Options → Task ID of older workflows', { options: { taskId: '52' }, stated: 52 }],
	])('results 1–5 of task 51, #2 someone else’s, Task ID 52 given in %s', async (_, params) => {
		const ids = seed([
			[51, 1],
			[51, 2],
			[51, 1],
			[51, 1],
			[51, 1],
		]);
		const run = await deleteItems(
			ids.map((id) => ({ id })),
			params,
		);
		expectExact(run);
		expect(run.out[1]).toMatchObject(denied);
		expect(sandbox.state.results.has(ids[1])).toBe(true);
		for (const n of [0, 2, 3, 4]) expect(run.out[n]).toEqual({ id: ids[n], deleted: true });
		// none of them is on task 52, so none is batched: each gets the portal's own answer
		expect(requestsOf('batch')).toHaveLength(0);
		expect(deletedIds()).toEqual(ids);
		expect(requestsOf('tasks.task.result.list')).toHaveLength(1);
	});
});

test('mixed tasks in one batch, some items naming the wrong task, a refused one in the middle', async () => {
	const ids = seed(
		Array.from({ length: 40 }, (_, n): [number, number] => [n % 2 ? 52 : 51, n === 17 ? 2 : 1]),
	);
	const items = ids.map((id, n) => ({ id, taskId: n % 7 === 3 ? 53 - (n % 2) : n % 2 ? 52 : 51 }));
	const run = await deleteItems(items);
	expectExact(run);
	expect(run.out[17]).toMatchObject(denied);
	expect(sandbox.state.results.has(ids[17])).toBe(true);
	expect(run.out.filter((json) => json.deleted === true)).toHaveLength(39);
	// one check per task before, at least one batch with both tasks in it
	const firstBatch = requestsOf('batch')[0].body as Array<{ query: { id: number } }>;
	const tasksInBatch = new Set(
		firstBatch.map(
			({ query }) =>
				sandbox.state.results.get(query.id)?.taskId ?? items[ids.indexOf(query.id)].taskId,
		),
	);
	expect(tasksInBatch).toEqual(new Set([51, 52]));
});

describe('results that were never there', () => {
	test('without Ignore Already Deleted: the portal’s own answer, exactly as a single delete gives it', async () => {
		const ids = seed([
			[51, 1],
			[51, 1],
		]);
		const run = await deleteItems([
			{ id: ids[0], taskId: 51 },
			{ id: 990_001, taskId: 51 },
			{ id: ids[1], taskId: 51 },
		]);
		expectExact(run);
		expect(run.out[1]).toEqual({
			error: 'Access denied by Bitrix24: id: Access denied',
			...denied,
		});
		expect(deletedIds()).toEqual([990_001]);
	});

	test('with Ignore Already Deleted: reported already deleted without a delete request', async () => {
		const ids = seed([
			[51, 1],
			[51, 1],
		]);
		const run = await deleteItems(
			[
				{ id: ids[0], taskId: 51 },
				{ id: 990_002, taskId: 51 },
				{ id: ids[1], taskId: 51 },
			],
			{ options: { ignoreAlreadyDeleted: true } },
		);
		expectExact(run);
		expect(run.out[1]).toEqual({ id: 990_002, deleted: true, alreadyDeleted: true });
		expect(deletedIds()).toEqual([]);
	});

	test('a re-run where most results are gone costs one check and one batch', async () => {
		const ids = seed(Array.from({ length: 100 }, (): [number, number] => [51, 1]));
		for (const id of ids.slice(0, 60)) sandbox.state.results.delete(id);
		const run = await deleteItems(
			ids.map((id) => ({ id, taskId: 51 })),
			{ options: { ignoreAlreadyDeleted: true } },
		);
		expectExact(run);
		expect(run.out.filter((json) => json.alreadyDeleted === true)).toHaveLength(60);
		expect(sandbox.requests.map((r) => r.restMethod)).toEqual(['tasks.task.result.list', 'batch']);
	});
});

test('results deleted by someone else while the batch runs are reported deleted; the batch is settled exactly', async () => {
	const ids = seed(Array.from({ length: 30 }, (_, n): [number, number] => [51, n === 25 ? 2 : 1]));
	let struck = false;
	sandbox.onRequest((request) => {
		if (request.restMethod === 'batch' && !struck) {
			struck = true;
			sandbox.state.results.delete(ids[10]);
			sandbox.state.results.delete(ids[20]);
		}
	});
	const run = await deleteItems(ids.map((id) => ({ id, taskId: 51 })));
	expectExact(run);
	ids.forEach((id, n) =>
		expect(run.out[n]).toEqual(n === 25 ? expect.objectContaining(denied) : { id, deleted: true }),
	);
});

test('a 403 in the middle of batches: every other item deleted, the refused ones kept', async () => {
	const foreign = new Set([0, 30, 31, 55]);
	const ids = seed(
		Array.from({ length: 60 }, (_, n): [number, number] => [51, foreign.has(n) ? 2 : 1]),
	);
	const run = await deleteItems(ids.map((id) => ({ id, taskId: 51 })));
	expectExact(run);
	ids.forEach((id, n) => {
		if (foreign.has(n)) {
			expect(run.out[n]).toMatchObject(denied);
			expect(sandbox.state.results.has(id)).toBe(true);
		} else expect(run.out[n]).toEqual({ id, deleted: true });
	});
	// 56 deletes, and each refused result tried twice (in its batch, then alone for its own answer)
	const lists = requestsOf('tasks.task.result.list').length;
	expect(sandbox.counters.executedCommands - lists).toBe(56 + 4 * 2);
});

const serverFault: Fault = {
	kind: 'status',
	status: 500,
	body: { error: { code: `${V3}INTERNAL_INTERNALEXCEPTION`, message: 'Something went wrong' } },
};

test.each([
	['the answer of the whole batch lost after the portal ran it', { kind: 'resetAfterCommit' }, {}],
	[
		'the connection lost at command 20 (0–19 done)',
		{ kind: 'reset' },
		{ restMethod: 'tasks.task.result.delete', inBatch: true, afterMatches: 20 },
	],
	[
		'a 500 at command 7 (0–6 done)',
		serverFault,
		{ restMethod: 'tasks.task.result.delete', inBatch: true, afterMatches: 7 },
	],
] as const)(
	'%s: every item deleted and reported so, nothing sent twice',
	async (_, fault, match) => {
		const ids = seed(Array.from({ length: 45 }, (): [number, number] => [51, 1]));
		sandbox.reset();
		sandbox.injectFault(fault as Fault, { restMethod: 'batch', ...match });
		const run = await deleteItems(ids.map((id) => ({ id, taskId: 51 })));
		expectExact(run);
		expect(run.out).toEqual(ids.map((id) => ({ id, deleted: true })));
		// each result deleted once: a success, never a delete that answered "access denied"
		expect(requestsOf('tasks.task.result.delete').every((r) => r.status === 200)).toBe(true);
		const lists = requestsOf('tasks.task.result.list').length;
	expect(sandbox.counters.executedCommands - lists).toBe(45);
	},
);

describe('fast by default', () => {
	function getManyThenDelete(taskId: number): { nodes: INode[]; connections: IDataObject } {
		const wf = singleNodeWorkflow({
			operation: 'getAll',
			taskId: { __rl: true, mode: 'id', value: String(taskId) },
			returnAll: true,
		});
		const list = wf.nodes[1];
		list.name = 'Get Many';
		const del: INode = {
			...structuredClone(list),
			id: 'del',
			name: 'Delete',
			position: [400, 0],
			parameters: {
				authentication: 'webhook',
				resource: 'taskResult',
				operation: 'delete',
				resultId: '={{ $json.id }}',
			},
		};
		return {
			nodes: [wf.nodes[0], list, del],
			connections: {
				Start: { main: [[{ node: 'Get Many', type: NodeConnectionTypes.Main, index: 0 }]] },
				'Get Many': { main: [[{ node: 'Delete', type: NodeConnectionTypes.Main, index: 0 }]] },
			},
		};
	}

	test('Get Many → Delete with only Result ID set: the task comes from each item, deletes go in batches', async () => {
		sandbox.seed({ tasks: [{ id: 54, title: 'Cleanup', memberIds: [1] }] });
		const ids = seed(Array.from({ length: 120 }, (): [number, number] => [54, 1]));
		sandbox.reset();
		const run = await runWorkflow(getManyThenDelete(54) as never, { credentials: credentials() });
		expect(run.error).toBeUndefined();
		expect(run.output('Delete').map((item) => item.json)).toEqual(
			ids.map((id) => ({ id, deleted: true })),
		);
		for (const id of ids) expect(sandbox.state.results.has(id)).toBe(false);
		expect(sandbox.requests.map((r) => r.restMethod)).toEqual([
			'tasks.task.result.list', // Get Many
			'tasks.task.result.list', // Get Many: is a short first page a server cap? (helpers/paginate.ts)
			'tasks.task.result.list', // Delete: the check before batching
			'batch',
			'batch',
			'batch',
		]);
		expect(run.run.data.resultData.runData.Delete[0].hints ?? []).toEqual([]);
	});

	test('IDs only, no task anywhere: one request per item, and the output pane says why and what to do', async () => {
		const ids = seed(Array.from({ length: 25 }, (): [number, number] => [51, 1]));
		const run = await deleteItems(ids.map((id) => ({ id })));
		expectExact(run);
		expect(deletedIds()).toHaveLength(25);
		expect(run.hints).toEqual([
			{
				message:
					'25 results were deleted one request each, because their task is unknown (Task ID is empty and the input items do not carry id and taskId): set Task ID (e.g. {{ $json.taskId }}) to delete up to 50 per request.',
				type: 'info',
				location: 'outputPane',
			},
		]);
	});

	test('a few deletes one by one need no hint', async () => {
		const ids = seed(Array.from({ length: 3 }, (): [number, number] => [51, 1]));
		expect((await deleteItems(ids.map((id) => ({ id })))).hints).toEqual([]);
	});

	test('an item that carries another ID than the Result ID lends it no task', async () => {
		const ids = seed([
			[51, 1],
			[51, 1],
		]);
		sandbox.reset();
		await runWorkflow(
			singleNodeWorkflow(
				{ operation: 'delete', resultId: '={{ $json.resultId }}' },
				{ continueOnFail: true },
			),
			{
				credentials: credentials(),
				items: ids.map((resultId) => ({ resultId, id: 1, taskId: 51 })),
			},
		);
		expect(requestsOf('batch')).toHaveLength(0);
		expect(deletedIds()).toEqual(ids);
	});
});
