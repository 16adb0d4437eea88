import type { IDataObject } from 'n8n-workflow';

import { webhookCredentials } from '../harness/credentials';
import { runWorkflow, singleNodeWorkflow } from '../harness/engine';
import { startSandbox, type Sandbox } from '../sandbox';

const BIG = 2_600;

const tasks = [
	{ id: 51, title: 'Quarterly report', memberIds: [1, 2] },
	{ id: 60, title: 'Big task' },
	{ id: 61, title: 'No results yet' },
	{ id: 62, title: 'Not mine', memberIds: [2] },
];
const small = [
	{
		id: 101,
		taskId: 51,
		text: 'mine',
		authorId: 1,
		status: 'open' as const,
		createdAt: '2026-01-10T09:00:00+00:00',
	},
	{
		id: 102,
		taskId: 51,
		text: 'open, February',
		authorId: 2,
		status: 'open' as const,
		createdAt: '2026-02-10T09:00:00+00:00',
	},
	{
		id: 103,
		taskId: 51,
		text: 'closed',
		authorId: 2,
		status: 'closed' as const,
		createdAt: '2026-02-11T09:00:00+00:00',
	},
	{
		id: 104,
		taskId: 51,
		text: 'too old',
		authorId: 2,
		status: 'open' as const,
		createdAt: '2025-12-01T09:00:00+00:00',
	},
	{
		id: 105,
		taskId: 51,
		text: 'open, March',
		authorId: 2,
		status: 'open' as const,
		createdAt: '2026-03-01T09:00:00+00:00',
	},
];
const big = Array.from({ length: BIG }, (_, i) => ({
	id: 1000 + i,
	taskId: 60,
	text: `result ${i}`,
}));

let sandbox: Sandbox;
let capped: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: { tasks, results: [...small, ...big] } });
	capped = await startSandbox({ maxPageSize: 50, seed: { tasks, results: big.slice(0, 300) } });
});
afterAll(async () => {
	await sandbox.stop();
	await capped.stop();
});
beforeEach(() => {
	sandbox.reset();
	capped.reset();
});

const byId = (value: unknown) => ({ __rl: true, mode: 'id', value });
const workflow = (parameters: IDataObject) =>
	singleNodeWorkflow({ operation: 'getAll', ...parameters });
const run = (parameters: IDataObject, portal = sandbox, items?: IDataObject[]) =>
	runWorkflow(workflow(parameters), { credentials: webhookCredentials(portal), items });
const listCalls = (portal = sandbox) =>
	portal.requests.filter((r) => r.restMethod === 'tasks.task.result.list');
const ids = (items: Array<{ json: IDataObject }>) => items.map((i) => i.json.id);

test('one item per result, default order by ID, all default fields', async () => {
	const { output, error } = await run({ taskId: byId('51') });
	expect(error).toBeUndefined();
	const items = output('Bitrix24 Tasks');
	expect(ids(items)).toEqual([101, 102, 103, 104, 105]);
	expect(items.every((i) => i.pairedItem && (i.pairedItem as { item: number }).item === 0)).toBe(
		true,
	);
	expect(items[0].json).toEqual({
		id: 101,
		taskId: 51,
		text: 'mine',
		authorId: 1,
		createdAt: '2026-01-10T09:00:00+00:00',
		updatedAt: null,
		status: 'open',
		fileIds: [],
		rights: { edit: true, remove: true },
		messageId: null,
	});
	expect(listCalls()[0].path).toBe('/rest/api/1/sbx1webhookcode/tasks.task.result.list');
	expect(listCalls()[0].body).toEqual({
		filter: [['taskId', 51]],
		order: { id: 'ASC' },
		pagination: { limit: 50, offset: 0 },
	});
});

test(`Return All pages through ${BIG} results with the ID cursor`, async () => {
	const { output, error } = await run({ taskId: byId('60'), returnAll: true });
	expect(error).toBeUndefined();
	const got = ids(output('Bitrix24 Tasks'));
	expect(got).toHaveLength(BIG);
	expect(new Set(got).size).toBe(BIG);
	expect(got).toEqual(big.map((r) => r.id));
	const bodies = listCalls().map((c) => c.body as IDataObject);
	expect(bodies).toHaveLength(3);
	expect(bodies[0]).toEqual({
		filter: [['taskId', 60]],
		order: { id: 'ASC' },
		pagination: { limit: 1000, offset: 0 },
	});
	expect(bodies[1].filter).toEqual([
		['taskId', 60],
		['id', '>', 1999],
	]);
	expect(bodies[2].filter).toEqual([
		['taskId', 60],
		['id', '>', 2999],
	]);
});

