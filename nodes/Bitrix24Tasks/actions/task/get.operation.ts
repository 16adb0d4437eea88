import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { oneCallPerItem } from '../batch';
import { optionsCollection } from '../common.description';
import type { SingleCall } from '../node.type';
import { taskIdField } from './common';
import { taskIdParam } from './taskFields';
import { RELATION_ID_SELECT, v3TaskOutput } from './taskItem';

const properties: INodeProperties[] = [
	taskIdField('The task to read (its task ID, e.g. 51)'),
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['get'] } },
	properties,
);

export interface GetTaskInput {
	id: number;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): GetTaskInput {
	return { id: taskIdParam(this, itemIndex) };
}

/** `tasks.task.get` with its default fields plus the relation IDs it does not emit flat (reference §3.3). */
export const getCall: SingleCall<GetTaskInput> = {
	request: (input) => ({
		api: 'v3',
		method: 'tasks.task.get',
		body: { id: input.id, select: RELATION_ID_SELECT },
	}),
	output: (_input, result) => [v3TaskOutput((result as IDataObject | null)?.item)],
};

export const execute = oneCallPerItem(getCall);
