/* eslint-disable @n8n/community-nodes/no-restricted-globals -- an IPC child process reads `process` */
// Runs one sandbox portal in its own process, so the CPU and memory the benchmark measures are the node's own.
// Protocol: the parent sends { id, cmd, arg }, the child answers { id, ok, value | error }.
import { startSandbox, type Sandbox, type SandboxOptions, type SeedData } from '../../test/sandbox';

export interface PortalStats {
	requests: number;
	/** HTTP requests per REST method */
	byMethod: Record<string, number>;
	/** 503 QUERY_LIMIT_EXCEEDED answers the portal gave */
	rateLimited: number;
	executedCommands: number;
	idempotentReplays: number;
	resultsLeft: number;
	/** tasks on the portal */
	tasks: number;
	/** epoch ms of the first request's arrival (0 when none) */
	firstAt: number;
}

export type PortalCommand =
	| { cmd: 'start'; arg: SandboxOptions }
	| { cmd: 'seedResults'; arg: { taskId: number; firstId: number; count: number } }
	| { cmd: 'seed'; arg: SeedData }
	| { cmd: 'reset'; arg?: undefined }
	| { cmd: 'stats'; arg?: undefined }
	| { cmd: 'stop'; arg?: undefined };

let sandbox: Sandbox | undefined;

function stats(sb: Sandbox): PortalStats {
	const byMethod: Record<string, number> = {};
	for (const r of sb.requests)
		byMethod[r.restMethod ?? r.path] = (byMethod[r.restMethod ?? r.path] ?? 0) + 1;
	return {
		requests: sb.requests.length,
		byMethod,
		rateLimited: sb.counters.rateLimited,
		executedCommands: sb.counters.executedCommands,
		idempotentReplays: sb.counters.idempotentReplays,
		resultsLeft: sb.state.results.size,
		tasks: sb.state.tasks.size,
		firstAt: sb.requests[0]?.at ?? 0,
	};
}

async function handle(message: PortalCommand): Promise<unknown> {
	if (message.cmd === 'start') {
		sandbox = await startSandbox(message.arg);
		return { url: sandbox.url, webhookUrl: sandbox.webhookUrl() };
	}
	if (!sandbox) throw new Error('the sandbox is not started');
	switch (message.cmd) {
		case 'seedResults': {
			const { taskId, firstId, count } = message.arg;
			const results = Array.from({ length: count }, (_, n) => ({
				id: firstId + n,
				taskId,
				text: `result ${firstId + n}`,
				authorId: 1,
			}));
			sandbox.seed({ results });
			return sandbox.state.results.size;
		}
		case 'seed':
			sandbox.seed(message.arg);
			return sandbox.state.results.size;
		case 'reset':
			sandbox.reset();
			return true;
		case 'stats':
			return stats(sandbox);
		case 'stop':
			await sandbox.stop();
			sandbox = undefined;
			return true;
	}
}

process.on('message', (raw: { id: number } & PortalCommand) => {
	handle(raw).then(
		(value) => process.send?.({ id: raw.id, ok: true, value }),
		(error: Error) => process.send?.({ id: raw.id, ok: false, error: error.message }),
	);
});
process.on('disconnect', () => process.exit(0));
