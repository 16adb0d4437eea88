import type { IWorkflowBase } from 'n8n-workflow';

import overdueExample from '../../examples/overdue-tasks-reminder.json';
import { webhookCredentials } from '../harness/credentials';
import { runWorkflow } from '../harness/engine';
import { startSandbox, type Sandbox } from '../sandbox';

// examples/overdue-tasks-reminder.json in n8n's engine (started from its Manual Trigger; the Schedule
// Trigger is not part of the test engine and is taken out).
const HOUR = 3_600_000;
let sandbox: Sandbox;

beforeAll(async () => {
	const now = Date.now();
	const mine = { createdBy: 1, responsibleId: 1 };
	sandbox = await startSandbox({
		seed: {
			users: [
				{ id: 1, name: 'Anna', lastName: 'Webhook' },
				{ id: 2, name: 'Boris', lastName: 'Doer' },
			],
			tasks: [
				{ id: 81, title: 'Overdue, pending', ...mine, status: 2, deadline: now - 30 * HOUR },
				{ id: 82, title: 'Overdue, in progress', ...mine, status: 3, deadline: now - HOUR },
				{ id: 83, title: 'Overdue, completed', ...mine, status: 5, deadline: now - HOUR },
				{ id: 84, title: 'Due later', ...mine, status: 2, deadline: now + 10 * HOUR },
				{ id: 85, title: 'No deadline', ...mine, status: 2 },
				{ id: 86, title: 'Not mine', createdBy: 2, responsibleId: 2, deadline: now - HOUR },
			],
		},
	});
});
afterAll(async () => await sandbox.stop());

function withoutSchedule(json: unknown): Pick<IWorkflowBase, 'nodes' | 'connections'> {
	const wf = structuredClone(json) as IWorkflowBase;
	const schedule = wf.nodes.find((n) => n.type === 'n8n-nodes-base.scheduleTrigger')!;
	wf.nodes = wf.nodes.filter((n) => n !== schedule);
	delete wf.connections[schedule.name];
	return wf;
}

test('lists the open overdue tasks and posts one reminder in each chat, once per day', async () => {
	const run = () =>
		runWorkflow(withoutSchedule(overdueExample), { credentials: webhookCredentials(sandbox) });
	const { output, error } = await run();
	expect(error).toBeUndefined();
	expect(output('Get overdue tasks').map((i) => i.json.id)).toEqual([81, 82]);
	expect(output('Post reminder in task chat').map((i) => i.json)).toEqual([
		expect.objectContaining({ taskId: 81, sent: true }),
		expect.objectContaining({ taskId: 82, sent: true }),
	]);
	const posted = () => [...sandbox.state.chatMessages.values()].map((m) => [m.taskId, m.authorId]);
	expect(posted()).toEqual([
		[81, 1],
		[82, 1],
	]);
	// a second run the same day is answered from the portal's Idempotency-Key record
	const again = await run();
	expect(again.error).toBeUndefined();
	expect(posted()).toHaveLength(2);
});
