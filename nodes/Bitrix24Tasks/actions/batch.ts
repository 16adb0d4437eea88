import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Bitrix24Client } from '../transport';
import type { BatchSupport, SingleCall } from './node.type';

/** REST 3.0 batch limit the official SDK enforces; the server's own cap is not documented. */
export const MAX_BATCH_COMMANDS = 50;

export interface BatchEntry<Input> {
	itemIndex: number;
	input: Input;
}

export type ItemOutcome = IDataObject[] | Error;

/** Sends one item on its own, with its Idempotency-Key. */
export async function runSingle<Input>(
	this: IExecuteFunctions,
	client: Bitrix24Client,
	support: SingleCall<Input>,
	input: Input,
	itemIndex: number,
): Promise<IDataObject[]> {
	const call = support.request(input);
	const { result } = await client.call(
		{
			...call,
			idempotencyKey: call.write
				? (call.idempotencyKey ?? client.idempotencyKey(itemIndex))
				: undefined,
		},
		itemIndex,
	);
	return support.output.call(this, input, result, itemIndex);
}

export interface BatchRun {
	/** items settled without being sent alone: done by a batch, or settled by the check before it */
	outcomes: Map<number, ItemOutcome>;
	/** items the portal showed still to do before anything was sent (`BatchSupport.pending`) */
	pendingBefore: Set<number>;
}

/**
 * Sends the entries in batches of up to 50 commands. With `support.pending`, only entries the portal
 * shows still to do go into a batch, and a stopped batch is settled from the portal's state: an entry
 * no longer pending was done by the batch, the first one still pending is the command that failed (it
 * is sent alone for its own answer), the rest go into the next batch. Entries this leaves unsettled
 * are sent alone by the router.
 */
export async function runInBatches<Input>(
	this: IExecuteFunctions,
	client: Bitrix24Client,
	support: BatchSupport<Input>,
	entries: Array<BatchEntry<Input>>,
): Promise<BatchRun> {
	const run: BatchRun = { outcomes: new Map(), pendingBefore: new Set() };
	let queue = entries;
	if (support.pending) {
		const states = await support.pending.call(
			this,
			client,
			entries.map((entry) => entry.input),
		);
		queue = [];
		entries.forEach((entry, n) => {
			if (states[n] === true) {
				run.pendingBefore.add(entry.itemIndex);
				queue.push(entry);
			} else if (states[n] === false) {
				const output = support.outputWhenNotPending?.(entry.input);
				if (output) run.outcomes.set(entry.itemIndex, output);
			}
		});
	}
	// a batch of one is no better than the item alone
	while (queue.length > 1) {
		const chunk = queue.splice(0, MAX_BATCH_COMMANDS);
		const sent = await client.tryCall(
			{
				api: 'v3',
				method: 'batch',
				body: chunk.map(({ input }) => {
					const call = support.request(input);
					return { method: call.method, query: call.body ?? {} };
				}),
				write: true,
			},
			chunk[0].itemIndex,
		);
		const results =
			sent.ok && Array.isArray(sent.result) && sent.result.length === chunk.length
				? sent.result
				: undefined;
		if (results) {
			chunk.forEach((entry, n) =>
				run.outcomes.set(
					entry.itemIndex,
					settle(() => support.output.call(this, entry.input, results[n], entry.itemIndex)),
				),
			);
			continue;
		}
		queue.unshift(...(await settleStoppedBatch(this, client, support, chunk, run)));
	}
	return run;
}

function settle(run: () => IDataObject[]): ItemOutcome {
	try {
		return run();
	} catch (error) {
		return error as Error;
	}
}

/**
 * The portal stopped the batch at an unknown command, or its answer was lost. Without `pending`
 * every entry is left to be sent alone. With it: entries no longer pending were done (they were
 * pending before); the first still pending is where the batch stopped and is left to be sent alone
 * with its own answer; the others are returned for the next batch. Unknown entries are sent alone.
 */
async function settleStoppedBatch<Input>(
	ctx: IExecuteFunctions,
	client: Bitrix24Client,
	support: BatchSupport<Input>,
	chunk: Array<BatchEntry<Input>>,
	run: BatchRun,
): Promise<Array<BatchEntry<Input>>> {
	if (!support.pending) return [];
	const states = await support.pending.call(
		ctx,
		client,
		chunk.map((entry) => entry.input),
	);
	const again: Array<BatchEntry<Input>> = [];
	let stoppedAtSeen = false;
	chunk.forEach((entry, n) => {
		if (states[n] === false) {
			run.outcomes.set(
				entry.itemIndex,
				settle(() => support.output.call(ctx, entry.input, undefined, entry.itemIndex)),
			);
		} else if (states[n] === true) {
			if (stoppedAtSeen) again.push(entry);
			stoppedAtSeen = true;
		}
	});
	return again;
}
