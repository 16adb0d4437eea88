/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, no-console */
// `npm run test:queue`: the packed package in real n8n queue mode — PostgreSQL, Redis, one main and
// three workers — against one sandbox portal they all share (standard plan: 2/s, burst 50, 20 ms).
// Phase 1: 12 executions at once through production webhooks. Phase 2: a worker is SIGKILLed in the
// middle of a bulk delete and a bulk create; the same inputs are then run again.
// Environment: QUEUE_N8N_VERSION (2.41.1:24), QUEUE_WORKERS (3), E2E_CACHE_DIR (shared with the e2e), QUEUE_SKIP_BUILD=1,
// QUEUE_KEEP=1 (keep the temp folder with every process's log).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { startSandbox, type Sandbox } from '../../test/sandbox';
import { DEMO_PORTAL } from '../../test/sandbox/demo';
import { check, log, tally, WEBHOOK_CRED } from '../e2e/common';
import { Cluster } from './cluster';
import { ensureDebianPackages, sql, startPostgres, startRedis, type Service } from './services';
import { WORKFLOWS, type QueueWorkflow } from './workflows';

const ROOT = resolve(__dirname, '../..');
const CACHE =
	process.env.E2E_CACHE_DIR ??
	join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'n8n-nodes-bitrix24-tasks');
const [N8N_VERSION, NODE_MAJOR] = (process.env.QUEUE_N8N_VERSION ?? '2.41.1:24').split(':');
const PLAN = { drainPerSec: 2, burst: 50 };
const WORKERS = Number(process.env.QUEUE_WORKERS ?? 3);

type Json = Record<string, unknown>;
interface Call {
	label: string;
	workflow: QueueWorkflow;
	body: Json;
	/** the requests the portal needs for this call at best (for the physical floor) */
	minRequests: number;
}
interface Answer {
	label: string;
	status: number;
	ms: number;
	items: Json[];
	text: string;
}

function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
	const r = spawnSync(cmd, args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 << 20 });
	if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
	return r.stdout;
}

/** POST through node:http: the webhook answers when the execution ends, later than fetch's 300 s header timeout. */
async function post(base: string, call: Call, timeoutMs = 900_000): Promise<Answer> {
	const t0 = Date.now();
	const payload = JSON.stringify(call.body);
	return await new Promise((resolveAnswer) => {
		const done = (status: number, text: string) => {
			let items: Json[] = [];
			try {
				const parsed = JSON.parse(text) as unknown;
				items = Array.isArray(parsed) ? (parsed as Json[]) : [parsed as Json];
			} catch {
				// not JSON: kept as text
			}
			resolveAnswer({ label: call.label, status, ms: Date.now() - t0, items, text });
		};
		const req = request(
			`${base}/webhook/${call.workflow.path}`,
			{
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(payload),
				},
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (d: string) => (text += d));
				res.on('end', () => done(res.statusCode ?? 0, text));
				res.on('error', (e) => done(0, String(e)));
			},
		);
		req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		req.on('error', (e) => done(0, String(e)));
		req.end(payload);
	});
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

// ---------- data ----------
// Phase 1: 8 bulk deletes of 360 (tasks 101–108: four with Task ID set, four taking it from the item),
// one IDs-only delete of 50 (task 110), two creates of 60 (task 112), one Get Many (task 111, 300).
const DELETE_TASKS = range(101, 8);
const PER_DELETE = 360;
const resultIdsOf = (taskId: number, count: number) => range(taskId * 1000, count);
const FOREIGN_PER_TASK = 5;
const foreignIdsOf = (taskId: number) => range(taskId * 1000 + 900, FOREIGN_PER_TASK);
const IDS_ONLY_TASK = 110;
const GET_MANY_TASK = 111;
const CREATE_TASK = 112;
// Phase 2 (crash): a delete of 500 (task 120) and a create of 150 (task 121)
const CRASH_DELETE_TASK = 120;
const CRASH_CREATE_TASK = 121;

