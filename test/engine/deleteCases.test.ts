import type { IDataObject, INode, IWorkflowBase } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { oAuth2Credentials, webhookCredentials } from '../harness/credentials';
import { runWorkflow, singleNodeWorkflow, type EngineRun } from '../harness/engine';
import { ResultSeeder } from '../harness/seed';
import { ADMIN_WEBHOOK, startSandbox, type Fault, type FaultMatch, type Sandbox } from '../sandbox';

// The named Delete cases worth keeping beside the model (deleteModel.test.ts): the three defects of
// issue 16, admin and ordinary users, the all-success paths, recovery from faults. Each asserts the
// exact outputs, what the portal holds afterwards and the exact requests it cost.

const V3 = 'BITRIX_REST_V3_EXCEPTION_';
const ACCESS_DENIED = `${V3}ACCESSDENIEDEXCEPTION`;
const LIST = 'tasks.task.result.list';
const DELETE = 'tasks.task.result.delete';
const NODE = 'Bitrix24 Tasks';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({
		seed: {
			tasks: [
				{ id: 51, title: 'Quarterly report', memberIds: [1, 2, ADMIN_WEBHOOK.userId] },
				{ id: 52, title: 'Call the supplier', memberIds: [1, ADMIN_WEBHOOK.userId] },
				{ id: 53, title: 'Private task of user 2', memberIds: [2] },
				{ id: 54, title: 'Cleanup', memberIds: [1] },
			],
		},
	});
});
afterAll(async () => await sandbox.stop());
beforeEach(() => sandbox.state.results.clear());
afterEach(() => {
	sandbox.clearFaults();
	sandbox.onRequest(undefined);
});

const results = new ResultSeeder(() => sandbox, 10_000);
const restRequests = () => sandbox.requests.filter((r) => r.apiVersion === 'v3');
const methods = () => restRequests().map((r) => r.restMethod);
const bodyOf = (method: string, n = 0) =>
	restRequests().filter((r) => r.restMethod === method)[n]?.body as IDataObject | IDataObject[];
const present = (ids: number[]) => ids.filter((id) => sandbox.state.results.has(id));
const json = (run: EngineRun, output = 0, node = NODE) =>
	run.output(node, output).map((i) => i.json);
const deleted = (ids: number[]) => ids.map((id) => ({ id, deleted: true }));
const denied = { code: ACCESS_DENIED, httpCode: 403 };

interface DeleteOptions {
	parameters?: IDataObject;
	options?: IDataObject;
	continueOnFail?: boolean;
	onError?: INode['onError'];
	credentials?: Record<string, IDataObject>;
	credential?: 'webhook' | 'oAuth2';
}

/** Runs Delete (Result ID = {{ $json.id }}) over `items` with a clean request log. */
async function deleteItems(items: IDataObject[], o: DeleteOptions = {}): Promise<EngineRun> {
	sandbox.reset();
	return await runWorkflow(
		singleNodeWorkflow(
			{
				operation: 'delete',
				resultId: '={{ $json.id }}',
				...o.parameters,
				options: o.options ?? {},
			},
			{ continueOnFail: o.continueOnFail, onError: o.onError, credential: o.credential },
		),
		{ credentials: o.credentials ?? webhookCredentials(sandbox), items },
	);
}

/** Manual trigger → Get Many (one task, all results) → Delete with only Result ID set. */
function getManyThenDelete(
	taskId: number,
	credential: 'webhook' | 'oAuth2',
	deleteNode: Partial<INode> = {},
): Pick<IWorkflowBase, 'nodes' | 'connections'> {
	const wf = singleNodeWorkflow(
		{
			operation: 'getAll',
			taskId: { __rl: true, mode: 'id', value: String(taskId) },
			returnAll: true,
		},
		{ credential },
	);
	const list = { ...wf.nodes[1], name: 'Get Many' };
	const del: INode = {
		...structuredClone(list),
		id: 'del',
		name: 'Delete',
		position: [400, 0],
		parameters: {
			authentication: credential,
			resource: 'taskResult',
			operation: 'delete',
			resultId: '={{ $json.id }}',
		},
		...deleteNode,
	};
	return {
		nodes: [wf.nodes[0], list, del],
		connections: {
			Start: { main: [[{ node: 'Get Many', type: NodeConnectionTypes.Main, index: 0 }]] },
			'Get Many': { main: [[{ node: 'Delete', type: NodeConnectionTypes.Main, index: 0 }]] },
		},
	};
}

