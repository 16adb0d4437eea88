import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { parseId } from '../../helpers/validate';
import type { ApiCall, Bitrix24Client } from '../../transport';
import { runSingle } from '../batch';
import { batchRequestsField, optionsCollection } from '../common.description';
import type { BatchSupport, FailedItem } from '../node.type';
import { resultIdField } from './fields';
import { absentResults } from './resultPresence';

const properties: INodeProperties[] = [
	{
		...resultIdField,
		description:
			"ID of the task result to delete: the result's own ID (e.g. 17), not the task's ID. Deleting is permanent. Only the author of a result can delete it.",
	},
	optionsCollection([
		batchRequestsField,
		{
			displayName: 'Ignore Already Deleted',
			name: 'ignoreAlreadyDeleted',
			type: 'boolean',
			default: false,
			description:
				'Whether to report success when the result no longer exists. Bitrix24 answers "access denied" both for a result that is gone and for one you may not delete, so the node then checks the task’s results (one extra request per task); needs Task ID. A real permission problem still fails.',
		},
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

export const description = updateDisplayOptions(
	{ show: { resource: ['taskResult'], operation: ['delete'] } },
	properties,
);

export interface DeleteInput {
	id: number;
	taskId?: number;
	ignoreAlreadyDeleted: boolean;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): DeleteInput {
	const node = this.getNode();
	const id = parseId(node, this.getNodeParameter('resultId', itemIndex), 'Result ID', itemIndex);
	// one read of the collection: each read of an expression parameter costs n8n a data proxy
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const ignoreAlreadyDeleted = options.ignoreAlreadyDeleted === true;
	const rawTaskId = options.taskId as unknown;
	const hasTaskId = !(rawTaskId === '' || rawTaskId === undefined || rawTaskId === null);
	if (ignoreAlreadyDeleted && !hasTaskId) {
		throw new NodeOperationError(node, `Invalid Task ID in item ${itemIndex}: it is empty`, {
			itemIndex,
			description:
				'"Ignore Already Deleted" needs the Task ID of the result, to check that the result is really gone.',
		});
	}
	return {
		id,
		ignoreAlreadyDeleted,
		...(hasTaskId ? { taskId: parseId(node, rawTaskId, 'Task ID', itemIndex) } : {}),
	};
}

const ACCESS_DENIED = 'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION';

export const batch: BatchSupport<DeleteInput> = {
	request: (input): ApiCall => ({
		api: 'v3',
		method: 'tasks.task.result.delete',
		body: { id: input.id },
		write: true,
	}),
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

/** "Ignore Already Deleted": an access-denied delete of a result that is not on its task any more succeeded earlier. */
export async function recoverFailures(
	this: IExecuteFunctions,
	client: Bitrix24Client,
	failed: Array<FailedItem<DeleteInput>>,
): Promise<Map<number, IDataObject[]>> {
	const candidates = failed.filter(
		({ input, error }) =>
			input.ignoreAlreadyDeleted &&
			input.taskId !== undefined &&
			(error as { context?: IDataObject }).context?.errorCode === ACCESS_DENIED,
	);
	const recovered = new Map<number, IDataObject[]>();
	if (!candidates.length) return recovered;
	const absent = await absentResults(
		client,
		candidates.map(({ input }) => input as Required<DeleteInput>),
	);
	for (const { itemIndex, input } of candidates) {
		if (absent.has(input.id))
			recovered.set(itemIndex, [{ id: input.id, deleted: true, alreadyDeleted: true }]);
	}
	return recovered;
}
