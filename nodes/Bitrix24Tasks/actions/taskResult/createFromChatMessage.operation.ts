import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { parseId } from '../../helpers/validate';
import type { Bitrix24Client } from '../../transport';
import { optionsCollection } from '../common.description';
import { resultItem } from './resultItem';

const properties: INodeProperties[] = [
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 335',
		description:
			"ID of a message in the task's chat. The message becomes the result of that task (new task card with chat only).",
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['taskResult'], operation: ['createFromChatMessage'] } },
	properties,
);

export interface CreateFromChatMessageInput {
	messageId: number;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): CreateFromChatMessageInput {
	return { messageId: parseId(this.getNode(), this.getNodeParameter('messageId', itemIndex), 'Message ID', itemIndex) };
}

export async function execute(
	this: IExecuteFunctions,
	client: Bitrix24Client,
	input: CreateFromChatMessageInput,
	itemIndex: number,
): Promise<IDataObject[]> {
	const { result } = await client.call(
		{
			api: 'v3',
			method: 'tasks.task.result.addfromchatmessage',
			body: { fields: { messageId: input.messageId } },
			write: true,
			idempotencyKey: client.idempotencyKey(itemIndex),
		},
		itemIndex,
	);
	return [resultItem(this.getNode(), result, itemIndex)];
}
