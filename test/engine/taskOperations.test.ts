import type { IDataObject } from 'n8n-workflow';

import { webhookCredentials } from '../harness/credentials';
import { runWorkflow, singleNodeWorkflow } from '../harness/engine';
import { startSandbox, type Sandbox } from '../sandbox';

// Task → Get, Update, Delete, Send Chat Message, Get Access Rights, Attach Files: one REST 3.0 call
// per item (update: then a get), every write with its Idempotency-Key.
let sandbox: Sandbox;

const seedTasks = () => [
	{ id: 51, title: 'Mine', createdBy: 1, responsibleId: 2, groupId: 7, priority: 'high' as const },
	{ id: 52, title: 'Not mine', createdBy: 2, responsibleId: 2 },
	{ id: 53, title: 'I only do it', createdBy: 2, responsibleId: 1 },
];

beforeAll(async () => {
	sandbox = await startSandbox({
		seed: {
			users: [
				{ id: 1, name: 'Anna', lastName: 'Webhook' },
				{ id: 2, name: 'Boris', lastName: 'Doer' },
				{ id: 9, name: 'Ada', lastName: 'Admin', admin: true },
			],
			groups: [{ id: 7, name: 'Sales', memberIds: [1, 2] }],
			tasks: seedTasks(),
			taskUserFields: [{ fieldName: 'UF_ORDER_NO', userTypeId: 'string' }],
		},
	});
});
afterAll(async () => await sandbox.stop());
let pristine: Map<number, unknown>;
beforeAll(() => {
	pristine = new Map([...sandbox.state.tasks].map(([id, t]) => [id, structuredClone(t)]));
});
beforeEach(() => {
	sandbox.reset();
	sandbox.clearFaults();
	sandbox.setTasksV3('all');
	sandbox.state.tasks.clear();
	for (const [id, t] of pristine) sandbox.state.tasks.set(id, structuredClone(t) as never);
	sandbox.state.chatMessages.clear();
});

const byId = (value: string | number) => ({ __rl: true, mode: 'id', value: String(value) });
const run = (
	operation: string,
	parameters: IDataObject,
	items?: IDataObject[],
	continueOnFail = false,
) =>
	runWorkflow(
		singleNodeWorkflow({ resource: 'task', operation, ...parameters }, { continueOnFail }),
		{ credentials: webhookCredentials(sandbox), items },
	);
const calls = (method: string) => sandbox.requests.filter((r) => r.restMethod === method);

