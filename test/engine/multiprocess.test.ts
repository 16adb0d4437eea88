/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- starts worker processes */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { bucketFor } from '../../nodes/Bitrix24Tasks/transport/limiter';
import { webhookCredentials } from '../harness/credentials';
import { runWorkflow, singleNodeWorkflow } from '../harness/engine';
import { ResultSeeder } from '../harness/seed';
import { startSandbox, type Sandbox } from '../sandbox';
import type { WorkerJob, WorkerReport } from './worker';

const TASKS = [51, 52, 53];
const deleteWithTaskId = (options: IDataObject = {}): IDataObject => ({
	operation: 'delete',
	resultId: '={{ $json.resultId }}',
	options: { taskId: '={{ $json.taskId }}', ...options },
});

const seed = (sandbox: Sandbox, taskId: number, firstId: number, count: number): number[] =>
	new ResultSeeder(() => sandbox, firstId).many(count, { taskId });

/**
 * Starts one Node process per job (each loads its own engine and limiter, as n8n queue-mode workers
 * do), waits until all are loaded, then lets them run at the same time.
 */
async function runInProcesses(jobs: WorkerJob[]): Promise<WorkerReport[]> {
	const children: ChildProcess[] = jobs.map(() =>
		fork(path.join(__dirname, 'worker.ts'), [], {
			execArgv: ['-r', 'ts-node/register/transpile-only'],
			// Bitrix24Tasks.node.json sits next to Bitrix24Tasks.node.ts: resolve the .ts first
			env: {
				...process.env,
				TS_NODE_PREFER_TS_EXTS: 'true',
				TS_NODE_PROJECT: path.join(__dirname, '../../tsconfig.test.json'),
				N8N_LOG_LEVEL: 'silent',
			},
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		}),
	);
	try {
		const ready = children.map(
			(child) =>
				new Promise<void>((resolve) =>
					child.on('message', (message: { type: string }) => message.type === 'ready' && resolve()),
				),
		);
		const done = children.map(
			(child) =>
				new Promise<WorkerReport>((resolve, reject) => {
					child.on(
						'message',
						(message: WorkerReport) => message.type === 'done' && resolve(message),
					);
					child.on('exit', (code) => reject(new Error(`worker ${child.pid} exited with ${code}`)));
				}),
		);
		children.forEach((child, n) => child.send({ cmd: 'run', job: jobs[n] }));
		await Promise.all(ready);
		for (const child of children) child.send({ cmd: 'go' });
		return await Promise.all(done);
	} finally {
		for (const child of children) if (child.connected) child.disconnect();
	}
}

/** The run nonce of an Idempotency-Key `n8n-<nonce>-<item>`: one per node run, so one per process here. */
const runOf = (key: unknown) => String(key).split('-')[1];

// three processes that load n8n each: give a busy CI machine time to start them (nothing here asserts a duration)

