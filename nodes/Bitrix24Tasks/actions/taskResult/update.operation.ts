import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { idempotencyKeyField, userIdempotencyKey } from '../../helpers/idempotencyKey';
import { parseId, parseText } from '../../helpers/validate';
import type { Bitrix24Client } from '../../transport';
import { runSingle } from '../batch';
import { batchRequestsField, optionsCollection } from '../common.description';
import type { BatchSupport } from '../node.type';
import { resultIdField, textField } from './fields';
import { resultItemOutput } from './resultItem';

const properties: INodeProperties[] = [
	{
		...resultIdField,
		description:
			"ID of the task result to change: the result's own ID (e.g. 17), not the task's ID. Only the author of a result can change it.",
	},
	{
		...textField,
		placeholder: 'e.g. Report sent and confirmed by the client',
		description: 'New text of the result; it replaces the old text',
	},
	optionsCollection([batchRequestsField, idempotencyKeyField]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['taskResult'], operation: ['update'] } },
	properties,
);

export interface UpdateInput {
	id: number;
	text: string;
	/** from the Idempotency Key option: the same on every run of the same input */
	idempotencyKey?: string;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): UpdateInput {
	const node = this.getNode();
	return {
		id: parseId(node, this.getNodeParameter('resultId', itemIndex), 'Result ID', itemIndex),
		text: parseText(node, this.getNodeParameter('text', itemIndex), 'Text', itemIndex),
		idempotencyKey: userIdempotencyKey(this, itemIndex, 'update'),
	};
}

// sending an update again sets the same text, so a stopped batch is recovered by sending each item again
export const batch: BatchSupport<UpdateInput> = {
	request: (input) => ({
		api: 'v3',
		method: 'tasks.task.result.update',
		body: { id: input.id, fields: { text: input.text } },
		write: true,
		idempotencyKey: input.idempotencyKey,
	}),
	output: resultItemOutput,
};

export async function execute(
	this: IExecuteFunctions,
	client: Bitrix24Client,
	input: UpdateInput,
	itemIndex: number,
): Promise<IDataObject[]> {
	return await runSingle.call(this, client, batch, input, itemIndex);
}