describe('Get', () => {
	test('outputs the task with flat creatorId, responsibleId and groupId', async () => {
		const { output, error } = await run('get', { taskId: byId(51) });
		expect(error).toBeUndefined();
		const [item] = output('Bitrix24 Tasks');
		expect(item.json).toMatchObject({
			id: 51,
			title: 'Mine',
			priority: 'high',
			creatorId: 1,
			responsibleId: 2,
			groupId: 7,
		});
		expect(calls('tasks.task.get')[0].body).toEqual({
			id: 51,
			select: ['creator.id', 'responsible.id', 'group.id'],
		});
	});

	test('a task link from the browser is read as its ID', async () => {
		const { output } = await run('get', {
			taskId: {
				__rl: true,
				mode: 'url',
				value: 'https://portal.example.com/workgroups/group/7/tasks/task/view/51/',
			},
		});
		expect(output('Bitrix24 Tasks')[0].json.id).toBe(51);
	});

	test('a foreign task: 403 access denied; under Continue On Fail { error, code, httpCode }', async () => {
		const { output, error } = await run(
			'get',
			{ taskId: '={{ $json.id }}' },
			[{ id: 52 }, { id: 51 }],
			true,
		);
		expect(error).toBeUndefined();
		const [denied, ok] = output('Bitrix24 Tasks');
		expect(denied.json).toEqual({
			error: 'Access denied by Bitrix24',
			code: 'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION',
			httpCode: 403,
		});
		expect(ok.json.id).toBe(51);
	});

	test('a task ID that is not a number fails before any request', async () => {
		const { error } = await run('get', { taskId: '={{ $json.id }}' }, [{ id: 'x' }]);
		expect(error?.message).toBe('Invalid Task ID in item 0: it is not a whole number');
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('Update', () => {
	test('changes the fields and outputs the task as the portal now holds it', async () => {
		const { output, error } = await run('update', {
			taskId: byId(51),
			updateFields: {
				title: 'Mine, renamed',
				deadline: '2027-01-15T09:30:00+01:00',
				status: 'in_progress',
				responsibleId: 'https://portal.example.com/company/personal/user/1/',
				groupId: '0',
			},
		});
		expect(error).toBeUndefined();
		const stored = sandbox.state.tasks.get(51)!;
		expect(stored).toMatchObject({
			title: 'Mine, renamed',
			responsibleId: 1,
			groupId: 0,
			status: 3,
			deadline: Date.parse('2027-01-15T08:30:00Z'),
		});
		const [item] = output('Bitrix24 Tasks');
		expect(item.json).toMatchObject({
			id: 51,
			title: 'Mine, renamed',
			status: 'in_progress',
			responsibleId: 1,
			groupId: 0,
		});
		const [update] = calls('tasks.task.update');
		expect(update.body).toEqual({
			id: 51,
			fields: {
				title: 'Mine, renamed',
				deadline: '2027-01-15T08:30:00+00:00',
				status: 'in_progress',
				responsibleId: 1,
				groupId: 0,
			},
		});
		expect(update.headers['idempotency-key']).toMatch(/^n8n-/);
		expect(calls('tasks.task.get')).toHaveLength(1);
	});

	test('custom fields only: the classic tasks.task.update sets them; a field the portal does not keep is not reported', async () => {
		const { output, error } = await run('update', {
			taskId: byId(51),
			customFields: {
				field: [
					{ name: 'UF_ORDER_NO', value: 'A-18' },
					{ name: 'UF_UNKNOWN', value: 'x' },
				],
			},
		});
		expect(error).toBeUndefined();
		expect(sandbox.state.tasks.get(51)?.uf.UF_ORDER_NO).toBe('A-18');
		const [item] = output('Bitrix24 Tasks');
		expect(item.json).toMatchObject({ id: 51, UF_ORDER_NO: 'A-18' });
		expect(item.json).not.toHaveProperty('UF_UNKNOWN');
		expect(calls('tasks.task.update').map((c) => c.apiVersion)).toEqual(['v2']);
	});

	test('no field to change fails before any request', async () => {
		const { error } = await run('update', { taskId: byId(51), updateFields: {} });
		expect(error?.message).toBe('Invalid Update Fields in item 0: no field to change');
		expect(sandbox.requests).toHaveLength(0);
	});

	test('a task the user may not change: 403, nothing changed, nothing read back', async () => {
		const { error } = await run('update', { taskId: byId(53), updateFields: { title: 'x' } });
		expect(error?.message).toBe('Access denied by Bitrix24');
		expect(sandbox.state.tasks.get(53)?.title).toBe('I only do it');
		expect(calls('tasks.task.get')).toHaveLength(0);
	});

	test('a lost answer is retried with the same Idempotency-Key and applied once', async () => {
		sandbox.injectFault(
			{ kind: 'resetAfterCommit' },
			{ restMethod: 'tasks.task.update', times: 1 },
		);
		const { output, error } = await run('update', {
			taskId: byId(51),
			updateFields: { title: 'Once' },
		});
		expect(error).toBeUndefined();
		expect(output('Bitrix24 Tasks')[0].json.title).toBe('Once');
		const keys = calls('tasks.task.update').map((c) => c.headers['idempotency-key']);
		expect(keys).toHaveLength(2);
		expect(keys[0]).toBe(keys[1]);
		expect(sandbox.counters.idempotentReplays).toBe(1);
	});
});

describe('Delete', () => {
	test('deletes each task once and outputs { id, deleted: true }', async () => {
		const { output, error } = await run('delete', { taskId: '={{ $json.id }}' }, [{ id: 51 }]);
		expect(error).toBeUndefined();
		expect(output('Bitrix24 Tasks').map((i) => i.json)).toEqual([{ id: 51, deleted: true }]);
		expect(sandbox.state.tasks.has(51)).toBe(false);
		expect(calls('tasks.task.delete')[0].headers['idempotency-key']).toMatch(/^n8n-/);
	});

	test('a task the user may not delete stays; Continue On Fail reports it, the next item is deleted', async () => {
		const { output } = await run(
			'delete',
			{ taskId: '={{ $json.id }}' },
			[{ id: 52 }, { id: 51 }],
			true,
		);
		const [denied, deleted] = output('Bitrix24 Tasks');
		expect(denied.json).toMatchObject({
			code: 'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION',
			httpCode: 403,
		});
		expect(deleted.json).toEqual({ id: 51, deleted: true });
		expect(sandbox.state.tasks.has(52)).toBe(true);
	});

	test('the answer of a delete is lost: the retry is replayed, not refused as a second delete', async () => {
		sandbox.injectFault(
			{ kind: 'resetAfterCommit' },
			{ restMethod: 'tasks.task.delete', times: 1 },
		);
		const { output, error } = await run('delete', { taskId: byId(51) });
		expect(error).toBeUndefined();
		expect(output('Bitrix24 Tasks')[0].json).toEqual({ id: 51, deleted: true });
		expect(sandbox.counters.idempotentReplays).toBe(1);
	});
});

describe('Send Chat Message', () => {
	test("posts each item's text into its task's chat", async () => {
		const { output, error } = await run(
			'sendChatMessage',
			{ taskId: '={{ $json.id }}', text: '={{ $json.text }}' },
			[
				{ id: 51, text: 'Reminder: overdue' },
				{ id: 53, text: 'Me too' },
			],
		);
		expect(error).toBeUndefined();
		expect(output('Bitrix24 Tasks').map((i) => i.json)).toEqual([
			{ taskId: 51, text: 'Reminder: overdue', sent: true },
			{ taskId: 53, text: 'Me too', sent: true },
		]);
		expect(
			[...sandbox.state.chatMessages.values()].map((m) => [m.taskId, m.authorId, m.text]),
		).toEqual([
			[51, 1, 'Reminder: overdue'],
			[53, 1, 'Me too'],
		]);
		expect(calls('tasks.task.chat.message.send')[0].body).toEqual({
			fields: { taskId: 51, text: 'Reminder: overdue' },
		});
	});

	test('an empty text fails before any request; a task the user cannot see gives 403', async () => {
		const empty = await run('sendChatMessage', { taskId: byId(51), text: '  ' });
		expect(empty.error?.message).toBe('Invalid Text in item 0: it is empty');
		expect(sandbox.requests).toHaveLength(0);
		const foreign = await run('sendChatMessage', { taskId: byId(52), text: 'hi' });
		expect(foreign.error?.message).toBe('Access denied by Bitrix24');
		expect(sandbox.state.chatMessages.size).toBe(0);
	});

	test('with the Idempotency Key option a repeated run posts nothing twice', async () => {
		const params = {
			taskId: byId(51),
			text: 'Once only',
			options: { idempotencyKey: 'reminder-51' },
		};
		await run('sendChatMessage', params);
		await run('sendChatMessage', params);
		expect(sandbox.state.chatMessages.size).toBe(1);
	});
});

describe('Get Access Rights', () => {
	test("outputs the portal's rights map of the task for the credential's user", async () => {
		const { output, error } = await run('getAccess', { taskId: '={{ $json.id }}' }, [
			{ id: 51 },
			{ id: 52 },
		]);
		expect(error).toBeUndefined();
		const [mine, foreign] = output('Bitrix24 Tasks').map((i) => i.json);
		expect(mine).toMatchObject({ id: 51, read: true, edit: true, remove: true });
		expect(foreign).toMatchObject({ id: 52, read: false, edit: false, remove: false });
	});
});

describe('Attach Files', () => {
	test('attaches Drive files to the task', async () => {
		const { output, error } = await run('attachFiles', { taskId: byId(51), fileIds: '1043, 1044' });
		expect(error).toBeUndefined();
		expect(output('Bitrix24 Tasks')[0].json).toEqual({
			taskId: 51,
			fileIds: [1043, 1044],
			attached: true,
		});
		expect(sandbox.state.tasks.get(51)?.fileIds).toEqual([1043, 1044]);
		expect(calls('tasks.task.file.attach')[0].body).toEqual({ taskId: 51, fileIds: [1043, 1044] });
	});

	test('a file ID that is not a number fails before any request', async () => {
		const { error } = await run('attachFiles', { taskId: byId(51), fileIds: '1043, abc' });
		expect(error?.message).toBe('Invalid Drive File ID in item 0: it is not a whole number');
		expect(sandbox.requests).toHaveLength(0);
	});
});

test.each([
	['get', { taskId: byId(51) }, 'tasks.task.get'],
	['delete', { taskId: byId(51) }, 'tasks.task.delete'],
	['sendChatMessage', { taskId: byId(51), text: 'x' }, 'tasks.task.chat.message.send'],
])(
	'%s on a portal without REST 3.0 task methods names the tasks module version',
	async (operation, params, method) => {
		sandbox.setTasksV3('none');
		const { error } = await run(operation, params);
		expect(error?.message).toContain(`${method} needs the Bitrix24 tasks module 25.700.0 or later`);
	},
);