describe('defect 1: Ignore Already Deleted with a wrong Task ID never reports a present result gone', () => {
	// items 700 and 701: own results on task 53, Task ID says 51; 17 and 19: own results on task 51
	test.each([
		{
			name: 'batching on: one check of task 51, 17 and 19 in one batch, 700 and 701 sent on their own',
			size: 4,
			options: {},
			requests: [LIST, 'batch', DELETE, DELETE],
		},
		{
			name: 'Batch Requests off: one request each, in item order',
			size: 4,
			options: { batchRequests: false },
			requests: [DELETE, DELETE, DELETE, DELETE],
		},
		{ name: 'a single item (700): sent on its own', size: 1, options: {}, requests: [DELETE] },
	])('$name', async ({ size, options, requests }) => {
		const [r700, r701] = results.many(2, { taskId: 53 });
		const [r17, r19] = results.many(2, { taskId: 51 });
		const ids = [r700, r701, r17, r19].slice(0, size);
		const run = await deleteItems(
			ids.map((id) => ({ id })),
			{ parameters: { resultTaskId: '51' }, options: { ignoreAlreadyDeleted: true, ...options } },
		);
		expect(run.error).toBeUndefined();
		expect(json(run)).toEqual(deleted(ids));
		expect(present(ids)).toEqual([]);
		expect(methods()).toEqual(requests);
		if (size === 4 && requests[0] === LIST) {
			expect(bodyOf(LIST)).toMatchObject({
				filter: [
					['taskId', 51],
					['id', 'in', ids],
				],
			});
			expect((bodyOf('batch') as IDataObject[]).map((cmd) => cmd.query)).toEqual([
				{ id: r17 },
				{ id: r19 },
			]);
			expect(
				restRequests()
					.filter((r) => r.restMethod === DELETE)
					.map((r) => r.body),
			).toEqual([{ id: r700 }, { id: r701 }]);
		}
	});
});

describe('defect 2: Continue On Fail holds when the token refresh fails in the middle of the batches', () => {
	/** Get Many → Delete of 120 results over OAuth2; the token dies at the 2nd batch and the app was revoked. */
	async function run(deleteNode: Partial<INode>) {
		const ids = results.many(120, { taskId: 54 });
		let batches = 0;
		sandbox.reset();
		sandbox.onRequest((request) => {
			if (request.restMethod !== 'batch' || ++batches !== 2) return;
			sandbox.expireAccessTokens();
			sandbox.revokeRefreshTokens();
		});
		const engine = await runWorkflow(getManyThenDelete(54, 'oAuth2', deleteNode), {
			credentials: oAuth2Credentials(sandbox),
		});
		return { ids, engine };
	}

	test('Continue On Fail: 120 outputs, the first batch’s 50 deleted, 70 error items of the auth failure', async () => {
		const { ids, engine } = await run({ continueOnFail: true });
		expect(engine.error).toBeUndefined();
		const out = engine.output('Delete');
		expect(out.map((item) => item.pairedItem)).toEqual(ids.map((_, item) => ({ item })));
		expect(out.slice(0, 50).map((item) => item.json)).toEqual(deleted(ids.slice(0, 50)));
		const errors = out.slice(50).map((item) => item.json);
		expect(errors).toHaveLength(70);
		for (const error of errors) {
			expect(Object.keys(error).sort()).toEqual(['code', 'error', 'httpCode']);
			expect(error.code).toBe('invalid_grant');
			// the auth failure's HTTP status: the portal's 401 or the token server's 400
			expect([400, 401]).toContain(error.httpCode);
		}
		expect(present(ids)).toEqual(ids.slice(50));
		// Get Many: two lists; Delete: the check, the 1st batch, the 2nd (401), then nothing more
		expect(methods()).toEqual([LIST, LIST, LIST, 'batch', 'batch']);
		expect(restRequests().map((r) => r.status)).toEqual([200, 200, 200, 200, 401]);
		expect(sandbox.requests.filter((r) => r.apiVersion === 'oauth').map((r) => r.status)).toEqual([
			400,
		]);
	});

	test('without Continue On Fail: the node’s error says 50 results were deleted before it', async () => {
		const { ids, engine } = await run({});
		expect(engine.error).toBeDefined();
		expect(engine.output('Delete')).toEqual([]);
		expect(`${engine.error?.message}\n${engine.error?.description}`).toMatch(
			/\b50 (of 120 )?results were deleted before this error/,
		);
		expect(present(ids)).toEqual(ids.slice(50));
		expect(methods()).toEqual([LIST, LIST, LIST, 'batch', 'batch']);
	});
});