function seed(sandbox: Sandbox): void {
	const tasks = [
		...DELETE_TASKS,
		IDS_ONLY_TASK,
		GET_MANY_TASK,
		CREATE_TASK,
		CRASH_DELETE_TASK,
		CRASH_CREATE_TASK,
	];
	const results: Array<{ id: number; taskId: number; text: string; authorId: number }> = [];
	const mine = (taskId: number, count: number) =>
		resultIdsOf(taskId, count).forEach((id) =>
			results.push({ id, taskId, text: `result ${id}`, authorId: 1 }),
		);
	for (const t of DELETE_TASKS) mine(t, PER_DELETE);
	mine(IDS_ONLY_TASK, 50);
	mine(GET_MANY_TASK, 300);
	mine(CRASH_DELETE_TASK, 500);
	for (const t of tasks)
		foreignIdsOf(t).forEach((id) =>
			results.push({ id, taskId: t, text: `foreign ${id}`, authorId: 2 }),
		);
	sandbox.seed({
		users: DEMO_PORTAL.users,
		tasks: tasks.map((id) => ({ id, title: `Queue task ${id}`, memberIds: [1, 2] })),
		results,
	});
}

function phase1Calls(): Call[] {
	const calls: Call[] = DELETE_TASKS.map((taskId, n) => {
		const fromItem = n >= 4;
		return {
			label: `delete ${PER_DELETE} of task ${taskId} (${fromItem ? 'Task ID from the item' : 'Task ID set'})`,
			workflow: fromItem ? WORKFLOWS.deleteFromItem : WORKFLOWS.deleteWithTaskId,
			body: { items: resultIdsOf(taskId, PER_DELETE).map((id) => ({ id, taskId })) },
			minRequests: Math.ceil(PER_DELETE / 50),
		};
	});
	calls.push({
		label: 'delete 50, IDs only',
		workflow: WORKFLOWS.deleteIdsOnly,
		body: { items: resultIdsOf(IDS_ONLY_TASK, 50).map((id) => ({ id })) },
		minRequests: 50,
	});
	for (const run of [1, 2])
		calls.push({
			label: `create 60 (run ${run})`,
			workflow: WORKFLOWS.create,
			body: {
				items: range(1, 60).map((n) => ({
					taskId: CREATE_TASK,
					text: `queue create ${run}-${n}`,
					key: `queue-${run}-${n}`,
				})),
			},
			minRequests: 60,
		});
	calls.push({
		label: 'get many (300 + 5)',
		workflow: WORKFLOWS.getMany,
		body: { taskId: GET_MANY_TASK },
		minRequests: Math.ceil((300 + FOREIGN_PER_TASK) / 50),
	});
	return calls;
}

// ---------- checks ----------
const resultsOf = (sandbox: Sandbox, taskId: number) =>
	[...sandbox.state.results.values()].filter((r) => r.taskId === taskId);

function checkDeletes(sandbox: Sandbox, answer: Answer, ids: number[], taskId: number): void {
	const reported = answer.items.filter((i) => i.deleted === true).map((i) => Number(i.id));
	check(
		answer.status === 200 &&
			reported.length === ids.length &&
			new Set(reported).size === ids.length &&
			ids.every((id) => reported.includes(id)),
		`${answer.label}: HTTP 200, every item reported { deleted: true } once`,
		{ status: answer.status, reported: reported.length, sample: answer.text.slice(0, 300) },
	);
	const left = ids.filter((id) => sandbox.state.results.has(id));
	check(
		left.length === 0,
		`${answer.label}: none of its ${ids.length} results left on the portal`,
		left.slice(0, 10),
	);
	const foreign = foreignIdsOf(taskId).filter((id) => sandbox.state.results.has(id));
	check(
		foreign.length === FOREIGN_PER_TASK,
		`${answer.label}: user 2's results on task ${taskId} untouched`,
		foreign,
	);
}

function checkCreates(sandbox: Sandbox, answers: Answer[], taskId: number, texts: string[]): void {
	for (const a of answers)
		check(
			a.status === 200 && a.items.every((i) => typeof i.id === 'number' && !('error' in i)),
			`${a.label}: HTTP 200, every item has its new result's id`,
			{ status: a.status, sample: a.text.slice(0, 300) },
		);
	const counts = new Map<string, number>();
	for (const r of resultsOf(sandbox, taskId)) counts.set(r.text, (counts.get(r.text) ?? 0) + 1);
	const wrong = texts.filter((t) => counts.get(t) !== 1);
	check(
		wrong.length === 0 &&
			resultsOf(sandbox, taskId).filter((r) => r.authorId === 1).length === texts.length,
		`task ${taskId}: each of the ${texts.length} creates exists exactly once`,
		wrong.slice(0, 5).map((t) => `${t}: ${counts.get(t) ?? 0}`),
	);
}

