/* eslint-disable @n8n/community-nodes/no-restricted-globals -- an IPC child process reads `process` */
// Runs the node in a fresh process of its own, so its CPU time and memory are measured alone.
// Parent → child: { cmd: 'run', job }, later { cmd: 'go' }; child → parent: { type: 'warm' }, { type: 'result', result }.
import '../../test/harness/userFolder';

import { ExecuteContext } from 'n8n-core';

import { runNodeDeletes, type DeleteFlow, type NodeRunResult } from './scenarios';

export interface NodeJob {
	webhookUrl: string;
	ids: number[];
	batching: boolean;
	/** how the deletes reach the node (default: Task ID from the item) */
	flow?: DeleteFlow;
	/** run these first with the limiter off (plan "none"), then wait for `go`: JIT and lazy modules warmed up */
	warmupIds: number[];
}

export interface NodeChildResult extends NodeRunResult {
	/** time spent inside n8n's getNodeParameter (where `{{ … }}` expressions are evaluated), synchronous so ≈ CPU */
	parameterMs: number;
}

/** Measures the time n8n-core spends resolving node parameters, to tell the expression engine's cost from the node's. */
function timeParameters(): () => number {
	const proto = Object.getPrototypeOf(Object.getPrototypeOf(ExecuteContext.prototype)) as {
		_getNodeParameter: (...args: unknown[]) => unknown;
	};
	const original = proto._getNodeParameter;
	let total = 0;
	proto._getNodeParameter = function (this: unknown, ...args: unknown[]) {
		const t0 = performance.now();
		try {
			return original.apply(this, args);
		} finally {
			total += performance.now() - t0;
		}
	};
	return () => {
		proto._getNodeParameter = original;
		return total;
	};
}

let go: (() => void) | undefined;

async function run(job: NodeJob): Promise<void> {
	if (job.warmupIds.length) {
		await runNodeDeletes(job.webhookUrl, job.warmupIds, { batching: true, plan: 'none' });
		await new Promise<void>((resolve) => {
			go = resolve;
			process.send?.({ type: 'warm' });
		});
	}
	const stop = timeParameters();
	const result = await runNodeDeletes(job.webhookUrl, job.ids, {
		batching: job.batching,
		flow: job.flow,
	});
	const childResult: NodeChildResult = { ...result, parameterMs: stop() };
	process.send?.({ type: 'result', result: childResult });
}

process.on('message', (message: { cmd: 'run'; job: NodeJob } | { cmd: 'go' }) => {
	if (message.cmd === 'go') go?.();
	else
		run(message.job).catch((error: Error) =>
			process.send?.({ type: 'error', error: error.stack ?? error.message }),
		);
});
process.on('disconnect', () => process.exit(0));
