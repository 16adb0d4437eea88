/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- benchmark harness: forks the sandbox process */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

import type { SandboxOptions, SeedData } from '../../test/sandbox';
import type { PortalCommand, PortalStats } from './sandbox-child';

export const TS_NODE = ['-r', 'ts-node/register/transpile-only'];
/** `Bitrix24Tasks.node.json` sits next to `Bitrix24Tasks.node.ts`: without this, `require` would load the JSON */
export const TS_NODE_ENV = { ...process.env, TS_NODE_PREFER_TS_EXTS: 'true' };

/** A sandbox portal living in a child process, driven over IPC. */
export class RemotePortal {
	private nextId = 1;
	private readonly pending = new Map<
		number,
		{ resolve: (v: unknown) => void; reject: (e: Error) => void }
	>();
	webhookUrl = '';
	url = '';

	private constructor(private readonly child: ChildProcess) {
		child.on('message', (msg: { id: number; ok: boolean; value?: unknown; error?: string }) => {
			const waiter = this.pending.get(msg.id);
			if (!waiter) return;
			this.pending.delete(msg.id);
			if (msg.ok) waiter.resolve(msg.value);
			else waiter.reject(new Error(msg.error));
		});
		child.on('exit', (code) => {
			for (const waiter of this.pending.values())
				waiter.reject(new Error(`the sandbox process exited (${code})`));
			this.pending.clear();
		});
	}

	static async start(options: SandboxOptions): Promise<RemotePortal> {
		const child = fork(path.join(__dirname, 'sandbox-child.ts'), [], {
			execArgv: TS_NODE,
			env: TS_NODE_ENV,
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		const portal = new RemotePortal(child);
		const { url, webhookUrl } = (await portal.send({ cmd: 'start', arg: options })) as {
			url: string;
			webhookUrl: string;
		};
		portal.url = url;
		portal.webhookUrl = webhookUrl;
		return portal;
	}

	private send(command: PortalCommand): Promise<unknown> {
		const id = this.nextId++;
		return new Promise((resolve, reject) => {
			this.pending.set(id, { resolve, reject });
			this.child.send({ id, ...command });
		});
	}

	async seedResults(taskId: number, firstId: number, count: number): Promise<number> {
		return (await this.send({ cmd: 'seedResults', arg: { taskId, firstId, count } })) as number;
	}

	async seed(data: SeedData): Promise<number> {
		return (await this.send({ cmd: 'seed', arg: data })) as number;
	}

	/** counters and requests back to zero, the portal's leaky bucket empty (data is kept) */
	async reset(): Promise<void> {
		await this.send({ cmd: 'reset' });
	}

	async stats(): Promise<PortalStats> {
		return (await this.send({ cmd: 'stats' })) as PortalStats;
	}

	async stop(): Promise<void> {
		await this.send({ cmd: 'stop' }).catch(() => undefined);
		if (this.child.connected) this.child.disconnect();
	}
}
