import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	NodeExecutionHint,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { MAX_ID, parseId } from '../../helpers/validate';
import type { ApiCall, Bitrix24Client } from '../../transport';
import { MAX_BATCH_COMMANDS, runSingle } from '../batch';
import { batchRequestsField, optionsCollection } from '../common.description';
import type { BatchSupport, FailedItem } from '../node.type';
import { resultIdField } from './fields';
import { resultsOnTask } from './resultPresence';

/** From this many deletes sent one request each, the output pane says why and how to batch them. */
export const ONE_BY_ONE_HINT_FROM = 20;

const properties: INodeProperties[] = [
	{
		...resultIdField,
		description:
			"ID of the task result to delete: the result's own ID (e.g. 17), not the task's ID. Deleting is permanent. Only the author of a result can delete it.",
	},
	{
		displayName: 'Task ID',
		name: 'resultTaskId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 51 or {{ $json.taskId }}',
		description:
			'The task the result belongs to. Empty: taken from the input item when the item is that result (its ID is the Result ID and it has a taskId, as Get Many outputs it). With the task known, the node deletes up to 50 results per request; without it, one request per result. A wrong Task ID never makes a result look deleted: each result is first checked on its task.',
	},
	optionsCollection([
		batchRequestsField,
		{
			displayName: 'Ignore Already Deleted',
			name: 'ignoreAlreadyDeleted',
			type: 'boolean',
			default: false,
			description:
				'Whether to report success when the result is no longer on its task. Bitrix24 answers "access denied" both for a result that is gone and for one you may not delete, so the node checks the task\u2019s results (one request per task); needs the result\u2019s task (Task ID, or an input item that carries it), and that task must be right. A real permission problem still fails.',
		},
		{
			displayName: 'Task ID (Old Location)',
			name: 'taskId',
			type: 'string',
			default: '',
			description:
				'Kept for workflows made before Task ID became a field of its own: use the Task ID field instead. When both are set, the field wins.',
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

const isBlank = (value: unknown) => value === '' || value === undefined || value === null;

/** The task of an input item that is the result itself (`id` = Result ID, plus `taskId`), as Get Many outputs it. */
function taskOfResultItem(json: IDataObject | undefined, resultId: number): number | undefined {
	if (!json || Number(json.id) !== resultId) return undefined;
	const taskId = typeof json.taskId === 'string' ? Number(json.taskId.trim()) : json.taskId;
	return typeof taskId === 'number' && Number.isInteger(taskId) && taskId > 0 && taskId <= MAX_ID
		? taskId
		: undefined;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): DeleteInput {
	const node = this.getNode();
	const id = parseId(node, this.getNodeParameter('resultId', itemIndex), 'Result ID', itemIndex);
	// one read of the collection: each read of an expression parameter costs n8n a data proxy
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const ignoreAlreadyDeleted = options.ignoreAlreadyDeleted === true;
	const field = this.getNodeParameter('resultTaskId', itemIndex, '') as unknown;
	const explicit = isBlank(field) ? options.taskId : field;
	const taskId = isBlank(explicit)
		? taskOfResultItem(this.getInputData()[itemIndex]?.json, id)
		: parseId(node, explicit, 'Task ID', itemIndex);
	if (ignoreAlreadyDeleted && taskId === undefined) {
		throw new NodeOperationError(node, `Invalid Task ID in item ${itemIndex}: it is empty`, {
			itemIndex,
			description:
				'"Ignore Already Deleted" needs the task of the result, to check that the result is really gone: set Task ID, or pass items that carry it (id and taskId, as Get Many outputs them).',
		});
	}
	return { id, ignoreAlreadyDeleted, ...(taskId === undefined ? {} : { taskId }) };
}

const ACCESS_DENIED = 'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION';

const withTask = (inputs: DeleteInput[]) => inputs as Array<Required<DeleteInput>>;

export const batch: BatchSupport<DeleteInput> = {
	request: (input): ApiCall => ({
		api: 'v3',
		method: 'tasks.task.result.delete',
		body: { id: input.id },
		write: true,
	}),
	output: (input) => [{ id: input.id, deleted: true }],
	// a result's presence can only be read from its task's list
	batchable: (input) => input.taskId !== undefined,
	// still to delete = listed on its task; only such results are batched, so a result missing from its
	// task after a stopped batch was deleted by it
	async pending(client, inputs) {
		return await resultsOnTask(client, withTask(inputs));
	},
	// not on its task before anything was sent: gone already (with the option), else sent alone for
	// the portal's own answer
	outputWhenNotPending: (input) =>
		input.ignoreAlreadyDeleted
			? [{ id: input.id, deleted: true, alreadyDeleted: true }]
			: undefined,
	oneByOneHint(inputs, batchingOn): NodeExecutionHint | undefined {
		const alone = batchingOn ? inputs.filter((input) => input.taskId === undefined) : inputs;
		if (alone.length < ONE_BY_ONE_HINT_FROM) return undefined;
		const why = batchingOn
			? 'their task is unknown (Task ID is empty and the input items do not carry id and taskId)'
			: '"Batch Requests" is off';
		const fix = batchingOn
			? `set Task ID (e.g. {{ $json.taskId }}) to delete up to ${MAX_BATCH_COMMANDS} per request`
			: `turn "Batch Requests" on and set Task ID to delete up to ${MAX_BATCH_COMMANDS} per request`;
		return {
			message: `${alone.length} results were deleted one request each, because ${why}: ${fix}.`,
			type: 'info',
			location: 'outputPane',
		};
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

function markMayHaveRun(error: Error): void {
	const context = (error as { context?: IDataObject }).context;
	if (context) context.mayHaveRun = true;
}

/**
 * A second look at deletes that failed, on the result's task: a result that was on its task before
 * the node sent anything and is not there now is deleted (whoever deleted it); with "Ignore Already
 * Deleted", a result the portal refused as "access denied" and that is not on its task is already gone.
 * When that check fails for a result that was there before, its error says it may have been deleted.
 */
export async function recoverFailures(
	this: IExecuteFunctions,
	client: Bitrix24Client,
	failed: Array<FailedItem<DeleteInput>>,
): Promise<Map<number, IDataObject[]>> {
	const candidates = failed.filter(
		({ input, error, pendingBefore }) =>
			input.taskId !== undefined &&
			(pendingBefore ||
				(input.ignoreAlreadyDeleted &&
					(error as { context?: IDataObject }).context?.errorCode === ACCESS_DENIED)),
	);
	const recovered = new Map<number, IDataObject[]>();
	if (!candidates.length) return recovered;
	const onTask = await resultsOnTask(client, withTask(candidates.map(({ input }) => input)));
	candidates.forEach(({ itemIndex, input, pendingBefore, error }, n) => {
		// it was there before the node acted, and whether it is now could not be read: it may be deleted
		if (onTask[n] === undefined && pendingBefore) markMayHaveRun(error);
		if (onTask[n] !== false) return;
		recovered.set(
			itemIndex,
			pendingBefore
				? [{ id: input.id, deleted: true }]
				: [{ id: input.id, deleted: true, alreadyDeleted: true }],
		);
	});
	return recovered;
}
