import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { idempotencyKeyField, userIdempotencyKey } from '../../helpers/idempotencyKey';
import { parseId } from '../../helpers/validate';
import { oneCallPerItem } from '../batch';
import { optionsCollection } from '../common.description';
import type { SingleCall } from '../node.type';
import { resultItemOutput } from './resultItem';

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
	optionsCollection([idempotencyKeyField]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['taskResult'], operation: ['createFromChatMessage'] } },
	properties,
);

export interface CreateFromChatMessageInput {
	messageId: number;
	/** from the Idempotency Key option: the same on every run of the same input */
	idempotencyKey?: string;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): CreateFromChatMessageInput {
	return {
		messageId: parseId(
			this.getNode(),
			this.getNodeParameter('messageId', itemIndex),
			'Message ID',
			itemIndex,
		),
		idempotencyKey: userIdempotencyKey(this, itemIndex, 'createFromChatMessage'),
	};
}

// never batched: a create the batch already did cannot be recognised, and sending it again duplicates it
export const call: SingleCall<CreateFromChatMessageInput> = {
	request: (input) => ({
		api: 'v3',
		method: 'tasks.task.result.addfromchatmessage',
		body: { fields: { messageId: input.messageId } },
		write: true,
		idempotencyKey: input.idempotencyKey,
	}),
	output: resultItemOutput,
};

export const execute = oneCallPerItem(call);
