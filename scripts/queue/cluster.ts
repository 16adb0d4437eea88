/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-hardcoded-secrets */
// n8n in queue mode on one machine: one main and N workers sharing PostgreSQL, Redis, one encryption
// key and one user folder (where the packed package is installed as a community package).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { freePort, log, OFFLINE_N8N_ENV, stopProcess } from '../e2e/common';

export interface ClusterConfig {
	n8nDir: string;
	nodeBin: string;
	base: string;
	redisPort: number;
	postgresPort: number;
}

export interface N8nProcess {
	name: string;
	proc: ChildProcess;
	logFile: string;
	/** everything the process printed so far */
	output(): string;
	/** SIGTERM, then SIGKILL after `graceMs` */
	stop(graceMs?: number): Promise<void>;
}

export class Cluster {
	readonly userFolder: string;
	readonly port: number;
	private readonly processes: N8nProcess[] = [];
	private workerCount = 0;

	private constructor(
		private readonly cfg: ClusterConfig,
		port: number,
	) {
		this.userFolder = join(cfg.base, 'home');
		this.port = port;
	}

	static async create(cfg: ClusterConfig, tarball: string): Promise<Cluster> {
		const cluster = new Cluster(cfg, await freePort());
		const nodesDir = join(cluster.userFolder, '.n8n', 'nodes');
		mkdirSync(nodesDir, { recursive: true });
		writeFileSync(
			join(nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }),
		);
		const r = spawnSync(
			'npm',
			['install', tarball, '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund'],
			{ cwd: nodesDir, encoding: 'utf8' },
		);
		if (r.status !== 0) throw new Error(`npm install of the package failed: ${r.stderr}`);
		log(`queue: package installed in the shared user folder ${nodesDir}`);
		return cluster;
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** What every process shares: database, queue, encryption key, user folder. */
	env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
		return {
			PATH: `${join(this.cfg.nodeBin, '..')}:${process.env.PATH ?? ''}`,
			HOME: this.cfg.base,
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: 'b24-queue-shared-encryption-key',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(this.cfg.redisPort),
			// a dead worker's job is noticed after its lock lapses: 20 s instead of n8n's 60 s keeps the
			// crash scenario short; nothing else about the queue changes
			QUEUE_WORKER_LOCK_DURATION: '20000',
			QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
			QUEUE_WORKER_STALLED_INTERVAL: '10000',
			QUEUE_HEALTH_CHECK_ACTIVE: 'false',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.cfg.postgresPort),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
			...OFFLINE_N8N_ENV,
			N8N_PORT: String(this.port),
			WEBHOOK_URL: `${this.baseUrl}/`,
			...extra,
		};
	}

	/** A CLI command (import, publish) while no n8n process runs. */
	cli(args: string[]): string {
		const r = spawnSync(
			this.cfg.nodeBin,
			[join(this.cfg.n8nDir, 'node_modules/n8n/bin/n8n'), ...args],
			{
				cwd: this.userFolder,
				env: this.env({ N8N_RUNNERS_BROKER_PORT: '0' }),
				encoding: 'utf8',
				timeout: 180_000,
			},
		);
		if (r.status !== 0)
			throw new Error(`n8n ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
		return r.stdout;
	}

	private async spawnProcess(name: string, args: string[], ready: string): Promise<N8nProcess> {
		const logFile = join(this.cfg.base, `${name}.log`);
		const sink = createWriteStream(logFile);
		const proc = spawn(
			this.cfg.nodeBin,
			[join(this.cfg.n8nDir, 'node_modules/n8n/bin/n8n'), ...args],
			{
				cwd: this.userFolder,
				env: this.env({
					N8N_RUNNERS_BROKER_PORT: String(await freePort()),
					N8N_EVENTBUS_LOGWRITER_LOGBASENAME: `n8nEventLog-${name}`,
				}),
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		let out = '';
		const take = (d: Buffer) => {
			out += d.toString();
			sink.write(d);
		};
		proc.stdout?.on('data', take);
		proc.stderr?.on('data', take);
		const p: N8nProcess = {
			name,
			proc,
			logFile,
			output: () => out,
			stop: async (graceMs = 20_000) => await stopProcess(proc, graceMs),
		};
		this.processes.push(p);
		const until = Date.now() + 180_000;
		while (!out.includes(ready)) {
			if (proc.exitCode !== null)
				throw new Error(
					`${name} exited with ${proc.exitCode} before "${ready}":\n${out.slice(-3000)}`,
				);
			if (Date.now() > until)
				throw new Error(`${name} did not print "${ready}" within 180 s:\n${out.slice(-3000)}`);
			await new Promise((r) => setTimeout(r, 250));
		}
		log(`queue: ${name} ready (log ${logFile})`);
		return p;
	}

	/** The main only accepts webhooks once it printed this (n8n-queue-mode.md §6). */
	async startMain(): Promise<N8nProcess> {
		return await this.spawnProcess('main', ['start'], 'Editor is now accessible');
	}

	async startWorker(concurrency = 5): Promise<N8nProcess> {
		const name = `worker${++this.workerCount}`;
		return await this.spawnProcess(
			name,
			['worker', `--concurrency=${concurrency}`],
			'n8n worker is now ready',
		);
	}

	workers(): N8nProcess[] {
		return this.processes.filter((p) => p.name.startsWith('worker'));
	}

	/** Which worker started which execution (from their logs). */
	executionsByWorker(): Map<string, string[]> {
		const map = new Map<string, string[]>();
		for (const w of this.workers())
			map.set(
				w.name,
				[...w.output().matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]),
			);
		return map;
	}

	async stopAll(): Promise<void> {
		await Promise.all(this.processes.map(async (p) => await p.stop(15_000)));
	}
}