function rateLimitErrorsIn(answers: Answer[]): number {
	return answers.reduce(
		(n, a) => n + (a.text.match(/QUERY_LIMIT_EXCEEDED|rate limit/gi)?.length ?? 0),
		0,
	);
}

// ---------- main ----------
async function main(): Promise<void> {
	const base = mkdtempSync(join(tmpdir(), 'b24-queue-'));
	const services: Service[] = [];
	let cluster: Cluster | undefined;
	let sandbox: Sandbox | undefined;
	const cleanup = async () => {
		await cluster?.stopAll().catch(() => undefined);
		for (const s of services.reverse()) await s.stop().catch(() => undefined);
		await sandbox?.stop().catch(() => undefined);
		if (process.env.QUEUE_KEEP === '1') log(`queue: kept ${base}`);
		else rmSync(base, { recursive: true, force: true });
	};
	for (const signal of ['SIGINT', 'SIGTERM'] as const)
		process.once(signal, () => void cleanup().finally(() => process.exit(130)));
	try {
		ensureDebianPackages();
		if (process.env.QUEUE_SKIP_BUILD !== '1') sh('npm', ['run', 'build', '--silent']);
		const packDir = join(base, 'pack');
		sh('mkdir', ['-p', packDir]);
		sh('npm', ['pack', '--pack-destination', packDir, '--silent', '--ignore-scripts']);
		const tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);
		const installOut = sh(
			'bash',
			[join(ROOT, 'scripts/e2e/install-n8n.sh'), N8N_VERSION, NODE_MAJOR],
			{
				...process.env,
				E2E_CACHE_DIR: CACHE,
			},
		);
		const n8nDir = installOut.trim().split('\n').pop()!;
		const nodeBin = join(CACHE, `node-${NODE_MAJOR}`, 'bin', 'node');

		services.push(await startRedis(join(base, 'redis')));
		const postgres = await startPostgres(join(base, 'postgres'));
		services.push(postgres);
		sandbox = await startSandbox({ rateLimit: PLAN, latencyMs: 20 });
		seed(sandbox);
		log(`queue: sandbox portal ${sandbox.url} (2/s, burst 50, 20 ms latency)`);

		cluster = await Cluster.create(
			{ n8nDir, nodeBin, base, redisPort: services[0].port, postgresPort: postgres.port },
			tarball,
		);
		writeFileSync(
			join(base, 'credentials.json'),
			JSON.stringify([
				{
					...WEBHOOK_CRED,
					type: 'bitrix24WebhookApi',
					data: { webhookUrl: sandbox.webhookUrl(), portalPlan: 'standard' },
				},
			]),
		);
		const wfDir = join(base, 'workflows');
		sh('mkdir', ['-p', wfDir]);
		for (const wf of Object.values(WORKFLOWS))
			writeFileSync(join(wfDir, `${wf.id}.json`), JSON.stringify(wf.json));
		log('queue: import:credentials, import:workflow, publish:workflow (n8n not running yet)');
		cluster.cli(['import:credentials', `--input=${join(base, 'credentials.json')}`]);
		cluster.cli(['import:workflow', '--separate', `--input=${wfDir}`]);
		for (const wf of Object.values(WORKFLOWS)) cluster.cli(['publish:workflow', `--id=${wf.id}`]);

		await cluster.startMain();
		await Promise.all(range(1, WORKERS).map(async () => await cluster!.startWorker(5)));

		// ---------- phase 1 ----------
		const calls = phase1Calls();
		const items = calls.reduce(
			(n, c) => n + ((c.body.items as unknown[] | undefined)?.length ?? 0),
			0,
		);
		log(
			`queue: phase 1 — ${calls.length} executions at once, ${items} input items, ${WORKERS} workers`,
		);
		sandbox.reset();
		const t0 = Date.now();
		const answers = await Promise.all(calls.map(async (c) => await post(cluster!.baseUrl, c)));
		const wallMs = Date.now() - t0;
		// what the portal served (its 503 refusals are counted apart)
		const requests = sandbox.requests.filter(
			(r) => (r.apiVersion === 'v3' || r.apiVersion === 'v2') && r.status !== 503,
		);
		const rateLimited = sandbox.counters.rateLimited;

		DELETE_TASKS.forEach((taskId, n) =>
			checkDeletes(sandbox!, answers[n], resultIdsOf(taskId, PER_DELETE), taskId),
		);
		checkDeletes(
			sandbox,
			answers[DELETE_TASKS.length],
			resultIdsOf(IDS_ONLY_TASK, 50),
			IDS_ONLY_TASK,
		);
		checkCreates(
			sandbox,
			answers.slice(DELETE_TASKS.length + 1, DELETE_TASKS.length + 3),
			CREATE_TASK,
			[1, 2].flatMap((run) => range(1, 60).map((n) => `queue create ${run}-${n}`)),
		);
		const getMany = answers[answers.length - 1];
		check(
			getMany.status === 200 && getMany.items.length === 300 + FOREIGN_PER_TASK,
			`${getMany.label}: HTTP 200 and all ${300 + FOREIGN_PER_TASK} results of task ${GET_MANY_TASK}`,
			{ status: getMany.status, items: getMany.items.length },
		);
		check(
			rateLimitErrorsIn(answers) === 0,
			'no rate-limit error visible in any execution',
			rateLimitErrorsIn(answers),
		);
		const statuses = sql(
			postgres.port,
			'select status, count(*) from execution_entity group by status',
		);
		check(
			statuses.length === 1 &&
				statuses[0][0] === 'success' &&
				Number(statuses[0][1]) === calls.length,
			`PostgreSQL: all ${calls.length} executions "success"`,
			statuses,
		);
		const byWorker = cluster.executionsByWorker();
		const busyWorkers = [...byWorker.values()].filter((e) => e.length > 0).length;
		check(busyWorkers >= Math.min(2, WORKERS), 'the executions were spread over the workers', [
			...byWorker,
		]);
		const minRequests = calls.reduce((n, c) => n + c.minRequests, 0);
		const floorMs = (requests.length / PLAN.drainPerSec) * 1000;
		const ratio = wallMs / floorMs;
		console.log(`
| queue mode, ${WORKERS} workers × concurrency 5 | value |
|---|---:|
| executions / input items | ${calls.length} / ${items} |
| wall time (first call → last answer) | ${(wallMs / 1000).toFixed(1)} s |
| requests the portal served | ${requests.length} (fewest possible ${minRequests}) |
| 503 QUERY_LIMIT_EXCEEDED answered (absorbed) | ${rateLimited} |
| physical limit: requests ÷ 2/s | ${(floorMs / 1000).toFixed(1)} s |
| wall time ÷ physical limit | ${ratio.toFixed(2)}× |
| executions per worker | ${[...byWorker].map(([w, e]) => `${w} ${e.length}`).join(', ')} |
`);
		check(ratio <= 1.5, `wall time within 1.5× the portal's physical limit (${ratio.toFixed(2)}×)`);

		// ---------- phase 2: a worker dies mid-run ----------
		await crashScenario(cluster, sandbox, postgres.port);
	} finally {
		await cleanup();
	}
	log(`queue: ${tally.passes} passed, ${tally.failures} failed`);
	if (tally.failures > 0) process.exitCode = 1;
}

