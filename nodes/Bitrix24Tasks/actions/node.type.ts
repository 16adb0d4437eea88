import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Bitrix24Client } from '../transport';

/** What every `<operation>.operation.ts` exports. */
export interface OperationModule<Input = unknown> {
	description: INodeProperties[];
	/** reads and validates one item's parameters; runs for every item before any request */
	prepare(this: IExecuteFunctions, itemIndex: number): Input;
	/** performs the item's request(s); returns the item's output JSON (one entry per output item) */
	execute(this: IExecuteFunctions, client: Bitrix24Client, input: Input, itemIndex: number): Promise<IDataObject[]>;
}
