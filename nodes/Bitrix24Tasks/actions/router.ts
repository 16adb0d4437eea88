import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { Bitrix24Client, type AuthenticationType } from '../transport';
import { runInBatches, type BatchRun, type ItemOutcome } from './batch';
import { batchingEnabled, transportOptions } from './common.description';
import type { FailedItem, OperationModule } from './node.type';
import * as taskResult from './taskResult';

const operations: Record<string, Record<string, OperationModule<unknown>>> = {
	taskResult: {
		create: taskResult.create,
		createFromChatMessage: taskResult.createFromChatMessage,
		delete: taskResult.deleteResult,
		getAll: taskResult.getAll,
		update: taskResult.update,
	},
};

/**
 * The `{ error, code, httpCode }` item a failed input item becomes under "Continue On Fail", plus
 * `mayHaveRun: true` when an earlier attempt of the write reached the portal without an answer.
 */
function errorJson(error: Error): IDataObject {
	const context = (error as NodeApiError).context ?? {};
	const httpCode = Number((error as NodeApiError).httpCode ?? context.httpCode);
	const json: IDataObject = {
		error: error.message,
		code:
			(context.errorCode as string | undefined) ??
			(error instanceof NodeOperationError ? 'INVALID_INPUT' : null),
		httpCode: Number.isFinite(httpCode) && httpCode > 0 ? httpCode : null,
	};
	if (context.mayHaveRun === true) json.mayHaveRun = true;
	return json;
}

function withItemIndex(this: IExecuteFunctions, error: Error, itemIndex: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(this.getNode(), error, { itemIndex });
}

/** Owns the item loop: validation of every item first, then requests, pairing and Continue On Fail. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const op = operations[resource]?.[operation];
	if (!op) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not supported for "${resource}"`,
		);
	}

	const prepared: Array<{ input?: unknown; error?: Error }> = [];
	for (let i = 0; i < items.length; i++) {
		try {
			prepared.push({ input: op.prepare.call(this, i) });
		} catch (error) {
			if (!this.continueOnFail()) throw withItemIndex.call(this, error as Error, i);
			prepared.push({ error: error as Error });
		}
	}

	let client: Bitrix24Client | undefined;
	const connect = async () =>
		(client ??= await Bitrix24Client.connect(
			this,
			this.getNodeParameter('authentication', 0, 'webhook') as AuthenticationType,
			transportOptions(this),
		));

	let batchRun: BatchRun = { outcomes: new Map(), pendingBefore: new Set() };
	const support = op.batch;
	const batchingOn = batchingEnabled(this);
	if (support) {
		const valid = prepared.flatMap(({ input, error }, itemIndex) =>
			error ? [] : [{ itemIndex, input }],
		);
		const entries = batchingOn
			? valid.filter(({ input }) => support.batchable?.(input) ?? true)
			: [];
		if (entries.length > 1)
			batchRun = await runInBatches.call(this, await connect(), support, entries);
		const inBatches = new Set(entries.map((entry) => entry.itemIndex));
		const alone = valid.filter(({ itemIndex }) => !inBatches.has(itemIndex));
		const hint = support.oneByOneHint?.(
			alone.map(({ input }) => input),
			batchingOn,
		);
		// execution hints (the output pane) exist in every n8n this node supports; guarded all the same
		if (hint && typeof this.addExecutionHints === 'function') this.addExecutionHints(hint);
	}
	const batched = batchRun.outcomes;

	const recover = async (failed: Array<Omit<FailedItem<unknown>, 'pendingBefore'>>) =>
		op.recoverFailures && client && failed.length
			? await op.recoverFailures.call(
					this,
					client,
					failed.map((item) => ({
						...item,
						pendingBefore: batchRun.pendingBefore.has(item.itemIndex),
					})),
				)
			: new Map<number, IDataObject[]>();
	const failedInBatches = [...batched].flatMap(([itemIndex, outcome]) =>
		outcome instanceof Error
			? [{ itemIndex, input: prepared[itemIndex].input, error: outcome }]
			: [],
	);
	for (const [itemIndex, recovered] of await recover(failedInBatches))
		batched.set(itemIndex, recovered);

	const outcomes = new Map<number, ItemOutcome>();
	for (let i = 0; i < items.length; i++) {
		const { input, error: inputError } = prepared[i];
		if (inputError) continue;
		let outcome = batched.get(i);
		if (!outcome) {
			try {
				outcome = await op.execute.call(this, await connect(), input, i);
			} catch (error) {
				outcome =
					(await recover([{ itemIndex: i, input, error: error as Error }])).get(i) ??
					(error as Error);
			}
		}
		outcomes.set(i, outcome);
		// without Continue On Fail the node stops at the first failed item: later items are not sent
		if (outcome instanceof Error && !this.continueOnFail()) break;
	}

	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const outcome = prepared[i].error ?? outcomes.get(i);
		if (!outcome) break;
		if (!(outcome instanceof Error)) {
			for (const json of outcome) out.push({ json, pairedItem: { item: i } });
			continue;
		}
		if (!this.continueOnFail()) throw withItemIndex.call(this, outcome, i);
		// n8n moves an item to the error output only when it carries `error` (and then keeps only the
		// message in its JSON); on the regular output the item keeps `{ error, code, httpCode }`
		out.push(
			this.getNode().onError === 'continueErrorOutput'
				? {
						json: errorJson(outcome),
						error: withItemIndex.call(this, outcome, i) as NodeApiError,
						pairedItem: { item: i },
					}
				: { json: errorJson(outcome), pairedItem: { item: i } },
		);
	}
	return [out];
}
