import type { IDataObject, IWorkflowBase } from 'n8n-workflow';

import cleanupExample from '../../examples/cleanup-old-results.json';
import {
	forgetApiVersions,
	REMEMBER_CLASSIC_MS,
} from '../../nodes/Bitrix24Tasks/actions/taskResult/apiVersion';
import { webhookCredentials } from '../harness/credentials';
import { runWorkflow, singleNodeWorkflow, type EngineRun } from '../harness/engine';
import { isoWithOffset, startSandbox, type Sandbox, type SandboxOptions } from '../sandbox';

// API Version: a portal without REST 3.0 task results (tasks module < 26.0.0) served over the
// classic result methods, and Auto's switch to them (reference §3, §9, §11).

const DAY = 86_400_000;
const daysAgo = (days: number) => isoWithOffset(Date.now() - days * DAY);
const NODE = 'Bitrix24 Tasks';

/** Old-card results 1–3 (made from comments 501–503), 4 recent, 5 old but of the new card (no comment). */
const seed = () => ({
	tasks: [
		{ id: 51, title: 'Old card', memberIds: [1, 2] },
		{ id: 52, title: 'Other task', memberIds: [1] },
	],
	comments: [
		{ id: 501, taskId: 51, authorId: 1, text: 'old, mine' },
		{ id: 502, taskId: 51, authorId: 1, text: 'old, mine too' },
		{ id: 503, taskId: 51, authorId: 2, text: 'old, by a colleague' },
		{ id: 504, taskId: 51, authorId: 1, text: 'Contract <signed>' },
		{ id: 505, taskId: 52, authorId: 1, text: 'recent' },
	],
	results: [
		{ id: 1, taskId: 51, text: 'old, mine', commentId: 501, createdAt: daysAgo(90) },
		{ id: 2, taskId: 51, text: 'old, mine too', commentId: 502, createdAt: daysAgo(31) },
		{
			id: 3,
			taskId: 51,
			text: 'old, by a colleague',
			authorId: 2,
			commentId: 503,
			createdAt: daysAgo(45),
			status: 'closed' as const,
		},
		{ id: 4, taskId: 52, text: 'recent', commentId: 505, createdAt: daysAgo(2) },
		{ id: 5, taskId: 51, text: 'old, new card', createdAt: daysAgo(60) },
	],
});

let classic: Sandbox;

async function withPortal(options: SandboxOptions, body: (s: Sandbox) => Promise<void>) {
	const s = await startSandbox({ ...options, seed: seed() });
	try {
		await body(s);
	} finally {
		await s.stop();
	}
}

beforeEach(async () => {
	forgetApiVersions();
	classic = await startSandbox({ v3Results: false, seed: seed() });
});
afterEach(async () => await classic.stop());

const asWorkflow = (json: unknown) => json as Pick<IWorkflowBase, 'nodes' | 'connections'>;
const v3Calls = (s: Sandbox) => s.requests.filter((r) => r.apiVersion === 'v3');
const calls = (s: Sandbox, method: string) => s.requests.filter((r) => r.restMethod === method);
const hints = (run: EngineRun, node = NODE) =>
	(run.run.data.resultData.runData[node]?.[0]?.hints ?? []).map((h) => h.message);
const json = (run: EngineRun, node = NODE) => run.output(node).map((item) => item.json);

async function run(
	s: Sandbox,
	parameters: IDataObject,
	options: { items?: IDataObject[]; continueOnFail?: boolean; executionId?: string } = {},
) {
	return await runWorkflow(
		singleNodeWorkflow(parameters, { continueOnFail: options.continueOnFail }),
		{ credentials: webhookCredentials(s), items: options.items, executionId: options.executionId },
	);
}

