import type { IDataObject } from 'n8n-workflow';

import { webhookCredentials } from '../harness/credentials';
import { runWorkflow, singleNodeWorkflow } from '../harness/engine';
import { startSandbox, type Sandbox } from '../sandbox';

// Task → Get Many: REST 3.0 tasks.task.list (ID filter and order only, keyset pages of up to 1000);
// with filters on responsible person, status, deadline or workgroup, or another sort field, the
// classic tasks.task.list (pages of 50) with its items in the same shape.
let sandbox: Sandbox;

const TOTAL = 1200;
const FIRST = 1001;
const DAY = 86_400_000;
const NOW = Date.now();
const STATUSES = [2, 3, 5, 6];

beforeAll(async () => {
	const tasks = Array.from({ length: TOTAL }, (_, n) => ({
		id: FIRST + n,
		title: `Task ${FIRST + n}`,
		createdBy: 1,
		responsibleId: n % 10 === 0 ? 2 : 1,
		groupId: n % 4 === 0 ? 7 : 0,
		status: STATUSES[n % 4],
		priority: (['low', 'average', 'high'] as const)[n % 3],
		// every third task is overdue by n hours, the others are due in the future, some have none
		deadline: n % 3 === 0 ? NOW - (n + 1) * 3_600_000 : n % 3 === 1 ? NOW + (n + 1) * DAY : null,
	}));
	sandbox = await startSandbox({
		seed: {
			users: [
				{ id: 1, name: 'Anna', lastName: 'Webhook' },
				{ id: 2, name: 'Boris', lastName: 'Doer' },
			],
			groups: [{ id: 7, name: 'Sales', memberIds: [1, 2] }],
			tasks: [...tasks, { id: 9999, title: 'Foreign', createdBy: 2, responsibleId: 2 }],
		},
	});
});
afterAll(async () => await sandbox.stop());
beforeEach(() => {
	sandbox.reset();
	sandbox.clearFaults();
	sandbox.setTasksV3('all');
});

const run = (parameters: IDataObject, continueOnFail = false) =>
	runWorkflow(
		singleNodeWorkflow(
			{ resource: 'task', operation: 'getAll', ...parameters },
			{ continueOnFail },
		),
		{ credentials: webhookCredentials(sandbox) },
	);
const v3Lists = () =>
	sandbox.requests.filter((r) => r.apiVersion === 'v3' && r.restMethod === 'tasks.task.list');
const classicLists = () =>
	sandbox.requests.filter((r) => r.apiVersion === 'v2' && r.restMethod === 'tasks.task.list');
const ids = (out: Array<{ json: IDataObject }>) => out.map((i) => i.json.id);
const visible = () =>
	[...sandbox.state.tasks.values()]
		.filter((t) => t.memberIds.includes(1))
		.sort((a, b) => a.id - b.id);

