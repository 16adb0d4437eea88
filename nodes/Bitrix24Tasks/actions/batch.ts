import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ApiCall, Bitrix24Client, CallOutcome } from '../transport';
import type { OperationRun, RunItem, SingleCall } from './node.type';

/** REST 3.0 batch limit the official SDK enforces; the server's own cap is not documented. */
export const MAX_BATCH_COMMANDS = 50;

/** The item's call with its Idempotency-Key: the same for every retry of this item in this run. */
export function withIdempotencyKey(
	client: Bitrix24Client,
	call: ApiCall,
	itemIndex: number,
): ApiCall {
	return call.write
		? { ...call, idempotencyKey: call.idempotencyKey ?? client.idempotencyKey(itemIndex) }
		: call;
}

/** Sends one item on its own. */
export async function runSingle<Input>(
	this: IExecuteFunctions,
	client: Bitrix24Client,
	support: SingleCall<Input>,
	input: Input,
	itemIndex: number,
): Promise<IDataObject[]> {
	const call = withIdempotencyKey(client, support.request(input), itemIndex);
	const { result } = await client.call(call, itemIndex);
	return support.output.call(this, input, result, itemIndex);
}

/**
 * Sends the calls as one REST 3.0 batch. The portal runs the commands in order and stops at the first
 * failing one without rolling back the earlier ones; its answer is then that command's error alone.
 * `results` is there only when every command answered.
 */
export async function sendBatch(
	client: Bitrix24Client,
	calls: ApiCall[],
	itemIndex: number,
): Promise<{ results?: unknown[]; outcome: CallOutcome }> {
	const outcome = await client.tryCall(
		{
			api: 'v3',
			method: 'batch',
			body: calls.map((call) => ({ method: call.method, query: call.body ?? {} })),
			write: calls.some((call) => call.write),
		},
		itemIndex,
	);
	const results =
		outcome.ok && Array.isArray(outcome.result) && outcome.result.length === calls.length
			? outcome.result
			: undefined;
	return { results, outcome };
}

/** Runs the items one by one; without Continue On Fail it stops at the first failed item. */
export async function forEachItem<Input>(
	run: OperationRun<Input>,
	items: Array<RunItem<Input>>,
	perform: (client: Bitrix24Client, item: RunItem<Input>) => Promise<IDataObject[]>,
): Promise<void> {
	for (const item of items) {
		try {
			run.outcomes.set(item.itemIndex, await perform(await run.client(), item));
		} catch (error) {
			run.outcomes.set(item.itemIndex, error as Error);
			if (!run.continueOnFail) return;
		}
	}
}

/** The `execute` of an operation that is one call per item, sent one by one. */
export function oneCallPerItem<Input>(call: SingleCall<Input>) {
	return async function execute(this: IExecuteFunctions, run: OperationRun<Input>): Promise<void> {
		await forEachItem(
			run,
			run.items,
			async (client, { input, itemIndex }) =>
				await runSingle.call(this, client, call, input, itemIndex),
		);
	};
}
