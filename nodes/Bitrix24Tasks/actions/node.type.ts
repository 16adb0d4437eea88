import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	NodeExecutionHint,
} from 'n8n-workflow';

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
	/** the portal showed the item's change still to do before the node sent anything (see `BatchSupport.pending`) */
	pendingBefore: boolean;
}

/** An operation that is one REST 3.0 call per item: the call, and the item's output from its `result`. */
export interface SingleCall<Input> {
	/** the item's REST 3.0 call, without Idempotency-Key (added per item for writes) */
	request(input: Input): ApiCall;
	output(this: IExecuteFunctions, input: Input, result: unknown, itemIndex: number): IDataObject[];
}

/**
 * How an operation's items go into a REST 3.0 batch. The portal runs a batch's commands in order and
 * stops at the first failing one: the ones before it stay done, the answer is that command's error
 * alone. Which items a stopped batch did is learnt from `pending`; without it, every item of a stopped
 * batch is sent again on its own (for operations where repeating a command is harmless).
 */
export interface BatchSupport<Input> extends SingleCall<Input> {
	/** whether this item may go into a batch (default: yes) */
	batchable?(input: Input): boolean;
	/**
	 * Reads from the portal whether each item's change is still to do: `true` yes, `false` no (nothing
	 * left to do), `undefined` unknown. Asked before the first batch — only items found `true` are
	 * batched, the others are sent alone for their own answer — and after a stopped batch, where an
	 * item that was `true` and is now `false` was done.
	 */
	pending?(
		this: IExecuteFunctions,
		client: Bitrix24Client,
		inputs: Input[],
	): Promise<Array<boolean | undefined>>;
	/** The output of an item `pending` found `false` before anything was sent; undefined: send it alone. */
	outputWhenNotPending?(input: Input): IDataObject[] | undefined;
	/** A hint for the output pane when many items had to go one request each (not batchable, or batching off). */
	oneByOneHint?(inputs: Input[], batchingOn: boolean): NodeExecutionHint | undefined;
}
