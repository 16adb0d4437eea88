import { startSandbox, type Sandbox } from '../sandbox';
import { runWorkflow, singleNodeWorkflow } from '../harness/engine';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({
		seed: {
			tasks: [{ id: 51, title: 'Quarterly report', memberIds: [1, 2] }],
			results: [
				{ id: 17, taskId: 51, text: 'done', authorId: 1 },
				{ id: 18, taskId: 51, text: 'also done', authorId: 1 },
				{ id: 19, taskId: 51, text: 'by someone else', authorId: 2 },
			],
		},
	});
});
afterAll(async () => await sandbox.stop());

const webhook = () => ({
	bitrix24WebhookApi: { webhookUrl: sandbox.webhookUrl(), portalPlan: 'none' },
});

test('deletes a task result and outputs { id, deleted: true } paired to its item', async () => {
	const { output, error } = await runWorkflow(
		singleNodeWorkflow({ operation: 'delete', resultId: 17 }),
		{ credentials: webhook() },
	);
	expect(error).toBeUndefined();
	expect(output('Bitrix24 Tasks')).toEqual([
		{ json: { id: 17, deleted: true }, pairedItem: { item: 0 } },
	]);
	expect(sandbox.state.results.has(17)).toBe(false);
	const call = sandbox.requests.find((r) => r.restMethod === 'tasks.task.result.delete');
	expect(call?.path).toBe('/rest/api/1/sbx1webhookcode/tasks.task.result.delete');
	expect(call?.body).toEqual({ id: 17 });
	expect(call?.headers['idempotency-key']).toMatch(/^n8n-/);
});

test('continue on fail: the failed item carries { error, code, httpCode }, the others carry on', async () => {
	const { output, error } = await runWorkflow(
		singleNodeWorkflow(
			{ operation: 'delete', resultId: '={{ $json.id }}' },
			{ continueOnFail: true },
		),
		{ credentials: webhook(), items: [{ id: 18 }, { id: 19 }, { id: 'abc' }] },
	);
	expect(error).toBeUndefined();
	const items = output('Bitrix24 Tasks');
	expect(items[0]).toEqual({ json: { id: 18, deleted: true }, pairedItem: { item: 0 } });
	expect(items[1].json).toMatchObject({
		code: 'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION',
		httpCode: 403,
	});
	expect(items[1].pairedItem).toEqual({ item: 1 });
	expect(items[2].json).toMatchObject({ code: 'INVALID_INPUT', httpCode: null });
	expect(String(items[2].json.error)).toContain('item 2');
	expect(sandbox.state.results.has(19)).toBe(true);
});

test('"Continue (using error output)": failed items go to the error output, paired, with the full error attached', async () => {
	sandbox.seed({ results: [{ id: 30, taskId: 51, text: 'mine', authorId: 1 }, { id: 31, taskId: 51, text: 'mine too', authorId: 1 }] });
	const { output, error } = await runWorkflow(
		singleNodeWorkflow({ operation: 'delete', resultId: '={{ $json.id }}' }, { onError: 'continueErrorOutput' }),
		{ credentials: webhook(), items: [{ id: 30 }, { id: 19 }, { id: 31 }] },
	);
	expect(error).toBeUndefined();
	expect(output('Bitrix24 Tasks', 0).map((i) => i.json)).toEqual([
		{ id: 30, deleted: true },
		{ id: 31, deleted: true },
	]);
	const failed = output('Bitrix24 Tasks', 1);
	expect(failed).toHaveLength(1);
	expect(failed[0].pairedItem).toEqual({ item: 1 });
	expect(failed[0].json.error).toMatch(/^Access denied by Bitrix24/);
	expect(failed[0].error?.context.errorCode).toBe('BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION');
	expect(failed[0].error?.context.itemIndex).toBe(1);
});
