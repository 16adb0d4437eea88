import type { IDataObject } from 'n8n-workflow';

import { webhookCredentials } from '../harness/credentials';
import { runWorkflow, singleNodeWorkflow } from '../harness/engine';
import { startSandbox, type Sandbox } from '../sandbox';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({
		seed: {
			tasks: [
				{ id: 51, title: 'Quarterly report', memberIds: [1, 2] },
				{ id: 52, title: 'Not mine', memberIds: [2] },
			],
		},
	});
});
afterAll(async () => await sandbox.stop());
beforeEach(() => {
	sandbox.reset();
	sandbox.clearFaults();
});

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const run = (parameters: IDataObject, items?: IDataObject[], continueOnFail = false) =>
	runWorkflow(singleNodeWorkflow({ operation: 'create', ...parameters }, { continueOnFail }), {
		credentials: webhookCredentials(sandbox),
		items,
	});
const addCalls = () => sandbox.requests.filter((r) => r.restMethod === 'tasks.task.result.add');

test('creates a result and outputs the result object', async () => {
	const { output, error } = await run({ taskId: byId('51'), text: 'Report sent to the client' });
	expect(error).toBeUndefined();
	const [item] = output('Bitrix24 Tasks');
	expect(item.pairedItem).toEqual({ item: 0 });
	expect(item.json).toEqual({
		id: expect.any(Number),
		taskId: 51,
		text: 'Report sent to the client',
		authorId: 1,
		createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/),
		updatedAt: null,
		status: 'open',
		fileIds: [],
		rights: { edit: true, remove: true },
		messageId: null,
	});
	expect(sandbox.state.results.get(item.json.id as number)).toMatchObject({
		taskId: 51,
		text: 'Report sent to the client',
		authorId: 1,
	});
	const [call] = addCalls();
	expect(call.path).toBe('/rest/api/1/sbx1webhookcode/tasks.task.result.add');
	expect(call.body).toEqual({ fields: { taskId: 51, text: 'Report sent to the client' } });
	expect(call.headers['idempotency-key']).toMatch(/^n8n-/);
});

test('one result per input item, text from an expression, kept as written', async () => {
	const before = sandbox.state.results.size;
	const { output, error } = await run({ taskId: 51, text: '={{ $json.note }}' }, [
		{ note: '  first\nline ' },
		{ note: 'second' },
	]);
	expect(error).toBeUndefined();
	expect(output('Bitrix24 Tasks').map((i) => [i.json.text, i.pairedItem])).toEqual([
		['  first\nline ', { item: 0 }],
		['second', { item: 1 }],
	]);
	expect(sandbox.state.results.size).toBe(before + 2);
	const keys = addCalls().map((c) => c.headers['idempotency-key']);
	expect(new Set(keys).size).toBe(2);
});

test.each([
	['empty', ''],
	['only whitespace', ' \n\t '],
])('text %s: fails before any request, naming the item and the field', async (_, text) => {
	const { error } = await run({ taskId: byId('51'), text: '={{ $json.text }}' }, [
		{ text: 'fine' },
		{ text },
	]);
	expect(error?.message).toBe('Invalid Text in item 1: it is empty');
	expect(addCalls()).toHaveLength(0);
});

test('a task ID that is not a number fails before any request', async () => {
	await expect(run({ taskId: byId('fifty'), text: 'x' })).rejects.toThrow(
		'The task ID is a whole number, like 51',
	);
	const { error } = await run({ taskId: byId('={{ $json.task }}'), text: 'x' }, [
		{ task: 'fifty' },
	]);
	expect(error?.message).toBe('Invalid Task ID in item 0: it is not a whole number');
	expect(sandbox.requests).toHaveLength(0);
});

test('Task not found reaches the user with its field', async () => {
	const { error } = await run({ taskId: byId('999'), text: 'x' });
	expect(error?.message).toContain('taskId: Task not found');
	expect(error?.description).toContain('- taskId: Task not found');
	expect(error?.description).toContain(
		'BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION (HTTP 400)',
	);
});

test('no access to the task: 403 access denied, under Continue On Fail as an error item', async () => {
	const { output, error } = await run(
		{ taskId: '={{ $json.task }}', text: 'x' },
		[{ task: 52 }, { task: 51 }],
		true,
	);
	expect(error).toBeUndefined();
	const [denied, created] = output('Bitrix24 Tasks');
	expect(denied.json).toMatchObject({
		code: 'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION',
		httpCode: 403,
	});
	expect(denied.pairedItem).toEqual({ item: 0 });
	expect(created.json).toMatchObject({ taskId: 51, text: 'x' });
	expect([...sandbox.state.results.values()].some((r) => r.taskId === 52)).toBe(false);
});

test('DTO validation messages reach the user field by field', async () => {
	sandbox.injectFault(
		{
			kind: 'status',
			status: 400,
			body: {
				error: {
					code: 'BITRIX_REST_V3_EXCEPTION_VALIDATION_DTOVALIDATIONEXCEPTION',
					message: 'Validation error',
					validation: [
						{ field: 'text', message: 'Required field `text` is not specified' },
						{ field: 'fileIds', message: 'Field `fileIds` is not available for filling' },
					],
				},
			},
		},
		{ restMethod: 'tasks.task.result.add', times: 1 },
	);
	const { error } = await run({ taskId: byId('51'), text: 'x' });
	expect(error?.message).toContain(
		'text: Required field `text` is not specified; fileIds: Field `fileIds` is not available for filling',
	);
	expect(error?.description).toContain('- fileIds: Field `fileIds` is not available for filling');
});
