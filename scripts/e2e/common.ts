/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/require-node-api-error, no-console */
// Shared by the e2e runner and its browser step: logging, assertions, ports, the fixed credential ids.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const WEBHOOK_CRED = { id: 'b24WebhookCred01', name: 'Bitrix24 webhook' };
export const OAUTH_CRED = { id: 'b24OAuth2Cred01', name: 'Bitrix24 OAuth2' };

export const started = Date.now();
export function log(message: string): void {
	const t = new Date().toISOString().slice(11, 19);
	console.log(`[e2e ${t} +${((Date.now() - started) / 1000).toFixed(0)}s] ${message}`);
}

export const tally = { passes: 0, failures: 0 };
export function check(condition: unknown, what: string, detail?: unknown): boolean {
	if (condition) {
		tally.passes++;
		log(`  ok   ${what}`);
		return true;
	}
	tally.failures++;
	log(
		`  FAIL ${what}${detail === undefined ? '' : `\n       got: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`}`,
	);
	return false;
}

/** What every n8n process of the tests runs with: offline, quiet, on 127.0.0.1, community packages on. */
export const OFFLINE_N8N_ENV = {
	N8N_LOG_LEVEL: 'info',
	N8N_RUNNERS_MODE: 'internal',
	N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
	N8N_TEMPLATES_ENABLED: 'false',
	N8N_PERSONALIZATION_ENABLED: 'false',
	N8N_DYNAMIC_BANNERS_ENABLED: 'false',
	N8N_HIRING_BANNER_ENABLED: 'false',
	N8N_AI_ENABLED: 'false',
	N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
	N8N_REINSTALL_MISSING_PACKAGES: 'false',
	N8N_SECURE_COOKIE: 'false',
	N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
	N8N_LISTEN_ADDRESS: '127.0.0.1',
	N8N_HOST: '127.0.0.1',
	N8N_PROXY_HOPS: '0',
	NO_COLOR: '1',
};

/** SIGTERM, then SIGKILL when the process has not exited after `graceMs`; resolves once it is gone. */
export async function stopProcess(proc: ChildProcess, graceMs = 10_000): Promise<void> {
	if (proc.exitCode !== null || proc.signalCode !== null) return;
	const exited = new Promise<void>((r) => proc.once('exit', () => r()));
	proc.kill('SIGTERM');
	const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
}

export async function freePort(): Promise<number> {
	return await new Promise((resolvePromise, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolvePromise(port));
		});
	});
}

export interface N8nInstall {
	version: string;
	dir: string;
	nodeBin: string;
	env: NodeJS.ProcessEnv;
	userFolder: string;
}

export interface CliResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
}

export async function n8n(
	install: N8nInstall,
	args: string[],
	timeoutMs = 180_000,
): Promise<CliResult> {
	const t0 = Date.now();
	return await new Promise((resolvePromise) => {
		const child = spawn(install.nodeBin, [join(install.dir, 'node_modules/n8n/bin/n8n'), ...args], {
			cwd: install.userFolder,
			env: install.env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolvePromise({ code, signal, stdout, stderr, ms: Date.now() - t0 });
		});
	});
}

export interface N8nServer {
	base: string;
	proc: ChildProcess;
	/** everything n8n start printed so far */
	output(): string;
	stop(): Promise<void>;
}

/**
 * `n8n start` on a free loopback port. Resolves once n8n logged "Editor is now accessible" (published
 * workflows, webhooks and MCP endpoints are registered by then; /healthz answers earlier) and /healthz
 * answers; rejects with the log tail when n8n exits or the timeout passes. On failure the process is
 * stopped before the promise rejects.
 */
export async function startN8nServer(
	install: N8nInstall,
	label: string,
	timeoutMs = 180_000,
	/** a restart on the same port keeps the production webhook URLs */
	port?: number,
): Promise<N8nServer> {
	port ??= await freePort();
	const base = `http://127.0.0.1:${port}`;
	log(`${label}: n8n ${install.version} start on ${base}`);
	const proc = spawn(install.nodeBin, [join(install.dir, 'node_modules/n8n/bin/n8n'), 'start'], {
		cwd: install.userFolder,
		env: {
			...install.env,
			N8N_PORT: String(port),
			N8N_EDITOR_BASE_URL: base,
			WEBHOOK_URL: `${base}/`,
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
	proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
	// if the runner itself dies (an uncaught error ends in process.exit), n8n must not outlive it
	const killOnExit = () => proc.kill('SIGKILL');
	process.once('exit', killOnExit);
	const stop = async () => {
		process.removeListener('exit', killOnExit);
		await stopProcess(proc);
	};
	const server: N8nServer = { base, proc, output: () => out, stop };
	const t0 = Date.now();
	let lastNote = t0;
	try {
		for (;;) {
			if (proc.exitCode !== null || proc.signalCode !== null)
				throw new Error(
					`n8n start exited (${proc.exitCode ?? proc.signalCode}) before it was ready`,
				);
			if (out.includes('Editor is now accessible')) {
				const res = await fetch(`${base}/healthz`).catch(() => undefined);
				if (res?.ok) break;
			}
			if (Date.now() - t0 > timeoutMs)
				throw new Error(`n8n start did not log "Editor is now accessible" within ${timeoutMs} ms`);
			if (Date.now() - lastNote > 15_000) {
				lastNote = Date.now();
				log(`${label}: waiting for n8n to log "Editor is now accessible" …`);
			}
			await new Promise((r) => setTimeout(r, 250));
		}
	} catch (error) {
		await stop();
		throw new Error(
			`${(error as Error).message}\n--- n8n start log (tail) ---\n${out.slice(-3000)}`,
		);
	}
	log(`${label}: n8n is up after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	return server;
}