describe('three worker processes, one portal', () => {
	let sandbox: Sandbox;
	afterEach(async () => await sandbox?.stop());

	test('standard plan, 300 deletes each with defaults (batches, Task ID): all 900 deleted, none failed', async () => {
		sandbox = await startSandbox({
			rateLimit: { drainPerSec: 2, burst: 50 },
			latencyMs: 20,
			seed: { tasks: TASKS.map((id) => ({ id, title: `Task ${id}`, memberIds: [1] })) },
		});
		const ids = TASKS.map((taskId, n) => seed(sandbox, taskId, 10_000 * (n + 1), 300));
		const credentials = webhookCredentials(sandbox, { portalPlan: 'standard' });
		const reports = await runInProcesses(
			TASKS.map((taskId, n) => ({
				parameters: deleteWithTaskId(),
				items: ids[n].map((resultId) => ({ resultId, taskId })),
				credentials,
			})),
		);

		expect(new Set(reports.map((report) => report.pid)).size).toBe(3);
		reports.forEach((report, n) => {
			expect(report.error).toBeUndefined();
			expect(report.outputs).toEqual(ids[n].map((id) => ({ id, deleted: true })));
		});
		expect(sandbox.state.results.size).toBe(0);
		// per process: one check of its task's results, then ⌈300 / 50⌉ batch requests, nothing else
		expect(
			sandbox.requests.filter((r) => r.restMethod === 'batch' && r.status === 200),
		).toHaveLength(18);
		expect(
			sandbox.requests.filter((r) => r.restMethod === 'tasks.task.result.list' && r.status === 200),
		).toHaveLength(3);
		expect(
			sandbox.requests.filter(
				(r) => r.restMethod !== 'batch' && r.restMethod !== 'tasks.task.result.list',
			),
		).toHaveLength(0);
		expect(sandbox.counters.executedCommands).toBe(900 + 3);
	}, 120_000);

	test('a tight bucket the processes must share (10/s, burst 5), batching off: the portal may answer 503, no item fails', async () => {
		const bucket = { drainPerSec: 10, burst: 5 };
		sandbox = await startSandbox({
			rateLimit: bucket,
			latencyMs: 5,
			seed: { tasks: TASKS.map((id) => ({ id, title: `Task ${id}`, memberIds: [1] })) },
		});
		const ids = TASKS.map((taskId, n) => seed(sandbox, taskId, 20_000 * (n + 1), 40));
		const credentials = webhookCredentials(sandbox, {
			portalPlan: 'custom',
			customDrainRate: bucket.drainPerSec,
			customBurst: bucket.burst,
		});
		const reports = await runInProcesses(
			TASKS.map((taskId, n) => ({
				parameters: deleteWithTaskId({ batchRequests: false }),
				items: ids[n].map((resultId) => ({ resultId, taskId })),
				credentials,
			})),
		);

		reports.forEach((report, n) => {
			expect(report.error).toBeUndefined();
			expect(report.outputs).toEqual(ids[n].map((id) => ({ id, deleted: true })));
		});
		expect(sandbox.state.results.size).toBe(0);
		const deletes = sandbox.requests.filter((r) => r.restMethod === 'tasks.task.result.delete');
		// every item was executed exactly once; the extra requests were refused by the bucket before running
		expect(sandbox.counters.executedCommands).toBe(120);
		expect(deletes.filter((r) => r.status === 200)).toHaveLength(120);
		expect(deletes.filter((r) => r.status !== 200).every((r) => r.status === 503)).toBe(true);
		expect(deletes.length - 120).toBe(sandbox.counters.rateLimited);
		// the three processes really ran at the same time: each one's requests started before any one's ended
		const runs = [...new Set(deletes.map((r) => runOf(r.headers['idempotency-key'])))];
		expect(runs).toHaveLength(3);
		const spans = runs.map((run) => {
			const positions = deletes.flatMap((r, position) =>
				runOf(r.headers['idempotency-key']) === run ? [position] : [],
			);
			return { first: positions[0], last: positions[positions.length - 1] };
		});
		expect(Math.max(...spans.map((s) => s.first))).toBeLessThan(
			Math.min(...spans.map((s) => s.last)),
		);
	}, 120_000);
});

describe('one process', () => {
	let sandbox: Sandbox;
	afterAll(async () => await sandbox?.stop());

	test('two executions at once share the portal\u2019s limiter: together they keep its pace', async () => {
		const bucket = { drainPerSec: 10, burst: 5 };
		sandbox = await startSandbox({
			rateLimit: bucket,
			latencyMs: 5,
			seed: { tasks: TASKS.map((id) => ({ id, title: `Task ${id}`, memberIds: [1] })) },
		});
		const credentials = webhookCredentials(sandbox, {
			portalPlan: 'custom',
			customDrainRate: bucket.drainPerSec,
			customBurst: bucket.burst,
		});
		const ids = [seed(sandbox, 51, 30_000, 20), seed(sandbox, 52, 31_000, 20)];
		const runs = await Promise.all(
			ids.map(
				async (list, n) =>
					await runWorkflow(
						singleNodeWorkflow(deleteWithTaskId({ batchRequests: false }), {
							continueOnFail: true,
						}),
						{
							items: list.map((resultId) => ({ resultId, taskId: TASKS[n] })),
							credentials,
						},
					),
			),
		);

		runs.forEach((run, n) => {
			expect(run.error).toBeUndefined();
			expect(run.output('Bitrix24 Tasks').map((item) => item.json)).toEqual(
				ids[n].map((id) => ({ id, deleted: true })),
			);
		});
		// every request of both executions was paced by the one bucket of this portal
		expect(bucketFor(new URL(sandbox.url).origin, bucket)?.reservations).toBe(
			sandbox.requests.length,
		);
		// so together they kept its pace: 40 requests need at least (40 - 4 of the burst) / 10 per s =
		// 3.6 s after the first was sent (machine load only makes this longer)
		const arrivals = sandbox.requests.map((r) => r.at).sort((a, b) => a - b);
		expect(arrivals[arrivals.length - 1] - arrivals[0]).toBeGreaterThanOrEqual(2_500);
		expect(sandbox.requests.filter((r) => r.status === 200)).toHaveLength(40);
		// and they were interleaved, not one after the other
		const keys = sandbox.requests.map((r) => runOf(r.headers['idempotency-key']));
		expect(keys.indexOf(keys[keys.length - 1])).toBeLessThan(keys.lastIndexOf(keys[0]));
	});
});