describe('defect 3: refused results cost one request each', () => {
	test('50 results of another author on one task, Task ID set, Continue On Fail: 50 error items in 51 requests', async () => {
		const ids = results.many(50, { authorId: 2 });
		const run = await deleteItems(
			ids.map((id) => ({ id })),
			{ parameters: { resultTaskId: '51' }, continueOnFail: true },
		);
		expect(run.error).toBeUndefined();
		const out = json(run);
		expect(out).toHaveLength(50);
		for (const item of out)
			expect(item).toEqual({ error: 'Access denied by Bitrix24: id: Access denied', ...denied });
		expect(present(ids)).toEqual(ids);
		// the check shows rights.remove = false for each: each is sent alone for its own answer
		expect(methods()).toEqual([LIST, ...ids.map(() => DELETE)]);
		expect(restRequests()).toHaveLength(51);
	});

	test('100 own and 10 refused results interleaved on one task: 100 deleted, 10 errors, in 13 requests', async () => {
		const ids = results.many(110, (n) => ({ authorId: n % 11 === 5 ? 2 : 1 }));
		const refused = ids.filter((_, n) => n % 11 === 5);
		const run = await deleteItems(
			ids.map((id) => ({ id, taskId: 51 })),
			{ continueOnFail: true },
		);
		const out = json(run);
		ids.forEach((id, n) =>
			expect(out[n]).toEqual(
				refused.includes(id) ? expect.objectContaining(denied) : { id, deleted: true },
			),
		);
		expect(present(ids)).toEqual(refused);
		expect(methods()).toEqual([LIST, 'batch', 'batch', ...refused.map(() => DELETE)]);
		expect(
			(bodyOf('batch', 0) as unknown[]).length + (bodyOf('batch', 1) as unknown[]).length,
		).toBe(100);
		expect(restRequests().length).toBeLessThanOrEqual(35);
	});
});

