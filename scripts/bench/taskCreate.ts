/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals -- benchmark harness: prints, measures the process */
// `BENCH_TASK_CREATE=500 npm run bench`: N tasks created from N items by Task → Create (one REST 3.0
// tasks.task.add per item, never batched: a batch cannot be re-sent exactly), against the portal's
// floor: N requests at the plan's rate (leaky bucket, burst first).
import { runWorkflow, singleNodeWorkflow } from '../../test/harness/engine';
import { RemotePortal } from './portal';
import { physicalFloorMs, type Bucket } from './scenarios';

export interface TaskCreateRow {
	n: number;
	wallMs: number;
	requests: number;
	portal503: number;
	created: number;
	tasksOnPortal: number;
	userErrors: number;
}

export async function benchTaskCreate(n: number, bucket: Bucket, latencyMs: number): Promise<void> {
	const portal = await RemotePortal.start({
		rateLimit: bucket,
		latencyMs,
		seed: { users: [{ id: 1, name: 'Bench' }] },
	});
	try {
		await portal.reset();
		const items = Array.from({ length: n }, (_, k) => ({ orderId: `O-${k}`, title: `Order ${k}` }));
		const workflow = singleNodeWorkflow(
			{
				resource: 'task',
				operation: 'create',
				title: '={{ $json.title }}',
				options: { idempotencyKey: '={{ $json.orderId }}' },
			},
			{ continueOnFail: true },
		);
		const credentials = {
			bitrix24WebhookApi: { webhookUrl: portal.webhookUrl, portalPlan: 'standard' },
		};
		const t0 = performance.now();
		const run = await runWorkflow(workflow, { items, credentials });
		const wallMs = performance.now() - t0;
		const out = run.output('Bitrix24 Tasks').map((item) => item.json);
		const stats = await portal.stats();
		const row: TaskCreateRow = {
			n,
			wallMs,
			requests: stats.requests,
			portal503: stats.rateLimited,
			created: out.filter((json) => typeof json.id === 'number').length,
			tasksOnPortal: stats.tasks,
			userErrors: out.filter((json) => json.error !== undefined).length + (run.error ? 1 : 0),
		};
		print(row, bucket, latencyMs);
		if (row.tasksOnPortal !== n || row.created !== n) process.exitCode = 1;
	} finally {
		await portal.stop();
	}
}

function print(row: TaskCreateRow, bucket: Bucket, latencyMs: number): void {
	const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
	const adds = row.n;
	const rateFloor = (adds / bucket.drainPerSec) * 1000;
	const bucketFloor = physicalFloorMs(adds, bucket, latencyMs);
	console.log(
		`# Task → Create, N = ${row.n}: leaky bucket ${bucket.drainPerSec}/s, burst ${bucket.burst}, ${latencyMs} ms latency; credential Portal Plan = standard; Idempotency Key option on\n`,
	);
	console.log(
		'| N | Wall time | HTTP requests | 503s answered by the portal | Items created (output) | Tasks on the portal | Errors seen by the user |',
	);
	console.log('|---:|---:|---:|---:|---:|---:|---:|');
	console.log(
		`| ${row.n} | ${secs(row.wallMs)} | ${row.requests} | ${row.portal503} | ${row.created} | ${row.tasksOnPortal} | ${row.userErrors} |`,
	);
	console.log(
		`\nFloor, requests ÷ plan rate (${adds} tasks.task.add ÷ ${bucket.drainPerSec}/s): ${secs(rateFloor)}; with the burst of ${bucket.burst} and ${latencyMs} ms per request: ${secs(bucketFloor)}.`,
	);
	console.log(
		`Wall time / floor: ${(row.wallMs / rateFloor).toFixed(2)}× (requests ÷ rate), ${(row.wallMs / bucketFloor).toFixed(2)}× (with burst).`,
	);
}
