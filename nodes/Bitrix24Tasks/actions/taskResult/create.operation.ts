import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { idempotencyKeyField, userIdempotencyKey } from '../../helpers/idempotencyKey';
import { parseTaskId } from '../../helpers/taskLocator';
import { parseText } from '../../helpers/validate';
import { oneCallPerItem } from '../batch';
import { optionsCollection } from '../common.description';
import type { SingleCall } from '../node.type';
import { taskLocator } from '../taskLocator.description';
import { textField } from './fields';
import { resultItemOutput } from './resultItem';

const properties: INodeProperties[] = [
	{ ...taskLocator, description: 'The task to add the result to (its task ID, e.g. 51)' },
	{
		...textField,
		placeholder: 'e.g. Report sent to the client',
		description: 'Text of the result',
	},
	optionsCollection([idempotencyKeyField]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['taskResult'], operation: ['create'] } },
	properties,
);

export interface CreateInput {
	taskId: number;
	text: string;
	/** from the Idempotency Key option: the same on every run of the same input */
	idempotencyKey?: string;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): CreateInput {
	const node = this.getNode();
	return {
		taskId: parseTaskId(node, this.getNodeParameter('taskId', itemIndex), itemIndex),
		text: parseText(node, this.getNodeParameter('text', itemIndex), 'Text', itemIndex),
		idempotencyKey: userIdempotencyKey(this, itemIndex, 'create'),
	};
}

// never batched: a create the batch already did cannot be recognised, and sending it again duplicates it
export const call: SingleCall<CreateInput> = {
	request: (input) => ({
		api: 'v3',
		method: 'tasks.task.result.add',
		body: { fields: { taskId: input.taskId, text: input.text } },
		write: true,
		idempotencyKey: input.idempotencyKey,
	}),
	output: resultItemOutput,
};

export const execute = oneCallPerItem(call);