describe('REST 3.0 list (no filters)', () => {
	test('Limit: exactly that many tasks, in one request asking for exactly that many', async () => {
		const { output, error } = await run({ limit: 3 });
		expect(error).toBeUndefined();
		const out = output('Bitrix24 Tasks');
		expect(ids(out)).toEqual([1001, 1002, 1003]);
		expect(out[0].json).toEqual({
			id: 1001,
			title: 'Task 1001',
			status: 'pending',
			priority: 'low',
			deadline: expect.any(String),
			responsibleId: 2,
			creatorId: 1,
			groupId: 7,
			created: expect.any(String),
			changed: expect.any(String),
			closed: null,
		});
		expect(v3Lists().map((r) => r.body)).toEqual([
			{
				select: [
					'id',
					'title',
					'status',
					'priority',
					'deadline',
					'responsibleId',
					'creatorId',
					'groupId',
					'created',
					'changed',
					'closed',
				],
				order: { id: 'ASC' },
				pagination: { limit: 3, offset: 0 },
			},
		]);
		expect(classicLists()).toHaveLength(0);
	});

	test('Return All: every visible task once, pages of 1000 by the ID cursor', async () => {
		const { output, error } = await run({ returnAll: true, options: { fields: ['title'] } });
		expect(error).toBeUndefined();
		const out = output('Bitrix24 Tasks');
		expect(ids(out)).toEqual(visible().map((t) => t.id));
		expect(out[0].json).toEqual({ id: 1001, title: 'Task 1001' });
		expect(v3Lists().map((r) => (r.body as IDataObject).filter)).toEqual([
			undefined,
			[['id', '>', 2000]],
		]);
	});

	test('Limit above one page: two requests, the second asking only for the rest', async () => {
		const { output } = await run({ limit: 1100, options: { sortDirection: 'DESC' } });
		const out = output('Bitrix24 Tasks');
		expect(out).toHaveLength(1100);
		expect(out[0].json.id).toBe(FIRST + TOTAL - 1);
		expect(new Set(ids(out)).size).toBe(1100);
		expect(v3Lists().map((r) => (r.body as IDataObject).pagination)).toEqual([
			{ limit: 1000, offset: 0 },
			{ limit: 100, offset: 0 },
		]);
		expect((v3Lists()[1].body as IDataObject).filter).toEqual([['id', '<', FIRST + TOTAL - 1000]]);
	});

	test('Task IDs filter stays on REST 3.0', async () => {
		const { output } = await run({ returnAll: true, filters: { taskIds: '1005, 1003, 9999' } });
		expect(ids(output('Bitrix24 Tasks'))).toEqual([1003, 1005]);
		expect((v3Lists()[0].body as IDataObject).filter).toEqual([['id', 'in', [1005, 1003, 9999]]]);
	});

	test.each(['withoutList', 'none'] as const)(
		'a portal without the REST 3.0 list (tasksV3 %s): the classic list gives the same items, after one REST 3.0 attempt for the run',
		async (mode) => {
			const expected = await run({ limit: 120, options: { sortDirection: 'DESC' } });
			const v3Items = expected.output('Bitrix24 Tasks').map((i) => i.json);
			expect(v3Items).toHaveLength(120);

			sandbox.reset();
			sandbox.setTasksV3(mode);
			const result = await runWorkflow(
				singleNodeWorkflow({
					resource: 'task',
					operation: 'getAll',
					limit: '={{ $json.limit }}',
					options: { sortDirection: 'DESC' },
				}),
				{ credentials: webhookCredentials(sandbox), items: [{ limit: 120 }, { limit: 2 }] },
			);
			expect(result.error).toBeUndefined();
			const out = result.output('Bitrix24 Tasks');
			expect(out.map((i) => i.json)).toEqual([...v3Items, ...v3Items.slice(0, 2)]);
			expect(out.map((i) => i.pairedItem)).toEqual([
				...Array.from({ length: 120 }, () => ({ item: 0 })),
				{ item: 1 },
				{ item: 1 },
			]);
			// one REST 3.0 attempt (answered "method not found"), then classic pages of 50: 3 + 1
			expect(v3Lists()).toHaveLength(1);
			expect(v3Lists()[0].status).toBe(404);
			expect(classicLists().map((r) => (r.body as IDataObject).start)).toEqual([0, 50, 100, 0]);
			const hints = (result.run.data.resultData.runData['Bitrix24 Tasks']?.[0]?.hints ?? []).map(
				(h) => h.message,
			);
			expect(hints.join(' ')).toContain('needs the tasks module 26.0.0');
		},
	);

	test('a REST 3.0 list that fails for another reason is an error, not a switch to the classic list', async () => {
		sandbox.injectFault(
			{
				kind: 'status',
				status: 503,
				body: { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' },
			},
			{ restMethod: 'tasks.task.list', times: 5 },
		);
		const { error } = await run({ limit: 5, options: { maxRetries: 0 } });
		expect(error?.message).toContain('internal server error');
		expect(v3Lists()).toHaveLength(1);
		expect(classicLists()).toHaveLength(0);
	});
});

describe('classic list (filters REST 3.0 cannot apply)', () => {
	test('overdue tasks of one person: the same items, in the same shape, as REST 3.0 gives for them', async () => {
		const filters = {
			responsibleId: 'https://portal.example.com/company/personal/user/2/',
			status: ['pending', 'in_progress'],
			deadlineBefore: new Date(NOW).toISOString(),
		};
		const { output, error } = await run({ returnAll: true, filters });
		expect(error).toBeUndefined();
		const out = output('Bitrix24 Tasks');
		const expected = visible().filter(
			(t) =>
				t.responsibleId === 2 &&
				[2, 3].includes(t.status) &&
				t.deadline !== null &&
				t.deadline <= NOW,
		);
		expect(expected.length).toBeGreaterThan(0);
		expect(ids(out)).toEqual(expected.map((t) => t.id));
		expect(v3Lists()).toHaveLength(0);
		expect(classicLists()[0].body).toMatchObject({
			filter: { RESPONSIBLE_ID: 2, REAL_STATUS: [1, 2, 3] },
			order: { ID: 'asc' },
		});

		sandbox.reset();
		const v3 = await run({
			returnAll: true,
			filters: { taskIds: expected.map((t) => t.id).join(',') },
		});
		expect(v3Lists()).toHaveLength(1);
		expect(out.map((i) => i.json)).toEqual(v3.output('Bitrix24 Tasks').map((i) => i.json));
	});

	test('Return All over classic pages of 50: each task once; Limit stops at the page that fills it', async () => {
		const all = await run({ returnAll: true, filters: { groupId: '7' } });
		const inGroup = visible().filter((t) => t.groupId === 7);
		expect(ids(all.output('Bitrix24 Tasks'))).toEqual(inGroup.map((t) => t.id));
		expect(classicLists().map((r) => (r.body as IDataObject).start)).toEqual(
			Array.from({ length: Math.floor(inGroup.length / 50) + 1 }, (_, n) => n * 50),
		);

		sandbox.reset();
		const some = await run({ limit: 60, filters: { groupId: '7' } });
		expect(ids(some.output('Bitrix24 Tasks'))).toEqual(inGroup.slice(0, 60).map((t) => t.id));
		expect(classicLists()).toHaveLength(2);
	});

	test('sorting by deadline lists through classic, ID breaking ties', async () => {
		const { output } = await run({
			limit: 5,
			filters: { deadlineAfter: new Date(NOW).toISOString() },
			options: { sortField: 'deadline', sortDirection: 'DESC', fields: ['deadline'] },
		});
		const out = output('Bitrix24 Tasks').map((i) => i.json);
		const deadlines = out.map((t) => Date.parse(t.deadline as string));
		expect(deadlines).toEqual([...deadlines].sort((a, b) => b - a));
		expect(classicLists()[0].body).toMatchObject({
			order: { DEADLINE: 'desc', ID: 'desc' },
			select: ['ID', 'DEADLINE'],
		});
	});

	test('classic list works also on a portal without REST 3.0 task methods', async () => {
		sandbox.setTasksV3('none');
		const { output, error } = await run({ limit: 2, filters: { status: ['completed'] } });
		expect(error).toBeUndefined();
		expect(output('Bitrix24 Tasks').map((i) => i.json.status)).toEqual(['completed', 'completed']);
	});
});

test.each([
	[
		'a Limit of 0',
		{ limit: 0 },
		'Invalid Limit in item 0: it must be a whole number of at least 1',
	],
	[
		'a status that does not exist',
		{ filters: { status: ['done'] } },
		'Invalid Filter "Status" in item 0: "done" is not a task status',
	],
	[
		'a workgroup link that is not one',
		{ filters: { groupId: 'https://portal.example.com/company/personal/user/2/' } },
		'Invalid Filter "Workgroup" in item 0: the link is not a Bitrix24 workgroup link',
	],
	[
		'a deadline that is not a date',
		{ filters: { deadlineBefore: 'tomorrow' } },
		'Invalid Filter "Deadline Before" in item 0: it is not a date',
	],
])('%s fails before any request', async (_, params, message) => {
	const { error } = await run(params);
	expect(error?.message).toBe(message);
	expect(sandbox.requests).toHaveLength(0);
});