test('Limit stops exactly: 120 from a server that caps pages at 50', async () => {
	const { output, error } = await run({ taskId: byId('60'), limit: 120 }, capped);
	expect(error).toBeUndefined();
	expect(ids(output('Bitrix24 Tasks'))).toEqual(big.slice(0, 120).map((r) => r.id));
	expect(
		listCalls(capped).map((c) => (c.body as { pagination: IDataObject }).pagination.limit),
	).toEqual([120, 70, 20]);
});

test('Return All is complete under a server cap, also when sorting by another field (offset paging)', async () => {
	const all = await run({ taskId: byId('60'), returnAll: true }, capped);
	expect(ids(all.output('Bitrix24 Tasks'))).toEqual(big.slice(0, 300).map((r) => r.id));

	const sorted = await run(
		{
			taskId: byId('60'),
			returnAll: true,
			options: { sortField: 'createdAt', sortDirection: 'DESC' },
		},
		capped,
	);
	const got = ids(sorted.output('Bitrix24 Tasks'));
	expect(got).toHaveLength(300);
	expect(new Set(got).size).toBe(300);
});

test('Limit under 50 from a full list is one request', async () => {
	const { output } = await run({ taskId: byId('60'), limit: 7 });
	expect(output('Bitrix24 Tasks')).toHaveLength(7);
	expect(listCalls()).toHaveLength(1);
});

test('filters combined: author + status + created after', async () => {
	const { output, error } = await run({
		taskId: byId('51'),
		filters: { authorId: '2', status: 'open', createdAfter: '2026-02-01T00:00:00' },
	});
	expect(error).toBeUndefined();
	expect(ids(output('Bitrix24 Tasks'))).toEqual([102, 105]);
	// Bitrix24 cannot filter by createdAt: the date is checked on each row, the list sorted by it
	expect(listCalls()[0].body).toMatchObject({
		filter: [
			['taskId', 51],
			['authorId', 2],
			['status', 'open'],
		],
		order: { createdAt: 'ASC', id: 'ASC' },
	});
});

test('filters: several result IDs, a date range, sort and fields to return', async () => {
	const { output, error } = await run({
		taskId: byId('51'),
		filters: {
			resultIds: '101, 103,105',
			createdAfter: '2026-01-01T00:00:00Z',
			createdBefore: '2026-02-28T23:59:59Z',
		},
		options: { sortField: 'createdAt', sortDirection: 'DESC', fields: ['text', 'status'] },
	});
	expect(error).toBeUndefined();
	expect(output('Bitrix24 Tasks').map((i) => i.json)).toEqual([
		{ id: 103, text: 'closed', status: 'closed' },
		{ id: 101, text: 'mine', status: 'open' },
	]);
	expect(listCalls()[0].body).toMatchObject({
		filter: [
			['taskId', 51],
			['id', 'in', [101, 103, 105]],
		],
		order: { createdAt: 'DESC', id: 'DESC' },
		// createdAt is asked for to check the range, and left out of the output
		select: ['id', 'createdAt', 'text', 'status'],
	});
});

describe('date filters on a long list (checked on the client, paging stops past the range)', () => {
	let dated: Sandbox;
	const minute = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();
	beforeAll(async () => {
		dated = await startSandbox({
			seed: {
				tasks,
				results: Array.from({ length: 3000 }, (_, i) => ({
					// ids in reverse creation order, so the ID order cannot stand in for the date order
					id: 20_000 - i,
					taskId: 60,
					text: `dated ${i}`,
					createdAt: minute(i).replace('.000Z', '+00:00'),
				})),
			},
		});
	});
	afterAll(async () => await dated.stop());
	beforeEach(() => dated.reset());
	const window = { createdAfter: minute(500), createdBefore: minute(1700) };
	const inWindow = Array.from({ length: 1201 }, (_, k) => 20_000 - (500 + k));

	test('Return All: exactly the results in the range, in date order, two pages instead of three', async () => {
		const { output, error } = await run(
			{ taskId: byId('60'), returnAll: true, filters: window },
			dated,
		);
		expect(error).toBeUndefined();
		expect(ids(output('Bitrix24 Tasks'))).toEqual(inWindow);
		const calls = listCalls(dated).map((r) => r.body as IDataObject);
		expect(calls).toHaveLength(2);
		for (const body of calls)
			expect(JSON.stringify(body.filter)).not.toMatch(/createdAt|updatedAt/);
	});

	test('Limit: exactly the first N in the range; descending stops at the start of the range', async () => {
		const first = await run({ taskId: byId('60'), limit: 30, filters: window }, dated);
		expect(ids(first.output('Bitrix24 Tasks'))).toEqual(inWindow.slice(0, 30));
		const last = await run(
			{
				taskId: byId('60'),
				returnAll: true,
				filters: window,
				options: { sortField: 'createdAt', sortDirection: 'DESC' },
			},
			dated,
		);
		expect(ids(last.output('Bitrix24 Tasks'))).toEqual([...inWindow].reverse());
	});

	test('sorted by another field: the whole list is checked, still exact', async () => {
		const { output } = await run(
			{ taskId: byId('60'), returnAll: true, filters: window, options: { sortField: 'id' } },
			dated,
		);
		expect(ids(output('Bitrix24 Tasks'))).toEqual([...inWindow].sort((a, b) => a - b));
		expect(listCalls(dated)).toHaveLength(4);
	});
});

