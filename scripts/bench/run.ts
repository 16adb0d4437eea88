/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- benchmark harness: prints, forks the node processes */
// `npm run bench` (BENCH_QUICK=1 for a smoke run of a few seconds): see docs/rate-limits-and-batching.md.
import { fork } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';

import type { NodeChildResult, NodeJob } from './node-child';
import { RemotePortal, TS_NODE, TS_NODE_ENV } from './portal';
import {
	BATCH_SIZE,
	physicalFloorMs,
	runNaiveLoop,
	runPhysicalLimit,
	TASK_ID,
	type Bucket,
	type DeleteFlow,
	type RawRunResult,
} from './scenarios';
import { benchTaskCreate } from './taskCreate';

const QUICK = process.env.BENCH_QUICK === '1';
const BUCKET: Bucket = { drainPerSec: 2, burst: 50 };
const LATENCY_MS = 20;
const N = QUICK ? 80 : 1000;
const N_GROWTH = QUICK ? 400 : 5000;
const N_MEMORY = QUICK ? 2000 : 10000;
const WARMUP = QUICK ? 200 : 1000;
const WARMUP_FIRST_ID = 1_000_001;

interface Row {
	label: string;
	n: number;
	wallMs: number;
	requests: number;
	/** 503s the portal answered, hidden from the user by the node's retries */
	portal503: number;
	userRateLimitErrors: number;
	ok: number;
	cpuMsPerItem?: number;
	/** of cpuMsPerItem: inside n8n's getNodeParameter, i.e. the expression engine */
	parameterMsPerItem?: number;
	/** from starting the workflow to the portal receiving the first request */
	firstRequestMs?: number;
	rssGrowthMb?: number;
	note?: string;
}