describe('admin and ordinary users deleting a result that is gone (reference §9)', () => {
	const admin = () => webhookCredentials(sandbox, {}, ADMIN_WEBHOOK.userId);
	test.each([
		{
			name: 'admin webhook: the portal answers true, reported deleted',
			credentials: admin,
			options: {},
			output: (id: number) => ({ id, deleted: true }),
			requests: [DELETE],
		},
		{
			name: 'admin webhook with Ignore Already Deleted: the portal answers true, reported deleted',
			credentials: admin,
			options: { ignoreAlreadyDeleted: true },
			output: (id: number) => ({ id, deleted: true }),
			requests: [DELETE],
		},
		{
			name: 'ordinary webhook: access denied',
			credentials: () => webhookCredentials(sandbox),
			options: {},
			output: () => ({ error: 'Access denied by Bitrix24: id: Access denied', ...denied }),
			requests: [DELETE],
		},
		{
			name: 'ordinary webhook with Ignore Already Deleted: refused, not on its task → already deleted',
			credentials: () => webhookCredentials(sandbox),
			options: { ignoreAlreadyDeleted: true },
			output: (id: number) => ({ id, deleted: true, alreadyDeleted: true }),
			requests: [DELETE, LIST],
		},
	])('$name', async ({ credentials, options, output, requests }) => {
		const id = results.one();
		sandbox.state.results.delete(id);
		const run = await deleteItems([{ id, taskId: 51 }], {
			credentials: credentials(),
			options,
			continueOnFail: true,
		});
		expect(json(run)).toEqual([output(id)]);
		expect(methods()).toEqual(requests);
		if (requests.includes(LIST))
			expect(bodyOf(LIST)).toMatchObject({
				filter: [
					['taskId', 51],
					['id', 'in', [id]],
				],
			});
	});

	test('admin webhook: another author’s results, on a task the admin cannot see too, all deleted in one batch', async () => {
		const ids = [...results.many(3, { authorId: 2 }), ...results.many(2, { authorId: 1 })];
		const run = await deleteItems(
			ids.map((id) => ({ id, taskId: 51 })),
			{ credentials: webhookCredentials(sandbox, {}, ADMIN_WEBHOOK.userId) },
		);
		expect(json(run)).toEqual(deleted(ids));
		expect(present(ids)).toEqual([]);
		expect(methods()).toEqual([LIST, 'batch']);
	});
});

describe('all-success paths', () => {
	test('120 own results with Task ID: 1 check + 3 batches of 50, 50, 20, every item paired', async () => {
		const ids = results.many(120);
		const run = await deleteItems(
			ids.map((id) => ({ id })),
			{ parameters: { resultTaskId: '51' } },
		);
		expect(run.error).toBeUndefined();
		expect(json(run)).toEqual(deleted(ids));
		expect(run.output(NODE).map((item) => item.pairedItem)).toEqual(
			ids.map((_, item) => ({ item })),
		);
		expect(present(ids)).toEqual([]);
		expect(methods()).toEqual([LIST, 'batch', 'batch', 'batch']);
		expect([0, 1, 2].map((n) => (bodyOf('batch', n) as unknown[]).length)).toEqual([50, 50, 20]);
	});

	test('Get Many → Delete with only Result ID set: the task comes from each item, 3 batches, no hint', async () => {
		const ids = results.many(120, { taskId: 54 });
		sandbox.reset();
		const run = await runWorkflow(getManyThenDelete(54, 'webhook'), {
			credentials: webhookCredentials(sandbox),
		});
		expect(run.error).toBeUndefined();
		expect(json(run, 0, 'Delete')).toEqual(deleted(ids));
		expect(present(ids)).toEqual([]);
		expect(methods()).toEqual([
			LIST, // Get Many
			LIST, // Get Many: is a short first page a server cap? (helpers/paginate.ts)
			LIST, // Delete: the check
			'batch',
			'batch',
			'batch',
		]);
		expect(run.run.data.resultData.runData.Delete[0].hints ?? []).toEqual([]);
	});

	test('one result: POST to the REST 3.0 method with its id and an Idempotency-Key', async () => {
		const id = results.one();
		const run = await deleteItems([{ id }]);
		expect(run.output(NODE)).toEqual([{ json: { id, deleted: true }, pairedItem: { item: 0 } }]);
		expect(present([id])).toEqual([]);
		const [call] = restRequests();
		expect(restRequests()).toHaveLength(1);
		expect(call.path).toBe('/rest/api/1/sbx1webhookcode/tasks.task.result.delete');
		expect(call.body).toEqual({ id });
		expect(call.headers['idempotency-key']).toMatch(/^n8n-/);
	});

	test('a re-run with Ignore Already Deleted after a partial run: 1 check, 1 batch, the 60 gone sent alone', async () => {
		const ids = results.many(100);
		for (const id of ids.slice(0, 60)) sandbox.state.results.delete(id);
		const run = await deleteItems(
			ids.map((id) => ({ id, taskId: 51 })),
			{ options: { ignoreAlreadyDeleted: true } },
		);
		expect(json(run)).toEqual([
			...ids.slice(0, 60).map((id) => ({ id, deleted: true, alreadyDeleted: true })),
			...deleted(ids.slice(60)),
		]);
		expect(present(ids)).toEqual([]);
		expect(methods()).toEqual([LIST, 'batch', ...ids.slice(0, 60).map(() => DELETE)]);
	});

	test('duplicate items are sent once and share the outcome', async () => {
		const [a, b] = results.many(2);
		const items = [{ id: a }, { id: b }, { id: a }, { id: a }];
		const run = await deleteItems(items, { parameters: { resultTaskId: '51' } });
		expect(json(run)).toEqual(deleted([a, b, a, a]));
		expect(methods()).toEqual([LIST, 'batch']);
		expect(bodyOf('batch')).toHaveLength(2);
	});
});