describe('Get Many → Delete (examples/cleanup-old-results.json), unchanged', () => {
	test('classic-only portal: Auto switches once, deletes each old-card result once, reports each exactly', async () => {
		const result = await runWorkflow(asWorkflow(cleanupExample), {
			credentials: webhookCredentials(classic),
		});
		expect(result.error).toBeUndefined();
		expect(json(result, 'Get old results')).toEqual([
			{ id: 1, taskId: 51, authorId: 1, createdAt: expect.any(String) },
			{ id: 5, taskId: 51, authorId: 1, createdAt: expect.any(String) },
			{ id: 3, taskId: 51, authorId: 2, createdAt: expect.any(String) },
			{ id: 2, taskId: 51, authorId: 1, createdAt: expect.any(String) },
		]);
		const deleted = json(result, 'Delete old result');
		expect(deleted).toEqual([
			{ id: 1, deleted: true },
			{
				error:
					'This task result was not made from a task comment: result 5 of task 51 was made in the new task card (commentId 0)',
				code: 'RESULT_WITHOUT_COMMENT',
				httpCode: null,
			},
			{ error: 'Access denied by Bitrix24', code: '0', httpCode: 400 },
			{ id: 2, deleted: true },
		]);
		expect([...classic.state.results.keys()].sort()).toEqual([3, 4, 5]);
		// one REST 3.0 attempt in the whole execution; the Delete node knew the portal already
		expect(v3Calls(classic).map((r) => [r.restMethod, r.status])).toEqual([
			['tasks.task.result.list', 404],
		]);
		// the three deletes in one classic batch, each answering for itself
		expect(calls(classic, 'batch').map((r) => r.body)).toEqual([
			{
				halt: 0,
				cmd: {
					d0: 'tasks.task.result.deleteFromComment?commentId=501',
					d1: 'tasks.task.result.deleteFromComment?commentId=503',
					d2: 'tasks.task.result.deleteFromComment?commentId=502',
				},
			},
		]);
		// Get Many: one list; Delete: one list before, one after
		expect(
			calls(classic, 'tasks.task.result.list').filter((r) => r.apiVersion === 'v2'),
		).toHaveLength(3);
		expect(hints(result, 'Get old results')[0]).toContain('has no REST 3.0 task results');
		expect(hints(result, 'Delete old result')[0]).toContain('answered earlier');
	});

	test('the same workflow on a REST 3.0 portal: REST 3.0 only, the new-card result deleted too', async () => {
		await withPortal({}, async (v3Portal) => {
			const result = await runWorkflow(asWorkflow(cleanupExample), {
				credentials: webhookCredentials(v3Portal),
			});
			expect(result.error).toBeUndefined();
			expect(json(result, 'Get old results').map((item) => item.id)).toEqual([1, 5, 3, 2]);
			expect(json(result, 'Delete old result')).toEqual([
				{ id: 1, deleted: true },
				{ id: 5, deleted: true },
				expect.objectContaining({ code: 'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION' }),
				{ id: 2, deleted: true },
			]);
			expect(v3Portal.requests.every((r) => r.apiVersion === 'v3')).toBe(true);
			expect(hints(result, 'Get old results')).toEqual([]);
			expect([...v3Portal.state.results.keys()].sort()).toEqual([3, 4]);
		});
	});

	test('a portal without /rest/api/ at all (ERROR_METHOD_NOT_FOUND) switches the same way', async () => {
		await withPortal({ v3Enabled: false }, async (old) => {
			const result = await runWorkflow(asWorkflow(cleanupExample), {
				credentials: webhookCredentials(old),
			});
			expect(json(result, 'Delete old result').map((item) => item.deleted ?? item.code)).toEqual([
				true,
				'RESULT_WITHOUT_COMMENT',
				'0',
				true,
			]);
			expect(v3Calls(old).map((r) => r.status)).toEqual([404]);
		});
	});
});

describe('classic Get Many', () => {
	test('the REST 3.0 item shape, plus commentId and formattedText', async () => {
		const result = await run(classic, { operation: 'getAll', taskId: 51, returnAll: true });
		expect(json(result)).toEqual([
			expect.objectContaining({ id: 1, commentId: 501, status: 'open' }),
			expect.objectContaining({ id: 2, commentId: 502 }),
			expect.objectContaining({ id: 3, commentId: 503, status: 'closed', authorId: 2 }),
			{
				id: 5,
				taskId: 51,
				text: 'old, new card',
				authorId: 1,
				createdAt: expect.any(String),
				updatedAt: null,
				status: 'open',
				fileIds: [],
				messageId: null,
				commentId: null,
				formattedText: 'old, new card',
			},
		]);
	});

	test('filters, order, Limit and fields on the client, from one list request', async () => {
		const parameters = {
			operation: 'getAll',
			apiVersion: 'classic',
			taskId: 51,
			returnAll: false,
			limit: 2,
			filters: { authorId: '1', createdBefore: daysAgo(30) },
			options: { sortField: 'createdAt', sortDirection: 'DESC', fields: ['text', 'status'] },
		};
		const result = await run(classic, parameters);
		expect(json(result)).toEqual([
			{ id: 2, text: 'old, mine too', status: 'open' },
			{ id: 5, text: 'old, new card', status: 'open' },
		]);
		const closed = await run(classic, {
			...parameters,
			filters: { status: 'closed' },
			options: {},
		});
		expect(json(closed).map((item) => item.id)).toEqual([3]);
		const some = await run(classic, { ...parameters, filters: { resultIds: '1, 3, 4' } });
		expect(json(some).map((item) => item.id)).toEqual([3, 1]);
		expect(classic.requests.map((r) => r.restMethod)).toEqual(
			Array(3).fill('tasks.task.result.list'),
		);
		expect(v3Calls(classic)).toHaveLength(0);
	});

	test('a task the user cannot open: the classic "Access denied." with its hint', async () => {
		const result = await run(classic, { operation: 'getAll', apiVersion: 'classic', taskId: 77 });
		expect(result.error?.message).toBe('Access denied by Bitrix24');
		expect(result.error?.description).toContain('no access to the task, the task does not exist');
		expect(result.error?.description).toContain('Bitrix24 error code: 0 (HTTP 400)');
	});

	test('the Message ID filter is refused before any request', async () => {
		const result = await run(classic, {
			operation: 'getAll',
			apiVersion: 'classic',
			taskId: 51,
			filters: { messageId: '335' },
		});
		expect(result.error?.message).toContain('Invalid Filter "Message ID" in item 0');
		expect(classic.requests).toHaveLength(0);
	});
});

