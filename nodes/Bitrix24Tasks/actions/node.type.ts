import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ApiCall, Bitrix24Client } from '../transport';

/** One input item of an operation, validated by `prepare`. */
export interface RunItem<Input> {
	itemIndex: number;
	input: Input;
}

/** What the router hands an operation: every valid item, and where each item's outcome goes. */
export interface OperationRun<Input> {
	/** the items that passed `prepare`, in input order */
	items: Array<RunItem<Input>>;
	/** the client of this run (connected on first use) */
	client(): Promise<Bitrix24Client>;
	continueOnFail: boolean;
	/** each item's output JSON, or its error; an item left without one gets the error `execute` throws */
	outcomes: Map<number, IDataObject[] | Error>;
}

/** What every `<operation>.operation.ts` exports. */
export interface OperationModule<Input = unknown> {
	description: INodeProperties[];
	/** reads and validates one item's parameters; runs for every item before any request */
	prepare(this: IExecuteFunctions, itemIndex: number): Input;
	/**
	 * Performs the requests of all items and records each item's outcome. Without Continue On Fail it
	 * stops at the first failed item; an error it throws is the outcome of every item left without one.
	 */
	execute(this: IExecuteFunctions, run: OperationRun<Input>): Promise<void>;
}

/** An operation that is one REST 3.0 call per item: the call, and the item's output from its `result`. */
export interface SingleCall<Input> {
	/** the item's REST 3.0 call; writes without an Idempotency Key get one per item */
	request(input: Input): ApiCall;
	output(this: IExecuteFunctions, input: Input, result: unknown, itemIndex: number): IDataObject[];
}