async function crashScenario(cluster: Cluster, sandbox: Sandbox, pgPort: number): Promise<void> {
	log('queue: phase 2 — one worker left, it is SIGKILLed during a bulk delete and a bulk create');
	const [victim, ...others] = cluster.workers().filter((w) => w.proc.exitCode === null);
	await Promise.all(others.map(async (w) => await w.stop()));
	const deleteIds = resultIdsOf(CRASH_DELETE_TASK, 500);
	const createTexts = range(1, 150).map((n) => `crash create ${n}`);
	const deleteCall: Call = {
		label: 'crash: delete 500 (Task ID, Ignore Already Deleted)',
		workflow: WORKFLOWS.deleteWithTaskId,
		body: { items: deleteIds.map((id) => ({ id, taskId: CRASH_DELETE_TASK })) },
		minRequests: 10,
	};
	const createCall: Call = {
		label: 'crash: create 150 (Idempotency Key)',
		workflow: WORKFLOWS.create,
		body: {
			items: createTexts.map((text, n) => ({
				taskId: CRASH_CREATE_TASK,
				text,
				key: `crash-${n + 1}`,
			})),
		},
		minRequests: 150,
	};
	sandbox.reset();
	// the portal is slow today: each batch answers after 4 s, so the kill lands in the middle of both runs
	sandbox.injectFault({ kind: 'delay', ms: 4000 }, { restMethod: 'batch', times: 1000 });
	const firstRun = Promise.all([
		post(cluster.baseUrl, deleteCall, 400_000),
		post(cluster.baseUrl, createCall, 400_000),
	]);
	const until = Date.now() + 120_000;
	const progress = () => ({
		deleted: deleteIds.filter((id) => !sandbox.state.results.has(id)).length,
		created: resultsOf(sandbox, CRASH_CREATE_TASK).filter((r) => r.authorId === 1).length,
	});
	while (Date.now() < until) {
		const p = progress();
		if (p.deleted >= 100 && p.created >= 20) break;
		await new Promise((r) => setTimeout(r, 100));
	}
	const atKill = progress();
	victim.proc.kill('SIGKILL');
	const killedAt = Date.now();
	log(
		`queue: SIGKILL ${victim.name} with ${atKill.deleted}/500 deleted and ${atKill.created}/150 created`,
	);
	check(
		atKill.deleted < 500 && atKill.created < 150,
		'the worker died with both runs unfinished',
		atKill,
	);
	sandbox.clearFaults();
	// a live worker is what notices the dead one's stalled jobs
	await Promise.all([cluster.startWorker(5), cluster.startWorker(5)]);
	const [deleteAnswer, createAnswer] = await firstRun;
	log(
		`queue: the callers of the killed runs got HTTP ${deleteAnswer.status} and ${createAnswer.status} after ${((Date.now() - killedAt) / 1000).toFixed(0)} s`,
	);
	check(
		deleteAnswer.status !== 200 && createAnswer.status !== 200,
		'the killed runs did not report success',
		[deleteAnswer.status, createAnswer.status],
	);
	const failedStatuses = sql(
		pgPort,
		"select status, count(*) from execution_entity where status <> 'success' group by status",
	);
	log(`queue: PostgreSQL, executions not "success": ${JSON.stringify(failedStatuses)}`);
	const before = progress();
	sandbox.reset();
	const t0 = Date.now();
	const [reDelete, reCreate] = await Promise.all([
		post(cluster.baseUrl, { ...deleteCall, label: 're-run: delete 500' }),
		post(cluster.baseUrl, { ...createCall, label: 're-run: create 150' }),
	]);
	const rerunMs = Date.now() - t0;
	const reqs = sandbox.requests.filter(
		(r) => r.apiVersion === 'v3' || r.apiVersion === 'v2',
	).length;
	checkDeletes(sandbox, reDelete, deleteIds, CRASH_DELETE_TASK);
	checkCreates(sandbox, [reCreate], CRASH_CREATE_TASK, createTexts);
	const already = reDelete.items.filter((i) => i.alreadyDeleted === true).length;
	const replays = sandbox.counters.idempotentReplays;
	const remainingCreates = 150 - before.created;
	// the fewest requests the re-run needs: every create is sent again (only the portal knows which ran:
	// a replay costs a request too), one list call for the delete, the deletes still to do in batches of
	// 50, and one delete per result already gone (reported alreadyDeleted only after the portal refused it)
	const needed = 150 + 1 + Math.ceil((500 - before.deleted) / 50) + before.deleted;
	const floorMs = (Math.max(0, needed - PLAN.burst) / PLAN.drainPerSec) * 1000;
	console.log(`
| re-run after the crash | value |
|---|---:|
| left by the crash | ${500 - before.deleted} deletes, ${remainingCreates} creates |
| re-run wall time | ${(rerunMs / 1000).toFixed(1)} s (its ${needed} requests at the portal's pace: ${(floorMs / 1000).toFixed(1)} s, ${(rerunMs / floorMs).toFixed(2)}×) |
| requests | ${reqs} |
| deletes reported alreadyDeleted | ${already} |
| creates answered from the portal's Idempotency-Key record | ${replays} |
`);
	check(
		already === before.deleted,
		`re-run: the ${before.deleted} results the crashed run deleted are reported alreadyDeleted`,
		already,
	);
	check(
		rerunMs <= floorMs * 2,
		're-run costs about what the remaining work costs (≤ 2× its pace)',
		{
			rerunMs,
			floorMs,
		},
	);
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
