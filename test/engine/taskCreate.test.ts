import type { IDataObject } from 'n8n-workflow';

import { oAuth2Credentials, webhookCredentials } from '../harness/credentials';
import { runWorkflow, singleNodeWorkflow } from '../harness/engine';
import { startSandbox, type Sandbox } from '../sandbox';

// Task → Create: one REST 3.0 tasks.task.add per item, each with its Idempotency-Key.
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({
		seed: {
			users: [
				{ id: 1, name: 'Anna', lastName: 'Webhook' },
				{ id: 2, name: 'Boris', lastName: 'Doer' },
				{ id: 9, name: 'Ada', lastName: 'Admin', admin: true },
			],
			groups: [{ id: 7, name: 'Sales', memberIds: [1, 2] }],
			tasks: [{ id: 51, title: 'Parent', createdBy: 1, responsibleId: 1 }],
			taskUserFields: [{ fieldName: 'UF_ORDER_NO', userTypeId: 'string' }],
		},
	});
});
afterAll(async () => await sandbox.stop());
beforeEach(() => {
	sandbox.reset();
	sandbox.clearFaults();
	sandbox.setTasksV3('all');
});

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const run = (parameters: IDataObject, items?: IDataObject[], continueOnFail = false) =>
	runWorkflow(
		singleNodeWorkflow(
			{ resource: 'task', operation: 'create', ...parameters },
			{ continueOnFail },
		),
		{ credentials: webhookCredentials(sandbox), items },
	);
const addCalls = () => sandbox.requests.filter((r) => r.restMethod === 'tasks.task.add');

test('creates a task from the common fields; the output is the task the portal stored', async () => {
	const { output, error } = await run({
		title: 'Call the client back',
		responsibleId: rl('id', '2'),
		deadline: '2026-12-31T18:00:00+02:00',
		priority: 'high',
		groupId: rl('list', '7'),
		description: 'About the [B]invoice[/B]',
	});
	expect(error).toBeUndefined();
	const [item] = output('Bitrix24 Tasks');
	expect(item.pairedItem).toEqual({ item: 0 });
	const stored = sandbox.state.tasks.get(item.json.id as number)!;
	expect(stored).toMatchObject({
		title: 'Call the client back',
		responsibleId: 2,
		createdBy: 1,
		groupId: 7,
		priority: 'high',
		description: 'About the [B]invoice[/B]',
		deadline: Date.parse('2026-12-31T16:00:00Z'),
	});
	expect(item.json).toMatchObject({
		id: stored.id,
		title: 'Call the client back',
		priority: 'high',
		responsibleId: 2,
		creatorId: 1,
		groupId: 7,
	});
	expect(Date.parse(item.json.deadline as string)).toBe(stored.deadline);
	const [call] = addCalls();
	expect(call.path).toBe('/rest/api/1/sbx1webhookcode/tasks.task.add');
	expect(call.body).toEqual({
		fields: {
			title: 'Call the client back',
			responsibleId: 2,
			deadline: '2026-12-31T16:00:00+00:00',
			priority: 'high',
			groupId: 7,
			description: 'About the [B]invoice[/B]',
			creatorId: 1,
		},
	});
	expect(call.headers['idempotency-key']).toMatch(/^n8n-/);
});

test('responsible person and creator default to the webhook user; links pasted from the browser work', async () => {
	const { output, error } = await run(
		{
			title: '={{ $json.title }}',
			responsibleId: rl('url', '={{ $json.user }}'),
			groupId: rl('url', 'https://portal.example.com/workgroups/group/7/tasks/'),
			additionalFields: {
				parentId: 'https://portal.example.com/company/personal/user/1/tasks/task/view/51/',
				needsControl: true,
				crmItemIds: 'D_12, C_3',
			},
		},
		[
			{ title: 'Mine', user: '' },
			{ title: 'Boris', user: 'https://portal.example.com/company/personal/user/2/' },
		],
	);
	expect(error).toBeUndefined();
	const tasks = output('Bitrix24 Tasks').map((i) => sandbox.state.tasks.get(i.json.id as number)!);
	expect(tasks.map((t) => [t.title, t.createdBy, t.responsibleId, t.groupId, t.parentId])).toEqual([
		['Mine', 1, 1, 7, 51],
		['Boris', 1, 2, 7, 51],
	]);
	expect(tasks[1]).toMatchObject({ needsControl: true, crmItemIds: ['D_12', 'C_3'] });
	const keys = addCalls().map((c) => c.headers['idempotency-key']);
	expect(new Set(keys).size).toBe(2);
});