describe('faults during the batches: settled from the task’s list, every delete reported once', () => {
	const serverError: Fault = {
		kind: 'status',
		status: 500,
		body: { error: { code: `${V3}INTERNAL_INTERNALEXCEPTION`, message: 'Something went wrong' } },
	};
	test.each([
		{
			name: 'the answer of the whole batch lost after the portal ran it',
			fault: { kind: 'resetAfterCommit' } as Fault,
			match: { restMethod: 'batch' },
			requests: [LIST, 'batch', LIST],
		},
		{
			name: 'the connection lost at command 20 (0–19 done)',
			fault: { kind: 'reset' } as Fault,
			match: { restMethod: DELETE, inBatch: true, afterMatches: 20 },
			requests: [LIST, 'batch', LIST, 'batch'],
		},
		{
			name: 'a 500 at command 7 (0–6 done)',
			fault: serverError,
			match: { restMethod: DELETE, inBatch: true, afterMatches: 7 },
			requests: [LIST, 'batch', LIST, 'batch'],
		},
		{
			name: 'a rate-limited batch, sent again as a whole',
			fault: {
				kind: 'status',
				status: 503,
				body: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' },
			} as Fault,
			match: { restMethod: 'batch' },
			requests: [LIST, 'batch', 'batch'],
		},
	] as Array<{ name: string; fault: Fault; match: FaultMatch; requests: string[] }>)(
		'$name',
		async ({ fault, match, requests }) => {
			const ids = results.many(45);
			sandbox.injectFault(fault, match);
			const run = await deleteItems(
				ids.map((id) => ({ id, taskId: 51 })),
				{ continueOnFail: true },
			);
			expect(json(run)).toEqual(deleted(ids));
			expect(present(ids)).toEqual([]);
			expect(methods()).toEqual(requests);
			// nothing deleted twice: every executed delete command succeeded
			expect(sandbox.counters.executedCommands - requests.filter((m) => m === LIST).length).toBe(
				45,
			);
		},
	);

	test('results someone else deletes while the batch runs: listed before, gone after → reported deleted', async () => {
		const ids = results.many(30);
		let struck = false;
		sandbox.onRequest((request) => {
			if (request.restMethod !== 'batch' || struck) return;
			struck = true;
			sandbox.state.results.delete(ids[10]);
			sandbox.state.results.delete(ids[20]);
		});
		const run = await deleteItems(
			ids.map((id) => ({ id, taskId: 51 })),
			{ continueOnFail: true },
		);
		expect(json(run)).toEqual(deleted(ids));
		expect(present(ids)).toEqual([]);
		// the batch stops at ids[10] (403: gone), the list shows 0–10 and 20 gone, the rest go again
		expect(methods()).toEqual([LIST, 'batch', LIST, 'batch']);
		expect(bodyOf('batch', 1)).toHaveLength(18);
	});

	test('a rate limit beyond the retries without Continue On Fail: the error says 50 were deleted, nothing sent after it', async () => {
		const ids = results.many(120);
		sandbox.injectFault(
			{
				kind: 'status',
				status: 503,
				body: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' },
			},
			{ restMethod: 'batch', afterMatches: 1, times: 100 },
		);
		const run = await deleteItems(
			ids.map((id) => ({ id, taskId: 51 })),
			{ options: { maxRetries: 0 } },
		);
		expect(run.error?.message).toBe('Too many requests to the Bitrix24 portal');
		expect(run.error?.description).toMatch(/\b50 (of 120 )?results were deleted before this error/);
		expect(present(ids)).toEqual(ids.slice(50));
		expect(methods()).toEqual([LIST, 'batch', 'batch']);
	});
});

