/* eslint-disable @n8n/community-nodes/no-restricted-globals -- a child process of the multi-process test talks over IPC */
// One n8n "worker" process of test/engine/multiprocess.test.ts: its own engine, its own process-wide limiter.
// Parent → child: { cmd: 'run', job } (the child answers { type: 'ready' }), then { cmd: 'go' }; the child answers { type: 'done', … }.
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow, singleNodeWorkflow } from '../harness/engine';

export interface WorkerJob {
	parameters: IDataObject;
	items: IDataObject[];
	credentials: Record<string, IDataObject>;
}

export interface WorkerReport {
	type: 'done';
	pid: number;
	outputs: IDataObject[];
	error?: string;
}

let job: WorkerJob | undefined;

async function run(): Promise<void> {
	const { output, error } = await runWorkflow(
		singleNodeWorkflow(job!.parameters, { continueOnFail: true }),
		{
			items: job!.items,
			credentials: job!.credentials,
		},
	);
	const report: WorkerReport = {
		type: 'done',
		pid: process.pid,
		outputs: output('Bitrix24 Tasks').map((item) => item.json),
		error: error ? `${error.message} ${error.description ?? ''}` : undefined,
	};
	process.send?.(report);
}

process.on('message', (message: { cmd: 'run'; job: WorkerJob } | { cmd: 'go' }) => {
	if (message.cmd === 'run') {
		job = message.job;
		process.send?.({ type: 'ready' });
	} else {
		run().catch((error: Error) =>
			process.send?.({
				type: 'done',
				pid: process.pid,
				outputs: [],
				error: error.stack ?? error.message,
			}),
		);
	}
});
process.on('disconnect', () => process.exit(0));
