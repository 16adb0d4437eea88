import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { specFor, type BitrixFailure } from '../errors/translate';
import type { Bitrix24Client, CallOutcome } from '../transport';
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

/** Sends the entries in batches of up to 50 commands; every entry ends with its own outcome. */
export async function runInBatches<Input>(
	this: IExecuteFunctions,
	client: Bitrix24Client,
	support: BatchSupport<Input>,
	entries: Array<BatchEntry<Input>>,
): Promise<Map<number, ItemOutcome>> {
	const outcomes = new Map<number, ItemOutcome>();
	for (let start = 0; start < entries.length; start += MAX_BATCH_COMMANDS) {
		const chunk = entries.slice(start, start + MAX_BATCH_COMMANDS);
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
				outcomes.set(
					entry.itemIndex,
					settle(() => support.output.call(this, entry.input, results[n], entry.itemIndex)),
				),
			);
			continue;
		}
		const failure: BitrixFailure = sent.ok
			? {
					code: 'ERROR_UNEXPECTED_ANSWER',
					detail: 'the batch answer does not have one result per command',
				}
			: sent.failure;
		const recovered = await recoverStoppedBatch.call(this, client, support, chunk, failure);
		for (const [itemIndex, outcome] of recovered) outcomes.set(itemIndex, outcome);
	}
	return outcomes;
}

function settle(run: () => IDataObject[]): ItemOutcome {
	try {
		return run();
	} catch (error) {
		return error as Error;
	}
}

/** What a failed batch says about which of its commands ran. */
function batchStop(
	failure: BitrixFailure,
	redoneCode: string | undefined,
): 'nothingRan' | 'stoppedAtKnown' | 'unknown' {
	const retry = specFor(failure).retry;
	// rejected as a whole before any command ran: limits and authentication
	if (
		retry === 'rateLimit' ||
		retry === 'operatingLimit' ||
		retry === 'tokenExpired' ||
		failure.httpCode === 401
	) {
		return 'nothingRan';
	}
	// a command's own deterministic error, which a re-sent earlier command cannot give
	if (
		retry === 'never' &&
		failure.httpCode &&
		failure.httpCode < 500 &&
		failure.code !== redoneCode
	)
		return 'stoppedAtKnown';
	return 'unknown';
}

/**
 * The portal ran the batch's commands in order up to an unknown failing one. Every item is sent again
 * on its own (with its Idempotency-Key); its own answer is its outcome, except for items the batch
 * may already have done, which answer `redoneCode` when sent again:
 * - they stand before the first item whose answer differs from `redoneCode`;
 * - when the batch's error was another deterministic error, the batch stopped exactly at that item, so
 *   the ones before it were done by the batch;
 * - otherwise (the batch's error was itself `redoneCode`, or a server/network fault) the operation
 *   confirms against the portal which are done; unconfirmed ones keep their error.
 */
async function recoverStoppedBatch<Input>(
	this: IExecuteFunctions,
	client: Bitrix24Client,
	support: BatchSupport<Input>,
	chunk: Array<BatchEntry<Input>>,
	failure: BitrixFailure,
): Promise<Map<number, ItemOutcome>> {
	const singles: CallOutcome[] = [];
	for (const { input, itemIndex } of chunk) {
		const call = support.request(input);
		singles.push(
			await client.tryCall(
				{ ...call, idempotencyKey: call.idempotencyKey ?? client.idempotencyKey(itemIndex) },
				itemIndex,
			),
		);
	}
	const outcomes = new Map<number, ItemOutcome>();
	chunk.forEach((entry, n) => {
		const single = singles[n];
		outcomes.set(
			entry.itemIndex,
			single.ok
				? settle(() => support.output.call(this, entry.input, single.result, entry.itemIndex))
				: single.error,
		);
	});
	const { redoneCode } = support;
	const stop = batchStop(failure, redoneCode);
	if (!redoneCode || stop === 'nothingRan') return outcomes;

	const isRedone = (single: CallOutcome) => !single.ok && single.failure.code === redoneCode;
	let firstOther = singles.findIndex((single) => !isRedone(single));
	if (firstOther === -1) firstOther = chunk.length;
	const maybeDone = chunk.slice(0, firstOther);
	if (!maybeDone.length) return outcomes;

	let done: boolean[];
	if (stop === 'stoppedAtKnown') {
		done = maybeDone.map(() => true);
	} else if (support.confirmDone) {
		done = await support.confirmDone.call(
			this,
			client,
			maybeDone.map((entry) => entry.input),
		);
	} else {
		return outcomes;
	}
	maybeDone.forEach((entry, n) => {
		if (done[n])
			outcomes.set(
				entry.itemIndex,
				settle(() => support.output.call(this, entry.input, undefined, entry.itemIndex)),
			);
	});
	return outcomes;
}
