import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { parseId } from '../../helpers/validate';
import type { Bitrix24Client } from '../../transport';
import { optionsCollection } from '../common.description';

const properties: INodeProperties[] = [
	{
		displayName: 'Result ID',
		name: 'resultId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 17',
		description: 'ID of the task result to delete. Only the author of a result can delete it.',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['taskResult'], operation: ['delete'] } }, properties);

export interface DeleteInput {
	id: number;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): DeleteInput {
	return { id: parseId(this.getNode(), this.getNodeParameter('resultId', itemIndex), 'Result ID', itemIndex) };
}

export async function execute(
	this: IExecuteFunctions,
	client: Bitrix24Client,
	input: DeleteInput,
	itemIndex: number,
): Promise<IDataObject[]> {
	await client.call(
		{
			api: 'v3',
			method: 'tasks.task.result.delete',
			body: { id: input.id },
			write: true,
			idempotencyKey: client.idempotencyKey(itemIndex),
		},
		itemIndex,
	);
	return [{ id: input.id, deleted: true }];
}