describe('classic Delete', () => {
	const remove = (extra: IDataObject = {}) => ({
		operation: 'delete',
		apiVersion: 'classic',
		resultId: '={{ $json.id }}',
		resultTaskId: '={{ $json.taskId }}',
		...extra,
	});

	test('the Task ID is required: the error names the item and the field, before any request', async () => {
		const result = await run(classic, remove({ resultTaskId: '' }), { items: [{ id: 1 }] });
		expect(result.error?.message).toBe('Invalid Task ID in item 0: it is empty');
		expect(result.error?.description).toContain('set Task ID');
		expect(classic.requests).toHaveLength(0);
	});

	test('a result without a comment stops the run before anything is deleted', async () => {
		const result = await run(classic, remove(), {
			items: [
				{ id: 1, taskId: 51 },
				{ id: 5, taskId: 51 },
			],
		});
		expect(result.error?.message).toBe(
			'This task result was not made from a task comment: result 5 of task 51 was made in the new task card (commentId 0)',
		);
		expect(result.error?.description).toContain('tasks module 26.0.0');
		expect(result.error?.description).toContain('0 of 2 results were deleted before this error.');
		expect(calls(classic, 'tasks.task.result.deletefromcomment')).toHaveLength(0);
		expect(classic.state.results.has(1)).toBe(true);
	});

	test('twins are deleted once; a result gone already is reported only with Ignore Already Deleted', async () => {
		classic.state.results.delete(2);
		const items = [
			{ id: 1, taskId: 51 },
			{ id: 1, taskId: 51 },
			{ id: 2, taskId: 51 },
		];
		const strict = await run(classic, remove(), { items, continueOnFail: true });
		expect(json(strict)).toEqual([
			{ id: 1, deleted: true },
			{ id: 1, deleted: true },
			{
				error: 'The task result is not on its task: result 2 is not on task 51',
				code: 'RESULT_NOT_ON_TASK',
				httpCode: null,
			},
		]);
		expect(calls(classic, 'tasks.task.result.deletefromcomment')).toHaveLength(1);
		classic.reset();
		const lenient = await run(classic, remove({ options: { ignoreAlreadyDeleted: true } }), {
			items,
		});
		expect(json(lenient)).toEqual([
			{ id: 1, deleted: true, alreadyDeleted: true },
			{ id: 1, deleted: true, alreadyDeleted: true },
			{ id: 2, deleted: true, alreadyDeleted: true },
		]);
		expect(calls(classic, 'tasks.task.result.deletefromcomment')).toHaveLength(0);
	});

	test('reported deleted only when the list confirms it: an answered delete of a result still there fails', async () => {
		// another user re-pins the comment between the delete and the check
		let deleteSeen = false;
		classic.onRequest((request) => {
			if (request.restMethod === 'tasks.task.result.deletefromcomment') deleteSeen = true;
			else if (deleteSeen && request.restMethod === 'tasks.task.result.list')
				classic.seed({ results: [{ id: 1, taskId: 51, text: 'back', commentId: 501 }] });
		});
		const result = await run(classic, remove(), {
			items: [{ id: 1, taskId: 51 }],
			continueOnFail: true,
		});
		classic.onRequest(undefined);
		expect(json(result)).toEqual([
			{
				error:
					'Bitrix24 answered the delete, but the result is still on its task: result 1 is still on task 51',
				code: 'DELETE_NOT_CONFIRMED',
				httpCode: null,
			},
		]);
	});

	test('a comment that carries another result is not deleted through', async () => {
		classic.seed({
			results: [{ id: 6, taskId: 51, text: 're-pinned', commentId: 501, createdAt: daysAgo(1) }],
		});
		const result = await run(classic, remove(), {
			items: [{ id: 1, taskId: 51 }],
			continueOnFail: true,
		});
		expect(json(result)[0]).toMatchObject({ code: 'COMMENT_HAS_OTHER_RESULTS' });
		expect(json(result)[0].error).toContain('comment 501 also carries result 6');
		expect(classic.state.results.has(1)).toBe(true);
		expect(calls(classic, 'tasks.task.result.deletefromcomment')).toHaveLength(0);
	});
});

