import type { IWorkflowBase } from 'n8n-workflow';

import chatMessageExample from '../../examples/add-result-from-chat-message.json';
import cleanupExample from '../../examples/cleanup-old-results.json';
import { webhookCredentials } from '../harness/credentials';
import { runWorkflow } from '../harness/engine';
import { isoWithOffset, startSandbox, type Sandbox } from '../sandbox';

const DAY = 86_400_000;
const daysAgo = (days: number) => isoWithOffset(Date.now() - days * DAY);

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({
		seed: {
			tasks: [{ id: 51, title: 'Quarterly report', memberIds: [1, 2], chatId: 9 }],
			results: [
				{ id: 1, taskId: 51, text: 'old, mine', authorId: 1, createdAt: daysAgo(90) },
				{ id: 2, taskId: 51, text: 'old, mine too', authorId: 1, createdAt: daysAgo(31) },
				{ id: 3, taskId: 51, text: 'old, by a colleague', authorId: 2, createdAt: daysAgo(45) },
				{ id: 4, taskId: 51, text: 'recent', authorId: 1, createdAt: daysAgo(2) },
			],
			chatMessages: [{ id: 335, taskId: 51, authorId: 2, text: 'Signed contract uploaded' }],
		},
	});
});
afterAll(async () => await sandbox.stop());

const asWorkflow = (json: unknown) => json as Pick<IWorkflowBase, 'nodes' | 'connections'>;

test('examples/cleanup-old-results.json deletes the old results the user may delete, in a batch', async () => {
	sandbox.reset();
	const { output, error } = await runWorkflow(asWorkflow(cleanupExample), {
		credentials: webhookCredentials(sandbox),
	});
	expect(error).toBeUndefined();
	// the date filter is checked by the node, on a list sorted by creation date
	expect(output('Get old results').map((i) => i.json.id)).toEqual([1, 3, 2]);
	const deleted = output('Delete old result').map((i) => i.json);
	expect(deleted[0]).toEqual({ id: 1, deleted: true });
	expect(deleted[1].error).toEqual(expect.stringContaining('Access denied'));
	expect(deleted[2]).toEqual({ id: 2, deleted: true });
	// the items carry their task (Fields to Return includes Task ID), so the deletes were batched
	expect(sandbox.requests.filter((r) => r.restMethod === 'batch').length).toBeGreaterThanOrEqual(1);
	expect([...sandbox.state.results.keys()].sort()).toEqual([3, 4]);
});

test('examples/add-result-from-chat-message.json creates the result and lists the open ones', async () => {
	const { output, error } = await runWorkflow(asWorkflow(chatMessageExample), {
		credentials: webhookCredentials(sandbox),
	});
	expect(error).toBeUndefined();
	const [created] = output('Create result from message');
	expect(created.json).toMatchObject({
		taskId: 51,
		messageId: 335,
		text: 'Signed contract uploaded',
	});
	const listed = output('Get open results of the task').map((i) => i.json.id);
	expect(listed[0]).toBe(created.json.id);
	expect(sandbox.state.results.get(created.json.id as number)?.messageId).toBe(335);
});
