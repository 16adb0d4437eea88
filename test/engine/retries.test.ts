import { startSandbox, type Sandbox } from '../sandbox';
import { webhookCredentials } from '../harness/credentials';
import { ResultSeeder } from '../harness/seed';
import { runWorkflow, singleNodeWorkflow } from '../harness/engine';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: { tasks: [{ id: 51, title: 'Report', memberIds: [1] }] } });
});
afterAll(async () => await sandbox.stop());
afterEach(() => sandbox.clearFaults());

const results = new ResultSeeder(() => sandbox, 1000);
const seedResult = () => results.one({ text: 'to delete' });
const credentials = () =>
	webhookCredentials(sandbox, { portalPlan: 'custom', customDrainRate: 50, customBurst: 50 });
const deletes = () => sandbox.requests.filter((r) => r.restMethod === 'tasks.task.result.delete');

test('QUERY_LIMIT_EXCEEDED is backed off and retried until the delete goes through', async () => {
	const id = seedResult();
	sandbox.reset();
	sandbox.injectFault(
		{
			kind: 'status',
			status: 503,
			body: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' },
		},
		{ restMethod: 'tasks.task.result.delete', times: 2 },
	);
	const { output, error } = await runWorkflow(
		singleNodeWorkflow({ operation: 'delete', resultId: id }),
		{ credentials: credentials() },
	);
	expect(error).toBeUndefined();
	expect(output('Bitrix24 Tasks')[0].json).toEqual({ id, deleted: true });
	expect(deletes()).toHaveLength(3);
	expect(sandbox.state.results.has(id)).toBe(false);
});

test('a 500 on a delete is retried with the same Idempotency-Key', async () => {
	const id = seedResult();
	sandbox.reset();
	sandbox.injectFault(
		{
			kind: 'status',
			status: 500,
			body: { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' },
		},
		{ restMethod: 'tasks.task.result.delete' },
	);
	const { output, error } = await runWorkflow(
		singleNodeWorkflow({ operation: 'delete', resultId: id }),
		{ credentials: credentials() },
	);
	expect(error).toBeUndefined();
	expect(output('Bitrix24 Tasks')[0].json).toEqual({ id, deleted: true });
	const keys = deletes().map((r) => r.headers['idempotency-key']);
	expect(keys).toHaveLength(2);
	expect(keys[0]).toBe(keys[1]);
});

test('a response lost after the portal deleted is replayed, not reported as a failure and not repeated', async () => {
	const id = seedResult();
	sandbox.reset();
	sandbox.injectFault({ kind: 'resetAfterCommit' }, { restMethod: 'tasks.task.result.delete' });
	const { output, error } = await runWorkflow(
		singleNodeWorkflow({ operation: 'delete', resultId: id }),
		{ credentials: credentials() },
	);
	expect(error).toBeUndefined();
	expect(output('Bitrix24 Tasks')[0].json).toEqual({ id, deleted: true });
	expect(sandbox.counters.idempotentReplays).toBe(1);
	expect(sandbox.state.results.has(id)).toBe(false);
	expect(deletes()).toHaveLength(2);
});

test('an operating-limit block that lifts within the maximum wait is waited out', async () => {
	const id = seedResult();
	sandbox.reset();
	const resetAt = Date.now() / 1000 + 1;
	sandbox.injectFault(
		{
			kind: 'status',
			status: 429,
			body: {
				error: 'OPERATION_TIME_LIMIT',
				error_description: 'Method is blocked due to operation time limit.',
				time: { operating_reset_at: resetAt },
			},
		},
		{ restMethod: 'tasks.task.result.delete' },
	);
	const { output, error } = await runWorkflow(
		singleNodeWorkflow({ operation: 'delete', resultId: id, options: { maxOperatingWaitSec: 10 } }),
		{
			credentials: credentials(),
		},
	);
	expect(error).toBeUndefined();
	expect(output('Bitrix24 Tasks')[0].json).toEqual({ id, deleted: true });
	const [blocked, retried] = deletes();
	expect(retried.at - blocked.at).toBeGreaterThanOrEqual(900);
});

test('a 4xx is never retried', async () => {
	sandbox.reset();
	const { error } = await runWorkflow(
		singleNodeWorkflow({ operation: 'delete', resultId: 424242 }),
		{ credentials: credentials() },
	);
	expect(error?.message).toMatch(/^Access denied/);
	expect(deletes()).toHaveLength(1);
});

test('many items: each item gets its own outcome, paired, in order', async () => {
	const ids = [seedResult(), seedResult(), 999999, seedResult()];
	const { output, error } = await runWorkflow(
		singleNodeWorkflow(
			{ operation: 'delete', resultId: '={{ $json.resultId }}' },
			{ continueOnFail: true },
		),
		{ credentials: credentials(), items: ids.map((resultId) => ({ resultId })) },
	);
	expect(error).toBeUndefined();
	const out = output('Bitrix24 Tasks');
	expect(out.map((i) => i.pairedItem)).toEqual([
		{ item: 0 },
		{ item: 1 },
		{ item: 2 },
		{ item: 3 },
	]);
	expect(out.map((i) => i.json.deleted ?? i.json.code)).toEqual([
		true,
		true,
		'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION',
		true,
	]);
	for (const id of [ids[0], ids[1], ids[3]]) expect(sandbox.state.results.has(id)).toBe(false);
});