describe('classic Delete in bulk', () => {
	const many = Array.from({ length: 60 }, (_, n) => ({
		id: 1000 + n,
		taskId: 52,
		text: `old ${n}`,
		commentId: 5000 + n,
		createdAt: daysAgo(100 - n),
	}));
	const bulk = (batchRequests: boolean) => ({
		operation: 'delete',
		apiVersion: 'classic',
		resultId: '={{ $json.id }}',
		options: { batchRequests },
	});
	beforeEach(() => {
		classic.seed({
			comments: many.map((r) => ({ id: r.commentId, taskId: 52, authorId: 1, text: r.text })),
			results: many,
		});
		classic.reset();
	});

	test('Batch Requests on: 60 deletes in two classic batches, between two lists', async () => {
		const result = await run(classic, bulk(true), { items: many });
		expect(json(result)).toEqual(many.map((r) => ({ id: r.id, deleted: true })));
		expect(classic.requests.map((r) => r.restMethod)).toEqual([
			'tasks.task.result.list',
			'batch',
			'batch',
			'tasks.task.result.list',
		]);
		expect(many.some((r) => classic.state.results.has(r.id))).toBe(false);
	});

	test('a refused command of a batch is that item\u2019s error; the others are deleted', async () => {
		classic.state.comments.get(5003)!.authorId = 2;
		const result = await run(classic, bulk(true), { items: many, continueOnFail: true });
		const out = json(result);
		expect(out[3]).toEqual({ error: 'Access denied by Bitrix24', code: '0', httpCode: 400 });
		expect(out.filter((item) => item.deleted === true)).toHaveLength(59);
		expect(classic.state.results.has(1003)).toBe(true);
	});

	test('Batch Requests off: one request per result', async () => {
		const result = await run(classic, bulk(false), { items: many.slice(0, 3) });
		expect(json(result)).toHaveLength(3);
		expect(classic.requests.map((r) => r.restMethod)).toEqual([
			'tasks.task.result.list',
			...Array(3).fill('tasks.task.result.deletefromcomment'),
			'tasks.task.result.list',
		]);
	});
});

describe('Create From Comment', () => {
	test('classic-only portal (Auto): the comment becomes a result; a second time "Result already exists."', async () => {
		const first = await run(classic, { operation: 'createFromComment', commentId: 504 });
		expect(first.error).toBeUndefined();
		const [created] = json(first);
		expect(created).toEqual({
			id: expect.any(Number),
			taskId: 51,
			text: 'Contract <signed>',
			authorId: 1,
			createdAt: expect.any(String),
			updatedAt: null,
			status: 'open',
			fileIds: [],
			messageId: null,
			commentId: 504,
			formattedText: 'Contract &lt;signed&gt;',
		});
		expect(classic.state.results.get(created.id as number)?.commentId).toBe(504);
		const again = await run(
			classic,
			{ operation: 'createFromComment', commentId: 504 },
			{
				continueOnFail: true,
			},
		);
		expect(json(again)).toEqual([
			{
				error: 'This comment is already a task result: Result already exists.',
				code: '0',
				httpCode: 400,
			},
		]);
		expect(calls(classic, 'tasks.task.result.addfromcomment')).toHaveLength(2);
	});

	test('a REST 3.0 portal: explains the REST 3.0 operations, sends no classic write', async () => {
		await withPortal({}, async (v3Portal) => {
			const auto = await run(v3Portal, { operation: 'createFromComment', commentId: 504 });
			expect(auto.error?.message).toBe(
				'Create From Comment is for portals without REST 3.0 task results',
			);
			expect(auto.error?.description).toContain('Create From Chat Message');
			expect(v3Portal.requests.map((r) => r.restMethod)).toEqual(['tasks.task.result.list']);
			v3Portal.reset();
			const pinned = await run(v3Portal, {
				operation: 'createFromComment',
				commentId: 504,
				apiVersion: 'v3',
			});
			expect(pinned.error?.message).toBe(
				'Create From Comment is for portals without REST 3.0 task results',
			);
			expect(v3Portal.requests).toHaveLength(0);
		});
	});
});

