import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { oneCallPerItem } from '../batch';
import { optionsCollection } from '../common.description';
import type { SingleCall } from '../node.type';
import { taskIdField } from './common';
import { taskIdParam } from './taskFields';

const properties: INodeProperties[] = [
	taskIdField('The task to check (its task ID, e.g. 51)'),
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['getAccess'] } },
	properties,
);

export interface GetAccessInput {
	id: number;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): GetAccessInput {
	return { id: taskIdParam(this, itemIndex) };
}

const call: SingleCall<GetAccessInput> = {
	request: (input) => ({ api: 'v3', method: 'tasks.task.access.get', body: { id: input.id } }),
	output: (input, result) => [{ id: input.id, ...((result ?? {}) as IDataObject) }],
};

export const execute = oneCallPerItem(call);