const rows: Row[] = [];
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s`;
const log = (line: string) => console.log(`[${elapsed()}] ${line}`);

async function portalWith(count: number, warmup = 0): Promise<RemotePortal> {
	const portal = await RemotePortal.start({
		rateLimit: BUCKET,
		latencyMs: LATENCY_MS,
		seed: {
			// an ordinary user, as when the figures in docs/ were measured (an admin's delete of a
			// missing result would succeed: reference §9)
			users: [{ id: 1, name: 'Bench' }],
			tasks: [{ id: TASK_ID, title: 'Bench task', memberIds: [1] }],
		},
	});
	await portal.seedResults(TASK_ID, 1, count);
	if (warmup) await portal.seedResults(TASK_ID, WARMUP_FIRST_ID, warmup);
	await portal.reset();
	return portal;
}

const range = (count: number, first = 1) => Array.from({ length: count }, (_, n) => first + n);

/** The node in a fresh process (its own engine and limiter), warmed up first with the limiter off. */
async function nodeInChild(
	portal: RemotePortal,
	n: number,
	batching: boolean,
	flow?: DeleteFlow,
): Promise<NodeChildResult> {
	const child = fork(path.join(__dirname, 'node-child.ts'), [], {
		execArgv: TS_NODE,
		env: { ...TS_NODE_ENV, N8N_LOG_LEVEL: 'silent' },
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	try {
		return await new Promise<NodeChildResult>((resolve, reject) => {
			child.on('message', (message: { type: string; result?: NodeChildResult; error?: string }) => {
				if (message.type === 'warm') {
					// the warm-up's requests and the portal's bucket level are forgotten
					void portal.reset().then(() => child.send({ cmd: 'go' }));
				} else if (message.type === 'result') resolve(message.result!);
				else reject(new Error(message.error));
			});
			child.on('exit', (code) => reject(new Error(`the node process exited (${code})`)));
			const job: NodeJob = {
				webhookUrl: portal.webhookUrl,
				ids: range(n),
				batching,
				flow,
				warmupIds: range(WARMUP, WARMUP_FIRST_ID),
			};
			child.send({ cmd: 'run', job });
		});
	} finally {
		if (child.connected) child.disconnect();
	}
}

async function nodeRow(
	label: string,
	n: number,
	batching: boolean,
	note?: string,
	flow?: DeleteFlow,
): Promise<Row> {
	const portal = await portalWith(n, WARMUP);
	try {
		log(`${label}: N = ${n} …`);
		const result = await nodeInChild(portal, n, batching, flow);
		const stats = await portal.stats();
		const row: Row = {
			label,
			n,
			wallMs: result.wallMs,
			requests: stats.requests,
			portal503: stats.rateLimited,
			userRateLimitErrors: result.rateLimitErrors,
			ok: result.deleted,
			cpuMsPerItem: result.cpuMs / n,
			parameterMsPerItem: result.parameterMs / n,
			firstRequestMs: stats.firstAt - result.startedAt,
			rssGrowthMb: result.rssPeakMb - result.rssBeforeMb,
			note,
		};
		if (stats.resultsLeft !== 0 || result.failed) {
			row.note = `${note ? `${note}; ` : ''}${result.failed} failed, ${stats.resultsLeft} left on the portal${result.firstError ? ` (${result.firstError.slice(0, 120)})` : ''}`;
		}
		log(
			`${label}: N = ${n} done in ${(result.wallMs / 1000).toFixed(2)} s, ${stats.requests} requests, CPU ${result.cpuMs.toFixed(0)} ms`,
		);
		return row;
	} finally {
		await portal.stop();
	}
}

async function rawRow(
	label: string,
	n: number,
	run: (portal: RemotePortal) => Promise<RawRunResult>,
	note?: string,
): Promise<Row> {
	const portal = await portalWith(n, WARMUP);
	try {
		// warm the portal process and this client up as the node's run is, then forget it
		await runPhysicalLimit(portal.webhookUrl, range(WARMUP, WARMUP_FIRST_ID), {
			drainPerSec: 1000,
			burst: 1000,
		});
		await portal.reset();
		log(`${label}: N = ${n} …`);
		const result = await run(portal);
		const stats = await portal.stats();
		log(
			`${label}: N = ${n} done in ${(result.wallMs / 1000).toFixed(2)} s, ${stats.requests} requests`,
		);
		return {
			label,
			n,
			wallMs: result.wallMs,
			requests: stats.requests,
			portal503: stats.rateLimited,
			userRateLimitErrors: result.rateLimitErrors,
			ok: stats.resultsLeft === 0 ? n : n - stats.resultsLeft,
			note,
		};
	} finally {
		await portal.stop();
	}
}

const secs = (ms: number) =>
	ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 1000).toFixed(2)} s`;

function printTable(): void {
	console.log(
		'\n| Scenario | N | Wall time | HTTP requests | 503s answered by the portal | Rate-limit errors seen by the user | Items done | CPU ms / item (ms / item inside n8n\u2019s getNodeParameter, i.e. expression evaluation; wall clock) | Time to first request | Peak RSS growth |',
	);
	console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
	for (const row of rows) {
		console.log(
			`| ${row.label}${row.note ? ` (${row.note})` : ''} | ${row.n.toLocaleString('en')} | ${secs(row.wallMs)} | ${row.requests.toLocaleString('en')} | ${row.portal503} | ${row.userRateLimitErrors} | ${row.ok.toLocaleString('en')} | ${row.cpuMsPerItem === undefined ? '–' : `${row.cpuMsPerItem.toFixed(3)} (${row.parameterMsPerItem!.toFixed(3)})`} | ${row.firstRequestMs === undefined ? '–' : secs(row.firstRequestMs)} | ${row.rssGrowthMb === undefined ? '–' : `${row.rssGrowthMb.toFixed(1)} MB`} |`,
		);
	}
}