describe('empty result', () => {
	test('no results: no output items, no error', async () => {
		const { output, error } = await run({ taskId: byId('61'), returnAll: true });
		expect(error).toBeUndefined();
		expect(output('Bitrix24 Tasks')).toEqual([]);
		expect(listCalls()).toHaveLength(1);
	});

	test('filters that match nothing are not an error', async () => {
		const { output, error } = await run({ taskId: byId('51'), filters: { authorId: 99 } });
		expect(error).toBeUndefined();
		expect(output('Bitrix24 Tasks')).toEqual([]);
	});

	test('with Always Output Data: one empty item', async () => {
		const wf = workflow({ taskId: byId('61') });
		wf.nodes[1].alwaysOutputData = true;
		const { output, error } = await runWorkflow(wf, { credentials: webhookCredentials(sandbox) });
		expect(error).toBeUndefined();
		expect(output('Bitrix24 Tasks')).toEqual([{ json: {}, pairedItem: [{ item: 0, input: 0 }] }]);
	});
});

test('several input items: each item’s results are paired to it', async () => {
	const { output, error } = await run({ taskId: byId('={{ $json.task }}'), limit: 2 }, sandbox, [
		{ task: 51 },
		{ task: 61 },
		{ task: 60 },
	]);
	expect(error).toBeUndefined();
	expect(output('Bitrix24 Tasks').map((i) => [i.json.id, i.pairedItem])).toEqual([
		[101, { item: 0 }],
		[102, { item: 0 }],
		[1000, { item: 2 }],
		[1001, { item: 2 }],
	]);
});

describe('errors', () => {
	test('no access to the task: 403 with its field', async () => {
		const { error } = await run({ taskId: byId('62') });
		expect(error?.message).toContain('taskId: Access denied');
		expect(error?.description).toContain(
			'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION (HTTP 403)',
		);
	});

	test.each([
		[
			{ status: '={{ "done" }}' },
			'Invalid Filter "Status" in item 0: "done" is not a result status',
		],
		[{ resultIds: '17;18' }, 'Invalid Filter "Result IDs" in item 0: it is not a whole number'],
		[
			{ createdBefore: '={{ "last week" }}' },
			'Invalid Filter "Created Before" in item 0: it is not a date',
		],
	])(
		'bad filter %j fails before any request, naming the item and the filter',
		async (filters, message) => {
			const { error } = await run({ taskId: byId('51'), filters });
			expect(error?.message).toBe(message);
			expect(listCalls()).toHaveLength(0);
		},
	);

	test('a bad filter value in the second item stops the run before the first item’s request', async () => {
		const { error } = await run(
			{ taskId: byId('51'), filters: { authorId: '={{ $json.author }}' } },
			sandbox,
			[{ author: 2 }, { author: 'boss' }],
		);
		expect(error?.message).toBe('Invalid Filter "Author ID" in item 1: it is not a whole number');
		expect(listCalls()).toHaveLength(0);
	});

	test('Continue On Fail: the inaccessible task becomes an error item, the other item keeps its results', async () => {
		const wf = singleNodeWorkflow(
			{ operation: 'getAll', taskId: byId('={{ $json.task }}'), limit: 1 },
			{ continueOnFail: true },
		);
		const { output, error } = await runWorkflow(wf, {
			credentials: webhookCredentials(sandbox),
			items: [{ task: 62 }, { task: 51 }],
		});
		expect(error).toBeUndefined();
		const [denied, found] = output('Bitrix24 Tasks');
		expect(denied).toMatchObject({
			json: { code: 'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION', httpCode: 403 },
			pairedItem: { item: 0 },
		});
		expect(found).toMatchObject({ json: { id: 101 }, pairedItem: { item: 1 } });
	});
});