describe('Create, Create From Chat Message and Update on a classic portal', () => {
	test.each([
		['create', { taskId: 51, text: 'x' }],
		['createFromChatMessage', { messageId: 335 }],
		['update', { resultId: 1, text: 'x' }],
	])('%s: an error naming the tasks module version', async (operation, parameters) => {
		const auto = await run(classic, { operation, ...parameters });
		expect(auto.error?.message).toBe(
			'This operation needs REST 3.0 task results, which this Bitrix24 portal does not have',
		);
		expect(auto.error?.description).toContain('tasks module 26.0.0 or later');
		expect(v3Calls(classic).map((r) => r.status)).toEqual([404]);
		classic.reset();
		const pinned = await run(classic, { operation, ...parameters, apiVersion: 'classic' });
		expect(pinned.error?.message).toBe(auto.error?.message);
		expect(classic.requests).toHaveLength(0);
	});
});

describe('Auto', () => {
	test('remembers a classic portal: the next run sends no REST 3.0 request', async () => {
		const first = await run(classic, { operation: 'getAll', taskId: 51 });
		expect(v3Calls(classic)).toHaveLength(1);
		classic.reset();
		const second = await run(classic, { operation: 'getAll', taskId: 51 });
		expect(json(second)).toEqual(json(first));
		expect(v3Calls(classic)).toHaveLength(0);
		expect(hints(second)[0]).toContain('answered earlier');
	});

	test('across executions for 15 minutes, and only after the portal answered a classic call', async () => {
		const getAll = { operation: 'getAll', taskId: 51 };
		await run(classic, getAll, { executionId: 'a' });
		await run(classic, getAll, { executionId: 'b' });
		expect(v3Calls(classic)).toHaveLength(1);
		const now = Date.now();
		const later = jest.spyOn(Date, 'now').mockReturnValue(now + REMEMBER_CLASSIC_MS + 1000);
		try {
			await run(classic, getAll, { executionId: 'c' });
		} finally {
			later.mockRestore();
		}
		expect(v3Calls(classic)).toHaveLength(2);

		forgetApiVersions();
		classic.reset();
		// Create has no classic call: the portal is remembered in its execution only
		const create = { operation: 'create', taskId: 51, text: 'x' };
		await run(classic, create, { executionId: 'd' });
		await run(classic, create, { executionId: 'd' });
		expect(v3Calls(classic)).toHaveLength(1);
		await run(classic, create, { executionId: 'e' });
		expect(v3Calls(classic)).toHaveLength(2);
	});

	test('the REST 3.0 attempt leaves no hint of its own: 25 deletes without a task', async () => {
		const items = Array.from({ length: 25 }, (_, n) => ({ resultId: 100 + n }));
		const result = await run(
			classic,
			{ operation: 'delete', resultId: '={{ $json.resultId }}' },
			{ items, continueOnFail: true },
		);
		expect(json(result).map((item) => item.error)).toEqual(
			items.map((_, n) => `Invalid Task ID in item ${n}: it is empty`),
		);
		expect(v3Calls(classic)).toHaveLength(1);
		expect(hints(result)).toHaveLength(1);
		expect(hints(result)[0]).toContain('has no REST 3.0 task results');
	});

	test('REST 3.0 pinned on a classic portal: the REST 3.0 error, no switch', async () => {
		const result = await run(classic, { operation: 'getAll', taskId: 51, apiVersion: 'v3' });
		expect(result.error?.message).toBe(
			'Bitrix24 REST 3.0 method not found: Method "tasks.task.result.list" was not found.',
		);
		expect(classic.requests.every((r) => r.apiVersion === 'v3')).toBe(true);
	});

	test('Continue On Fail: every item is served over the classic API after the switch', async () => {
		const result = await run(
			classic,
			{ operation: 'getAll', taskId: '={{ $json.task }}', returnAll: true },
			{ items: [{ task: 51 }, { task: 77 }, { task: 52 }], continueOnFail: true },
		);
		const out = json(result);
		expect(out.filter((item) => item.taskId === 51)).toHaveLength(4);
		expect(out.filter((item) => item.code === '0')).toEqual([
			{ error: 'Access denied by Bitrix24', code: '0', httpCode: 400 },
		]);
		expect(out.filter((item) => item.taskId === 52).map((item) => item.id)).toEqual([4]);
		expect(result.output(NODE).map((item) => item.pairedItem)).toEqual([
			...Array(4).fill({ item: 0 }),
			{ item: 1 },
			{ item: 2 },
		]);
		// REST 3.0 was tried once; the later items were never sent there
		expect(v3Calls(classic)).toHaveLength(1);
	});
});
