import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { idempotencyKeyField, userIdempotencyKey } from '../../helpers/idempotencyKey';
import { oneCallPerItem } from '../batch';
import { optionsCollection } from '../common.description';
import type { SingleCall } from '../node.type';
import { confirmed, taskIdField } from './common';
import { taskIdParam } from './taskFields';
import { unconfirmed } from './update.operation';

const properties: INodeProperties[] = [
	taskIdField(
		'The task to delete (its task ID, e.g. 51). Bitrix24 moves it to the recycle bin; only users with the right to delete it can.',
	),
	optionsCollection([idempotencyKeyField]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['delete'] } },
	properties,
);

export interface DeleteTaskInput {
	id: number;
	idempotencyKey?: string;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): DeleteTaskInput {
	return {
		id: taskIdParam(this, itemIndex),
		idempotencyKey: userIdempotencyKey(this, itemIndex, 'task.delete'),
	};
}

// never batched: a repeated delete is refused by the portal, so only an Idempotency-Key replay is exact
const call: SingleCall<DeleteTaskInput> = {
	request: (input) => ({
		api: 'v3',
		method: 'tasks.task.delete',
		body: { id: input.id },
		write: true,
		idempotencyKey: input.idempotencyKey,
	}),
	output(input, result, itemIndex) {
		if (!confirmed(result)) throw unconfirmed(this, 'tasks.task.delete', itemIndex);
		return [{ id: input.id, deleted: true }];
	},
};

export const execute = oneCallPerItem(call);
