import type { IDataObject } from 'n8n-workflow';

import { webhookCredentials } from '../harness/credentials';
import { runWorkflow, singleNodeWorkflow } from '../harness/engine';
import { startSandbox, type Sandbox } from '../sandbox';

// "Idempotency Key" option: a re-run of the same input (a new execution, as after a crashed worker)
// is replayed by the portal instead of being done again.
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({
		seed: {
			tasks: [{ id: 51, title: 'Orders', memberIds: [1] }],
			chatMessages: [{ id: 335, taskId: 51, authorId: 1, text: 'Shipped' }],
		},
	});
});
afterAll(async () => await sandbox.stop());
// the portal keeps its Idempotency-Key record between tests, as it does for 24 h: each test has its own orders
let orders: Array<{ orderId: string; note: string }>;
let testNo = 0;
beforeEach(() => {
	sandbox.reset();
	sandbox.clearFaults();
	sandbox.state.results.clear();
	testNo++;
	orders = [1, 2, 3].map((n) => ({
		orderId: `T${testNo}-${n}`,
		note: `Order T${testNo}-${n} shipped`,
	}));
});
const run = (parameters: IDataObject, items: IDataObject[], continueOnFail = false) =>
	runWorkflow(singleNodeWorkflow({ resource: 'taskResult', ...parameters }, { continueOnFail }), {
		credentials: webhookCredentials(sandbox),
		items,
	});
const createParams = (options: IDataObject) => ({
	operation: 'create',
	taskId: 51,
	text: '={{ $json.note }}',
	options,
});
const textsOnPortal = () => [...sandbox.state.results.values()].map((r) => r.text).sort();

test('with a key from the input, running the same input again creates nothing twice', async () => {
	const params = createParams({ idempotencyKey: '={{ $json.orderId }}' });
	const first = await run(params, orders);
	expect(first.error).toBeUndefined();
	const second = await run(params, orders);
	expect(second.error).toBeUndefined();

	expect(textsOnPortal()).toEqual(orders.map((o) => o.note));
	// the second execution is answered from the portal's record of the first: same results, same IDs
	expect(second.output('Bitrix24 Tasks').map((i) => i.json.id)).toEqual(
		first.output('Bitrix24 Tasks').map((i) => i.json.id),
	);
	expect(sandbox.counters.idempotentReplays).toBe(3);
	const keys = sandbox.requests
		.filter((r) => r.restMethod === 'tasks.task.result.add')
		.map((r) => r.headers['idempotency-key'] as string);
	expect(keys.slice(0, 3)).toEqual(keys.slice(3));
	for (const key of keys) {
		expect(key).toMatch(/^n8n-k1-[0-9a-f]{64}$/);
		expect(key).not.toContain(orders[0].orderId);
	}
});

test('without the option each execution has its own keys: a re-run creates again (retries inside one run stay safe)', async () => {
	const params = createParams({});
	await run(params, orders);
	await run(params, orders);
	expect(textsOnPortal()).toEqual([...orders, ...orders].map((o) => o.note).sort());
	expect(sandbox.counters.idempotentReplays).toBe(0);
});

test('a crashed first run (commit done, answer lost) and its re-run leave each create exactly once', async () => {
	const params = createParams({ idempotencyKey: '={{ $json.orderId }}', maxRetries: 0 });
	// the second create is committed but its answer never arrives, and no retry is allowed
	sandbox.injectFault(
		{ kind: 'resetAfterCommit' },
		{ restMethod: 'tasks.task.result.add', afterMatches: 1, times: 1 },
	);
	const first = await run(params, orders, true);
	const firstOut = first.output('Bitrix24 Tasks');
	expect(firstOut[1].json.error).toBeDefined();
	expect(textsOnPortal()).toEqual(orders.map((o) => o.note));

	const rerun = await run(params, orders);
	expect(rerun.error).toBeUndefined();
	expect(textsOnPortal()).toEqual(orders.map((o) => o.note));
	const ids = rerun.output('Bitrix24 Tasks').map((i) => i.json.id);
	expect(ids).toEqual([...sandbox.state.results.keys()]);
});

test('the key is namespaced by operation: the same order ID on update is another key', async () => {
	const created = await run(createParams({ idempotencyKey: '={{ $json.orderId }}' }), [orders[0]]);
	const id = created.output('Bitrix24 Tasks')[0].json.id;
	const updated = await run(
		{
			operation: 'update',
			resultId: id,
			text: 'Order delivered',
			options: { idempotencyKey: '={{ $json.orderId }}' },
		},
		[orders[0]],
	);
	expect(updated.error).toBeUndefined();
	expect(sandbox.state.results.get(id as number)?.text).toBe('Order delivered');
	const [add, update] = sandbox.requests
		.filter((r) => r.restMethod?.startsWith('tasks.task.result.'))
		.map((r) => r.headers['idempotency-key']);
	expect(add).not.toEqual(update);
});

test('create from chat message takes the option too', async () => {
	const params = {
		operation: 'createFromChatMessage',
		messageId: 335,
		options: { idempotencyKey: 'message-335' },
	};
	await run(params, [{}]);
	await run(params, [{}]);
	expect(sandbox.state.results.size).toBe(1);
	expect(sandbox.counters.idempotentReplays).toBe(1);
});

test('two items with the same key: an error naming both items, before any request', async () => {
	const { error } = await run(createParams({ idempotencyKey: '={{ $json.orderId }}' }), [
		orders[0],
		orders[1],
		{ ...orders[2], orderId: orders[0].orderId },
	]);
	expect(error?.message).toBe('Invalid Idempotency Key in item 2: item 0 has the same key');
	expect(sandbox.requests.filter((r) => r.restMethod === 'tasks.task.result.add')).toEqual([]);
	expect(sandbox.state.results.size).toBe(0);
});

test('a blank key for one item is an error naming it', async () => {
	const { error } = await run(createParams({ idempotencyKey: '={{ $json.orderId }}' }), [
		orders[0],
		{ orderId: '   ', note: 'x' },
	]);
	expect(error?.message).toBe('Invalid Idempotency Key in item 1: it is blank');
	expect(sandbox.state.results.size).toBe(0);
});