test.each([
	[
		'an empty title',
		{ title: '={{ $json.t ? "" : "fine" }}' },
		'Invalid Title in item 1: it is empty',
	],
	[
		'a deadline that is not a date',
		{ title: 'x', deadline: '={{ $json.t ? "soon" : "" }}' },
		'Invalid Deadline in item 1: it is not a date',
	],
	[
		'a link that is not a user link',
		{
			title: 'x',
			responsibleId: rl('url', '={{ $json.t ? "https://p.example.com/crm/deal/1/" : "" }}'),
		},
		'Invalid Responsible Person in item 1: the link is not a Bitrix24 user link',
	],
	[
		'a CRM item code Bitrix24 does not know',
		{ title: 'x', additionalFields: { crmItemIds: '={{ $json.t ? "DEAL12" : "D_1" }}' } },
		'Invalid CRM Items in item 1: "DEAL12" is not a CRM item',
	],
	[
		'a planned end before the planned start',
		{
			title: 'x',
			additionalFields: {
				startPlan: '2026-12-02T10:00:00+00:00',
				endPlan: '={{ $json.t ? "2026-12-01T10:00:00+00:00" : "2026-12-03T10:00:00+00:00" }}',
			},
		},
		'Invalid Planned End in item 1: it is before Planned Start',
	],
])('%s fails before any request, naming the item and the field', async (_, params, message) => {
	const { error } = await run(params, [{ t: '' }, { t: 'x' }]);
	expect(error?.message).toBe(message);
	expect(addCalls()).toHaveLength(0);
});

test('a responsible person the portal does not know: its validation message, field by field', async () => {
	const { error } = await run({ title: 'x', responsibleId: rl('id', '404') });
	expect(error?.message).toContain('responsibleId:');
	expect(error?.description).toContain(
		'BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION (HTTP 400)',
	);
	expect([...sandbox.state.tasks.values()].filter((t) => t.title === 'x')).toHaveLength(0);
});

test('Continue On Fail: a refused item becomes { error, code, httpCode }, the others are created', async () => {
	const before = sandbox.state.tasks.size;
	const { output, error } = await run(
		{ title: '={{ $json.title }}', responsibleId: rl('id', '={{ $json.user }}') },
		[
			{ title: 'ok 1', user: '2' },
			{ title: 'bad', user: '404' },
			{ title: 'ok 2', user: '1' },
		],
		true,
	);
	expect(error).toBeUndefined();
	const out = output('Bitrix24 Tasks');
	expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	expect(out[1].json).toEqual({
		error: expect.stringContaining('responsibleId'),
		code: 'BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION',
		httpCode: 400,
	});
	expect(out[0].json.title).toBe('ok 1');
	expect(out[2].json.title).toBe('ok 2');
	expect(sandbox.state.tasks.size).toBe(before + 2);
});

test('a portal without the REST 3.0 task methods: an error naming the tasks module version needed', async () => {
	sandbox.setTasksV3('none');
	const { error } = await run({ title: 'x' });
	expect(error?.message).toContain(
		'tasks.task.add needs the Bitrix24 tasks module 25.700.0 or later',
	);
	expect(error?.description).toContain('tasks module 25.700.0');
	expect(error?.description).toMatch(/Bitrix24 error code: \S*METHOD\S*NOT\S*FOUND/i);
});

test('custom fields go through the classic tasks.task.update right after the create', async () => {
	const { output, error } = await run({
		title: 'With custom fields',
		customFields: { field: [{ name: 'UF_ORDER_NO', value: 'A-17' }] },
	});
	expect(error).toBeUndefined();
	const [item] = output('Bitrix24 Tasks');
	expect(item.json.UF_ORDER_NO).toBe('A-17');
	expect(sandbox.state.tasks.get(item.json.id as number)?.uf.UF_ORDER_NO).toBe('A-17');
	const classic = sandbox.requests.find(
		(r) => r.apiVersion === 'v2' && r.restMethod === 'tasks.task.update',
	);
	expect(classic?.body).toEqual({ taskId: item.json.id, fields: { UF_ORDER_NO: 'A-17' } });
	// REST 3.0 never sees a UF_ name: it would refuse it as an unknown field
	expect(JSON.stringify(addCalls()[0].body)).not.toContain('UF_');
});

test('OAuth2: the creator defaults to the connected user, read once per run from profile', async () => {
	const { output, error } = await runWorkflow(
		singleNodeWorkflow(
			{ resource: 'task', operation: 'create', title: '={{ $json.t }}' },
			{ credential: 'oAuth2' },
		),
		{
			credentials: oAuth2Credentials(sandbox, sandbox.issueTokens({ userId: 2 })),
			items: [{ t: 'a' }, { t: 'b' }],
		},
	);
	expect(error).toBeUndefined();
	const stored = output('Bitrix24 Tasks').map((i) => sandbox.state.tasks.get(i.json.id as number));
	expect(stored.map((t) => [t?.createdBy, t?.responsibleId])).toEqual([
		[2, 2],
		[2, 2],
	]);
	expect(sandbox.requests.filter((r) => r.restMethod === 'profile')).toHaveLength(1);
});