describe('errors and hints', () => {
	test('Continue On Fail: a refused result and an invalid Result ID carry { error, code, httpCode }, the others carry on', async () => {
		const [own, foreign] = [results.one(), results.one({ authorId: 2 })];
		const run = await deleteItems([{ id: own }, { id: foreign }, { id: 'abc' }], {
			continueOnFail: true,
		});
		expect(run.error).toBeUndefined();
		const out = json(run);
		expect(out[0]).toEqual({ id: own, deleted: true });
		expect(out[1]).toEqual({ error: 'Access denied by Bitrix24: id: Access denied', ...denied });
		expect(out[2]).toMatchObject({ code: 'INVALID_INPUT', httpCode: null });
		expect(String(out[2].error)).toContain('item 2');
		expect(run.output(NODE).map((item) => item.pairedItem)).toEqual(
			[0, 1, 2].map((item) => ({ item })),
		);
		expect(present([own, foreign])).toEqual([foreign]);
		expect(methods()).toEqual([DELETE, DELETE]);
	});

	test('"Continue (using error output)": failed items go to the error output, paired, with the full error attached', async () => {
		const [a, foreign, b] = [results.one(), results.one({ authorId: 2 }), results.one()];
		const run = await deleteItems([{ id: a }, { id: foreign }, { id: b }], {
			onError: 'continueErrorOutput',
		});
		expect(run.error).toBeUndefined();
		expect(json(run, 0)).toEqual(deleted([a, b]));
		const failed = run.output(NODE, 1);
		expect(failed).toHaveLength(1);
		expect(failed[0].pairedItem).toEqual({ item: 1 });
		expect(failed[0].json.error).toMatch(/^Access denied by Bitrix24/);
		expect(failed[0].error?.context.errorCode).toBe(ACCESS_DENIED);
		expect(failed[0].error?.context.itemIndex).toBe(1);
	});

	test('Ignore Already Deleted without a Task ID fails before any request, naming the item and field', async () => {
		const run = await deleteItems([{ id: 5 }], { options: { ignoreAlreadyDeleted: true } });
		expect(run.error?.message).toBe('Invalid Task ID in item 0: it is empty');
		expect(sandbox.requests).toHaveLength(0);
	});

	test('IDs only, no task anywhere: one request per item, and the output pane says why and what to do', async () => {
		const ids = results.many(25);
		const run = await deleteItems(
			ids.map((id) => ({ resultId: id })),
			{
				parameters: { resultId: '={{ $json.resultId }}' },
			},
		);
		expect(json(run)).toEqual(deleted(ids));
		expect(methods()).toEqual(ids.map(() => DELETE));
		expect(run.run.data.resultData.runData[NODE][0].hints).toEqual([
			{
				message:
					'25 results were deleted one request each, because their task is unknown (Task ID is empty and the input items do not carry id and taskId): set Task ID (e.g. {{ $json.taskId }}) to delete up to 50 per request.',
				type: 'info',
				location: 'outputPane',
			},
		]);
		const few = await deleteItems(results.many(3).map((id) => ({ id })));
		expect(few.run.data.resultData.runData[NODE][0].hints ?? []).toEqual([]);
	});

	test('an item that carries another ID than the Result ID lends it no task', async () => {
		const ids = results.many(2);
		await deleteItems(
			ids.map((resultId) => ({ resultId, id: 1, taskId: 51 })),
			{ parameters: { resultId: '={{ $json.resultId }}' }, continueOnFail: true },
		);
		expect(methods()).toEqual([DELETE, DELETE]);
		expect(present(ids)).toEqual([]);
	});
});
