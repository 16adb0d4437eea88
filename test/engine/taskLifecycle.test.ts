import lifecycle from '../e2e/workflows/task-lifecycle.json';
import { webhookCredentials } from '../harness/credentials';
import { runWorkflow } from '../harness/engine';
import { startSandbox } from '../sandbox';
import { DEMO_PORTAL } from '../sandbox/demo';

// test/e2e/workflows/task-lifecycle.json (the e2e's workflow) in n8n's engine: each operation's output
// is the portal's state at that step.
test('create → update → get → list → chat → access → delete → delete again', async () => {
	const sandbox = await startSandbox({ seed: DEMO_PORTAL });
	try {
		const { output, error } = await runWorkflow(lifecycle as never, {
			credentials: webhookCredentials(sandbox),
		});
		expect(error).toBeUndefined();
		const [created] = output('Create').map((i) => i.json);
		const id = created.id as number;
		expect(created).toMatchObject({ title: 'e2e lifecycle task', responsibleId: 2, creatorId: 1 });
		expect(output('Update')[0].json).toMatchObject({ id, status: 'in_progress', priority: 'high' });
		expect(output('List by ID').map((i) => i.json)).toEqual([
			{
				id,
				title: 'e2e lifecycle task (updated)',
				status: 'in_progress',
				priority: 'high',
				responsibleId: 2,
			},
		]);
		expect([...sandbox.state.chatMessages.values()].find((m) => m.taskId === id)?.text).toBe(
			'e2e says hello',
		);
		expect(output('Access')[0].json).toMatchObject({ id, edit: true, remove: true });
		expect(output('Delete')[0].json).toEqual({ id, deleted: true });
		expect(sandbox.state.tasks.has(id)).toBe(false);
		expect(output('Delete again')[0].json).toEqual({
			error: 'Access denied by Bitrix24',
			code: 'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION',
			httpCode: 403,
		});
	} finally {
		await sandbox.stop();
	}
});
