import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { idempotencyKeyField, userIdempotencyKey } from '../../helpers/idempotencyKey';
import { parseText } from '../../helpers/validate';
import { oneCallPerItem } from '../batch';
import { optionsCollection } from '../common.description';
import type { SingleCall } from '../node.type';
import { confirmed, taskIdField } from './common';
import { taskIdParam } from './taskFields';
import { unconfirmed } from './update.operation';

const properties: INodeProperties[] = [
	taskIdField(
		'The task whose chat gets the message (its task ID, e.g. 51). Anyone who can see the task can post.',
	),
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. Reminder: this task is overdue',
		description: "The message, posted in the task's chat as the user behind the credential",
	},
	optionsCollection([idempotencyKeyField]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['sendChatMessage'] } },
	properties,
);

export interface SendChatMessageInput {
	taskId: number;
	text: string;
	idempotencyKey?: string;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): SendChatMessageInput {
	return {
		taskId: taskIdParam(this, itemIndex),
		text: parseText(this.getNode(), this.getNodeParameter('text', itemIndex), 'Text', itemIndex),
		idempotencyKey: userIdempotencyKey(this, itemIndex, 'task.sendChatMessage'),
	};
}

// never batched: a message sent twice is posted twice; Bitrix24 returns no message ID to check
const call: SingleCall<SendChatMessageInput> = {
	request: (input) => ({
		api: 'v3',
		method: 'tasks.task.chat.message.send',
		body: { fields: { taskId: input.taskId, text: input.text } },
		write: true,
		idempotencyKey: input.idempotencyKey,
	}),
	output(input, result, itemIndex) {
		if (!confirmed(result)) throw unconfirmed(this, 'tasks.task.chat.message.send', itemIndex);
		return [{ taskId: input.taskId, text: input.text, sent: true }];
	},
};

export const execute = oneCallPerItem(call);
