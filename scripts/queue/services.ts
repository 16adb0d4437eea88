/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions */
// Real Redis and PostgreSQL from Debian's packages, started as plain processes on 127.0.0.1 with their
// own temp data folders and ports, and stopped at the end (see ../shared n8n-queue-mode.md §6).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { freePort, log, stopProcess } from '../e2e/common';

const PG_ROOT = '/usr/lib/postgresql';

/** `apt-get install` what is missing (the packages' own services are not started). */
export function ensureDebianPackages(): void {
	const missing: string[] = [];
	if (!existsSync('/usr/bin/redis-server')) missing.push('redis-server');
	if (!pgBin()) missing.push('postgresql');
	if (missing.length === 0) return;
	log(`queue: apt-get install -y ${missing.join(' ')}`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
	const r = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
	if (r.status !== 0 || !existsSync('/usr/bin/redis-server') || !pgBin())
		throw new Error(`could not install ${missing.join(' ')} with apt-get (run as root?)`);
}

/** The newest PostgreSQL server Debian installed, e.g. /usr/lib/postgresql/15/bin. */
function pgBin(): string | undefined {
	if (!existsSync(PG_ROOT)) return undefined;
	const versions = readdirSync(PG_ROOT)
		.filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? join(PG_ROOT, versions[0], 'bin') : undefined;
}

export interface Service {
	name: string;
	port: number;
	proc: ChildProcess;
	stop(): Promise<void>;
}

function stopper(name: string, proc: ChildProcess): () => Promise<void> {
	return async () => {
		await stopProcess(proc);
		log(`queue: ${name} stopped`);
	};
}

async function waitFor(what: string, ok: () => boolean, proc: ChildProcess, timeoutMs = 60_000) {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		if (proc.exitCode !== null) throw new Error(`${what} exited with ${proc.exitCode}`);
		if (ok()) return;
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error(`${what} was not ready within ${timeoutMs / 1000} s`);
}

export async function startRedis(dir: string): Promise<Service> {
	const port = await freePort();
	mkdirSync(dir, { recursive: true });
	const proc = spawn(
		'/usr/bin/redis-server',
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
		],
		{ stdio: ['ignore', 'pipe', 'pipe'] },
	);
	let out = '';
	proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
	await waitFor('redis-server', () => out.includes('Ready to accept connections'), proc);
	log(`queue: redis-server ${port} ready`);
	return { name: 'redis', port, proc, stop: stopper('redis-server', proc) };
}

/** PostgreSQL refuses to run as root: the cluster belongs to the `postgres` user Debian created. */
export async function startPostgres(dir: string): Promise<Service & { database: string }> {
	const bin = pgBin();
	if (!bin) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql');
	const port = await freePort();
	const data = join(dir, 'data');
	const sockets = join(dir, 'sock');
	mkdirSync(sockets, { recursive: true });
	const asRoot = process.getuid?.() === 0;
	const ids = asRoot ? spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }) : undefined;
	const gids = asRoot ? spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }) : undefined;
	if (asRoot) {
		const uid = Number(ids?.stdout.trim());
		const gid = Number(gids?.stdout.trim());
		if (!Number.isInteger(uid))
			throw new Error('no postgres user (install the postgresql package)');
		// the postgres user must reach its folder through the (private) temp folder above it
		chmodSync(dirname(dir), 0o711);
		chownSync(dir, uid, gid);
		chownSync(sockets, uid, gid);
		const reach = spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-w', dir]);
		if (reach.status !== 0)
			throw new Error(
				`the postgres user cannot reach ${dir}: a folder above it is private (set TMPDIR to a folder others can traverse, e.g. /tmp)`,
			);
	}
	const as = (cmd: string, args: string[]) =>
		asRoot
			? (['runuser', ['-u', 'postgres', '--', cmd, ...args]] as const)
			: ([cmd, args] as const);
	const [initCmd, initArgs] = as(join(bin, 'initdb'), [
		'-D',
		data,
		'-A',
		'trust',
		'-U',
		'postgres',
		'--no-sync',
	]);
	const init = spawnSync(initCmd, [...initArgs], { encoding: 'utf8' });
	if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}\n${init.stderr}`);
	const [pgCmd, pgArgs] = as(join(bin, 'postgres'), [
		'-D',
		data,
		'-p',
		String(port),
		'-k',
		sockets,
		'-c',
		'listen_addresses=127.0.0.1',
		'-c',
		'fsync=off',
		'-c',
		'max_connections=200',
	]);
	const proc = spawn(pgCmd, [...pgArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
	proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
	await waitFor('postgres', () => out.includes('ready to accept connections'), proc);
	const create = spawnSync(
		join(bin, 'psql'),
		['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-c', 'create database n8n'],
		{ encoding: 'utf8' },
	);
	if (create.status !== 0) throw new Error(`create database failed: ${create.stderr}`);
	log(`queue: PostgreSQL ${bin.split('/').at(-2)} on ${port} ready (database n8n)`);
	return { name: 'postgres', port, proc, database: 'n8n', stop: stopper('postgres', proc) };
}

/** Runs one SQL statement and returns its rows as tab-separated fields. */
export function sql(port: number, statement: string): string[][] {
	const bin = pgBin() ?? '/usr/bin';
	const r = spawnSync(
		join(bin, 'psql'),
		[
			'-h',
			'127.0.0.1',
			'-p',
			String(port),
			'-U',
			'postgres',
			'-d',
			'n8n',
			'-At',
			'-F',
			'\t',
			'-c',
			statement,
		],
		{ encoding: 'utf8' },
	);
	if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
	return r.stdout
		.split('\n')
		.filter(Boolean)
		.map((line) => line.split('\t'));
}