async function main(): Promise<void> {
	const cpus = os.cpus();
	console.log(
		'# Bitrix24 Tasks node: bulk delete benchmark' +
			(QUICK ? ' (BENCH_QUICK: small N, smoke run only)' : ''),
	);
	console.log(
		`Machine: Node ${process.version}, ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, ${os.platform()} ${os.release()}`,
	);
	console.log(
		`Portal: local sandbox in its own process, leaky bucket ${BUCKET.drainPerSec} requests/s, burst ${BUCKET.burst} (Bitrix24 standard plan), ${LATENCY_MS} ms latency per request.`,
	);
	console.log(
		`Workload: N task results deleted by the Delete operation through n8n\u2019s real WorkflowExecute, the Task ID taken from each item ({{ $json.taskId }}) as a List \u2192 Delete workflow would pass it; credential "Portal Plan" = standard; Continue On Fail on, so a failed item is counted, not fatal. Each node run is in a fresh process (its own engine and limiter) whose CPU time and RSS are measured alone; every portal runs in a process of its own. Each portal and client is first warmed up by ${WARMUP.toLocaleString('en')} deletes with no limit (a long-running n8n process and a portal are warm), then the portal's counters and bucket are reset.\n`,
	);

	// (a) and (d) alone, so that their wall and CPU times are not disturbed
	const a = await nodeRow('(a) node, defaults (batching on, Task ID from the item)', N, true);
	rows.push(a);
	const d = await rawRow(
		'(d) physical limit: \u2308N/50\u2309 raw batch requests at the bucket\u2019s pace',
		N,
		(portal) => runPhysicalLimit(portal.webhookUrl, range(N), BUCKET),
	);
	rows.push(d);
	const aGrowth = await nodeRow('(a) node, defaults', N_GROWTH, true);
	rows.push(aGrowth);
	const dGrowth = await rawRow('(d) physical limit', N_GROWTH, (portal) =>
		runPhysicalLimit(portal.webhookUrl, range(N_GROWTH), BUCKET),
	);
	rows.push(dGrowth);
	const aMemory = await nodeRow('(a) node, defaults', N_MEMORY, true);
	rows.push(aMemory);
	const e = await nodeRow(
		'(e) node, Get Many \u2192 Delete, defaults (only Result ID set; includes the Get Many requests)',
		N,
		true,
		undefined,
		'getManyDelete',
	);
	rows.push(e);

	// (b) and (c) take minutes at 2 requests/s: run them at the same time, each against its own portal
	log(
		`(b) and (c): N = ${N} each, concurrently on two portals (about ${Math.ceil((N - BUCKET.burst) / BUCKET.drainPerSec / 60)} min) …`,
	);
	let naiveDone = 0;
	const cPromise = rawRow(
		'(c) naive loop: one HTTP request per item (HTTP Request node, Retry On Fail 1 s)',
		N,
		(portal) => runNaiveLoop(portal.webhookUrl, range(N), (done) => (naiveDone = done)),
	);
	const bPromise = nodeRow('(b) node, batching off', N, false);
	const fPromise = nodeRow(
		'(f) node, IDs only (items carry no task, Task ID empty: one request per item)',
		N,
		true,
		undefined,
		'idsOnly',
	);
	const progress = setInterval(
		() => log(`… (c) naive loop: ${naiveDone}/${N} items done; (b) still running`),
		QUICK ? 5_000 : 30_000,
	);
	const [b, c, f] = await Promise.all([bPromise, cPromise, fPromise]).finally(() =>
		clearInterval(progress),
	);
	rows.splice(1, 0, b, c);
	rows.push(f);

	printTable();
	const floor = physicalFloorMs(Math.ceil(N / BATCH_SIZE), BUCKET, LATENCY_MS);
	const floorGrowth = physicalFloorMs(Math.ceil(N_GROWTH / BATCH_SIZE), BUCKET, LATENCY_MS);
	const ratio = (x: number, y: number) => `${(x / y).toFixed(2)}\u00d7`;
	console.log(
		`\nComputed floor (\u2308N/50\u2309 sequential requests, each ${LATENCY_MS} ms, arriving no faster than the bucket allows): N = ${N}: ${secs(floor)}; N = ${N_GROWTH}: ${secs(floorGrowth)}`,
	);
	console.log('\n| Check | Measured | Target | Met |');
	console.log('|---|---:|---:|:---:|');
	const check = (name: string, measured: string, target: string, met: boolean) =>
		console.log(`| ${name} | ${measured} | ${target} | ${met ? 'yes' : '**no**'} |`);
	check(
		`(a)/(d), N = ${N}`,
		ratio(a.wallMs, d.wallMs),
		'\u2264 1.1\u00d7',
		a.wallMs <= 1.1 * d.wallMs,
	);
	check(
		`(a)/(d), N = ${N_GROWTH}`,
		ratio(aGrowth.wallMs, dGrowth.wallMs),
		'\u2264 1.1\u00d7',
		aGrowth.wallMs <= 1.1 * dGrowth.wallMs,
	);
	check(
		`(c)/(e), N = ${N}: Get Many \u2192 Delete with defaults vs the naive loop`,
		ratio(c.wallMs, e.wallMs),
		'\u2265 10\u00d7',
		c.wallMs / e.wallMs >= 10,
	);
	check(
		`(c)/(a), N = ${N}`,
		ratio(c.wallMs, a.wallMs),
		'\u2265 25\u00d7',
		c.wallMs / a.wallMs >= 25,
	);
	const userErrors = [a, aGrowth, aMemory].reduce((sum, row) => sum + row.userRateLimitErrors, 0);
	check('rate-limit errors seen by the user, (a) all N', String(userErrors), '0', userErrors === 0);
	check(
		`CPU per item, (a) N = ${N_MEMORY}`,
		`${aMemory.cpuMsPerItem!.toFixed(3)} ms`,
		'\u2264 0.2 ms',
		aMemory.cpuMsPerItem! <= 0.2,
	);
	check(
		`peak RSS growth, (a) N = ${N_MEMORY}`,
		`${aMemory.rssGrowthMb!.toFixed(1)} MB`,
		'\u2264 50 MB',
		aMemory.rssGrowthMb! <= 50,
	);
	const allDone = rows.every((row) => row.ok === row.n);
	console.log(
		`\nEvery item of every scenario done: ${allDone ? 'yes' : 'NO'}. Total bench time ${elapsed().trim()}.`,
	);
	if (!allDone) process.exitCode = 1;
}

