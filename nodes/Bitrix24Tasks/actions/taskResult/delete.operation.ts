import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { parseId } from '../../helpers/validate';
import type { ApiCall, Bitrix24Client } from '../../transport';
import { runSingle } from '../batch';
import { batchRequestsField, optionsCollection } from '../common.description';
import type { BatchSupport } from '../node.type';
import { absentResults } from './resultPresence';

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
	optionsCollection([
		batchRequestsField,
		{
			displayName: 'Task ID',
			name: 'taskId',
			type: 'string',
			default: '',
			placeholder: 'e.g. {{ $json.taskId }}',
			description:
				'The task the result belongs to. Optional, but it lets the node batch deletes and still report every item exactly: when Bitrix24 stops a batch, the node checks the task\u2019s results to see which were deleted.',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['taskResult'], operation: ['delete'] } }, properties);

export interface DeleteInput {
	id: number;
	taskId?: number;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): DeleteInput {
	const node = this.getNode();
	const id = parseId(node, this.getNodeParameter('resultId', itemIndex), 'Result ID', itemIndex);
	const taskId = this.getNodeParameter('options.taskId', itemIndex, '') as unknown;
	if (taskId === '' || taskId === undefined || taskId === null) return { id };
	return { id, taskId: parseId(node, taskId, 'Task ID', itemIndex) };
}

const ACCESS_DENIED = 'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION';

export const batch: BatchSupport<DeleteInput> = {
	request: (input): ApiCall => ({ api: 'v3', method: 'tasks.task.result.delete', body: { id: input.id }, write: true }),
	output: (input) => [{ id: input.id, deleted: true }],
	// without the task, a delete the batch did cannot be told from one Bitrix24 refused
	batchable: (input) => input.taskId !== undefined,
	redoneCode: ACCESS_DENIED,
	async confirmDone(client, inputs) {
		const absent = await absentResults(client, inputs as Array<Required<DeleteInput>>);
		return inputs.map((input) => absent.has(input.id));
	},
};

export async function execute(
	this: IExecuteFunctions,
	client: Bitrix24Client,
	input: DeleteInput,
	itemIndex: number,
): Promise<IDataObject[]> {
	return await runSingle.call(this, client, batch, input, itemIndex);
}
