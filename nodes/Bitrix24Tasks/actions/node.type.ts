import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ApiCall, Bitrix24Client } from '../transport';

/** What every `<operation>.operation.ts` exports. */
export interface OperationModule<Input = unknown> {
	description: INodeProperties[];
	/** reads and validates one item's parameters; runs for every item before any request */
	prepare(this: IExecuteFunctions, itemIndex: number): Input;
	/** performs the item's request(s); returns the item's output JSON (one entry per output item) */
	execute(
		this: IExecuteFunctions,
		client: Bitrix24Client,
		input: Input,
		itemIndex: number,
	): Promise<IDataObject[]>;
	/** present when items of this operation may travel in REST 3.0 batches */
	batch?: BatchSupport<Input>;
	/** a second look at items that failed (batched or not): returns the outputs of those that did not really fail */
	recoverFailures?(
		this: IExecuteFunctions,
		client: Bitrix24Client,
		failed: Array<FailedItem<Input>>,
	): Promise<Map<number, IDataObject[]>>;
}

export interface FailedItem<Input> {
	itemIndex: number;
	input: Input;
	error: Error;
}

/** An operation that is one REST 3.0 call per item: the call, and the item's output from its `result`. */
export interface SingleCall<Input> {
	/** the item's REST 3.0 call, without Idempotency-Key (added per item for writes) */
	request(input: Input): ApiCall;
	output(this: IExecuteFunctions, input: Input, result: unknown, itemIndex: number): IDataObject[];
}

/**
 * How an operation's items go into a REST 3.0 batch, and how their outcomes are recovered when the
 * portal stops the batch at a failing command (it then returns only that command's error).
 */
export interface BatchSupport<Input> extends SingleCall<Input> {
	/** whether this item may go into a batch (default: yes) */
	batchable?(input: Input): boolean;
	/**
	 * The error code a command answers when it is sent again after the batch already did it
	 * (Delete: access denied, as the result is gone). Absent when repeating a command is harmless.
	 */
	redoneCode?: string;
	/** For items the batch may have done: which are really done (checked against the portal). */
	confirmDone?(
		this: IExecuteFunctions,
		client: Bitrix24Client,
		inputs: Input[],
	): Promise<boolean[]>;
}
