import { webhookCredentials } from '../harness/credentials';
import { runWorkflow, singleNodeWorkflow } from '../harness/engine';
import { startSandbox, type Sandbox } from '../sandbox';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({
		seed: {
			tasks: [
				{ id: 51, title: 'Quarterly report', memberIds: [1, 2], chatId: 9 },
				{ id: 52, title: 'Not mine', memberIds: [2], chatId: 10 },
			],
			chatMessages: [
				{ id: 335, taskId: 51, authorId: 2, text: 'Report attached, numbers checked' },
				{ id: 336, taskId: null, authorId: 1, text: 'lunch?' },
				{ id: 337, taskId: 77, authorId: 1, text: 'from a deleted task' },
				{ id: 338, taskId: 52, authorId: 2, text: 'secret' },
			],
		},
	});
});
afterAll(async () => await sandbox.stop());
beforeEach(() => sandbox.reset());

const run = (messageId: string | number) =>
	runWorkflow(singleNodeWorkflow({ operation: 'createFromChatMessage', messageId }), {
		credentials: webhookCredentials(sandbox),
	});

test('turns a task chat message into a result of that task', async () => {
	const { output, error } = await run('335');
	expect(error).toBeUndefined();
	const [item] = output('Bitrix24 Tasks');
	expect(item.json).toMatchObject({
		taskId: 51,
		text: 'Report attached, numbers checked',
		messageId: 335,
		authorId: 1,
		status: 'open',
	});
	expect(sandbox.state.results.get(item.json.id as number)).toMatchObject({
		taskId: 51,
		messageId: 335,
	});
	const call = sandbox.requests.find(
		(r) => r.restMethod === 'tasks.task.result.addfromchatmessage',
	);
	expect(call?.body).toEqual({ fields: { messageId: 335 } });
	expect(call?.headers['idempotency-key']).toMatch(/^n8n-/);
});

test.each([
	['a message outside task chats', 336, 'messageId: Message is not from task chat', 400],
	['a message of a task that no longer exists', 337, 'messageId: Task not found', 400],
	['a message in a chat the user cannot see', 338, 'messageId: Access denied', 403],
])('%s: the portal’s reason reaches the user', async (_, messageId, message, httpCode) => {
	const before = sandbox.state.results.size;
	const { error } = await run(messageId);
	expect(error?.message).toContain(message);
	expect(error?.description).toContain(`(HTTP ${httpCode})`);
	expect(sandbox.state.results.size).toBe(before);
});

test('a message ID that is not a number fails before any request', async () => {
	const { error } = await run('msg-335');
	expect(error?.message).toBe('Invalid Message ID in item 0: it is not a whole number');
	expect(sandbox.requests).toHaveLength(0);
});
