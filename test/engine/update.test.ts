import { webhookCredentials } from '../harness/credentials';
import { runWorkflow, singleNodeWorkflow } from '../harness/engine';
import { startSandbox, type Sandbox } from '../sandbox';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({
		seed: {
			tasks: [{ id: 51, title: 'Quarterly report', memberIds: [1, 2] }],
			results: [
				{ id: 17, taskId: 51, text: 'draft', authorId: 1 },
				{ id: 19, taskId: 51, text: 'by someone else', authorId: 2 },
			],
		},
	});
});
afterAll(async () => await sandbox.stop());
beforeEach(() => sandbox.reset());

const run = (resultId: string | number, text: string) =>
	runWorkflow(singleNodeWorkflow({ operation: 'update', resultId, text }), {
		credentials: webhookCredentials(sandbox),
	});

test('changes the text and outputs the updated result', async () => {
	const { output, error } = await run(17, 'Report sent and confirmed');
	expect(error).toBeUndefined();
	const [item] = output('Bitrix24 Tasks');
	expect(item.json).toMatchObject({
		id: 17,
		taskId: 51,
		text: 'Report sent and confirmed',
		authorId: 1,
	});
	expect(item.json.updatedAt).toEqual(expect.stringMatching(/\+00:00$/));
	expect(sandbox.state.results.get(17)).toMatchObject({ text: 'Report sent and confirmed' });
	const call = sandbox.requests.find((r) => r.restMethod === 'tasks.task.result.update');
	expect(call?.body).toEqual({ id: 17, fields: { text: 'Report sent and confirmed' } });
	expect(call?.headers['idempotency-key']).toMatch(/^n8n-/);
});

test('someone else’s result: access denied, text unchanged', async () => {
	const { error } = await run('19', 'mine now');
	expect(error?.message).toContain('id: Access denied');
	expect(error?.description).toContain('BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION (HTTP 403)');
	expect(sandbox.state.results.get(19)?.text).toBe('by someone else');
});

test.each([
	['an empty text', 17, '   ', 'Invalid Text in item 0: it is empty'],
	[
		'a result ID that is not a number',
		'17a',
		'x',
		'Invalid Result ID in item 0: it is not a whole number',
	],
	[
		'a missing result ID (from an expression)',
		'={{ $json.none }}',
		'x',
		'Invalid Result ID in item 0: it is empty',
	],
])('%s fails before any request', async (_, resultId, text, message) => {
	const { error } = await run(resultId, text);
	expect(error?.message).toBe(message);
	expect(sandbox.requests).toHaveLength(0);
	expect(sandbox.state.results.get(17)?.text).not.toBe(text);
});
