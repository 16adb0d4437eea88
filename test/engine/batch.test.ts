import { webhookCredentials } from '../harness/credentials';
import { runWorkflow, singleNodeWorkflow } from '../harness/engine';
import { ResultSeeder } from '../harness/seed';
import { startSandbox, type Sandbox } from '../sandbox';

// Batching of writes other than Delete (Delete's batches: deleteCases.test.ts and deleteModel.test.ts).
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({
		seed: { tasks: [{ id: 51, title: 'Report', memberIds: [1, 2] }] },
	});
});
afterAll(async () => await sandbox.stop());
afterEach(() => sandbox.clearFaults());

const results = new ResultSeeder(() => sandbox, 5000);
const requestsOf = (method: string) => sandbox.requests.filter((r) => r.restMethod === method);

test('updates are batched; one refused in the middle keeps its error, the others are updated once more with the same text', async () => {
	const ids = results.many(8, (n) => ({ authorId: n === 4 ? 2 : 1 }));
	sandbox.reset();
	const { output } = await runWorkflow(
		singleNodeWorkflow(
			{
				operation: 'update',
				resultId: '={{ $json.resultId }}',
				text: '={{ "checked " + $json.resultId }}',
			},
			{ continueOnFail: true },
		),
		{ credentials: webhookCredentials(sandbox), items: ids.map((resultId) => ({ resultId })) },
	);
	const out = output('Bitrix24 Tasks').map((i) => i.json);
	ids.forEach((id, n) => {
		if (n === 4) {
			expect(out[n]).toMatchObject({ code: 'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION' });
			expect(sandbox.state.results.get(id)?.text).toBe(`result ${id}`);
		} else {
			expect(out[n]).toMatchObject({ id, text: `checked ${id}` });
			expect(sandbox.state.results.get(id)?.text).toBe(`checked ${id}`);
		}
	});
	expect(requestsOf('batch')).toHaveLength(1);
});