/**
 * `BENCH_FLOWS=300 npm run bench`: only the flows of a bulk delete with N results — Get Many → Delete
 * with defaults, IDs only, and the naive loop — for the speed-up figure in docs/rate-limits-and-batching.md.
 */
async function flowsMain(n: number): Promise<void> {
	console.log(
		`# Bulk delete flows, N = ${n}: standard bucket (${BUCKET.drainPerSec}/s, burst ${BUCKET.burst}), ${LATENCY_MS} ms latency\n`,
	);
	const e = await nodeRow(
		'Get Many \u2192 Delete, defaults (only Result ID set)',
		n,
		true,
		undefined,
		'getManyDelete',
	);
	const [f, c] = await Promise.all([
		nodeRow('IDs only (no task anywhere)', n, true, undefined, 'idsOnly'),
		rawRow('Naive loop (HTTP Request node, Retry On Fail 1 s)', n, (portal) =>
			runNaiveLoop(portal.webhookUrl, range(n)),
		),
	]);
	rows.push(e, f, c);
	printTable();
	console.log(
		`\nNaive loop / Get Many \u2192 Delete: ${(c.wallMs / e.wallMs).toFixed(1)}\u00d7 (target \u2265 10\u00d7)`,
	);
	if (!rows.every((row) => row.ok === row.n) || c.wallMs / e.wallMs < 10) process.exitCode = 1;
}

(process.env.BENCH_TASK_CREATE
	? benchTaskCreate(Number(process.env.BENCH_TASK_CREATE) || 500, BUCKET, LATENCY_MS)
	: process.env.BENCH_FLOWS
		? flowsMain(Number(process.env.BENCH_FLOWS) || 300)
		: main()
).catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
