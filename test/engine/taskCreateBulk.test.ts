import type { IDataObject } from 'n8n-workflow';

import { webhookCredentials } from '../harness/credentials';
import { runWorkflow, singleNodeWorkflow } from '../harness/engine';
import { startSandbox, type Sandbox } from '../sandbox';

// Done when: 500 tasks from 500 items, each created once — also when the answers of 3 creates are
// lost and the run is repeated with the Idempotency Key option.
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => await sandbox.stop());

const ORDERS = 500;
let batch = 0;
let items: IDataObject[];
beforeEach(() => {
	sandbox.reset();
	sandbox.clearFaults();
	sandbox.state.tasks.clear();
	batch++;
	items = Array.from({ length: ORDERS }, (_, n) => ({
		orderId: `B${batch}-${n}`,
		title: `Ship order B${batch}-${n}`,
	}));
});

const run = (options: IDataObject, continueOnFail: boolean) =>
	runWorkflow(
		singleNodeWorkflow(
			{ resource: 'task', operation: 'create', title: '={{ $json.title }}', options },
			{ continueOnFail },
		),
		{ credentials: webhookCredentials(sandbox), items },
	);
const titlesOnPortal = () => [...sandbox.state.tasks.values()].map((t) => t.title).sort();
const loseAnswers = (...afterMatches: number[]) => {
	for (const n of afterMatches)
		sandbox.injectFault(
			{ kind: 'resetAfterCommit' },
			{ restMethod: 'tasks.task.add', afterMatches: n, times: 1 },
		);
};
const addCalls = () => sandbox.requests.filter((r) => r.restMethod === 'tasks.task.add');

test('500 items make 500 tasks, one request each', async () => {
	const { output, error } = await run({}, false);
	expect(error).toBeUndefined();
	expect(output('Bitrix24 Tasks')).toHaveLength(ORDERS);
	expect(titlesOnPortal()).toEqual(items.map((i) => i.title).sort());
	expect(addCalls()).toHaveLength(ORDERS);
});

test('3 lost answers: the run reports them as "may have run", the re-run with the Idempotency Key leaves exactly 500 tasks', async () => {
	const options = { idempotencyKey: '={{ $json.orderId }}', maxRetries: 0 };
	loseAnswers(10, 200, 450);
	const first = await run(options, true);
	expect(first.error).toBeUndefined();
	const failed = first
		.output('Bitrix24 Tasks')
		.map((item, n) => [n, item.json] as const)
		.filter(([, json]) => json.error !== undefined);
	expect(failed.map(([n]) => n)).toEqual([10, 201, 452]);
	for (const [, json] of failed) expect(json.mayHaveRun).toBe(true);
	// the portal did all 500 creates; the node reports only the 497 it saw confirmed
	expect(sandbox.state.tasks.size).toBe(ORDERS);

	sandbox.reset();
	const rerun = await run(options, false);
	expect(rerun.error).toBeUndefined();
	const out = rerun.output('Bitrix24 Tasks');
	expect(out).toHaveLength(ORDERS);
	expect(titlesOnPortal()).toEqual(items.map((i) => i.title).sort());
	expect(new Set(out.map((i) => i.json.id)).size).toBe(ORDERS);
	expect(out.map((i) => i.json.id).sort()).toEqual([...sandbox.state.tasks.keys()].sort());
	expect(sandbox.counters.idempotentReplays).toBe(ORDERS);
});

test('a run that stops at a lost answer (no Continue On Fail), then a re-run: still exactly 500', async () => {
	const options = { idempotencyKey: '={{ $json.orderId }}', maxRetries: 0 };
	loseAnswers(120);
	const first = await run(options, false);
	expect(first.error?.description).toContain('may already have done this');
	expect(sandbox.state.tasks.size).toBe(121);

	sandbox.reset();
	const rerun = await run(options, false);
	expect(rerun.error).toBeUndefined();
	expect(rerun.output('Bitrix24 Tasks')).toHaveLength(ORDERS);
	expect(titlesOnPortal()).toEqual(items.map((i) => i.title).sort());
	// the 121 creates the portal already did are answered from its record, the others are done now
	expect(sandbox.counters.idempotentReplays).toBe(121);
});

test('the lost answers are recovered inside one run by retrying with the same Idempotency-Key', async () => {
	loseAnswers(5, 6, 7);
	const { output, error } = await run({}, false);
	expect(error).toBeUndefined();
	expect(output('Bitrix24 Tasks')).toHaveLength(ORDERS);
	expect(titlesOnPortal()).toEqual(items.map((i) => i.title).sort());
	expect(addCalls()).toHaveLength(ORDERS + 3);
	expect(sandbox.counters.idempotentReplays).toBe(3);
});
