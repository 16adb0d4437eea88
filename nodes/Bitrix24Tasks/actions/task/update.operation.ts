import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { idempotencyKeyField, userIdempotencyKey } from '../../helpers/idempotencyKey';
import { forEachItem, withIdempotencyKey } from '../batch';
import { optionsCollection } from '../common.description';
import type { OperationRun } from '../node.type';
import type { Bitrix24Client } from '../../transport';
import { confirmed, setCustomFields, taskIdField } from './common';
import { customFieldsCollection, taskUpdateFields } from './fields.description';
import { getCall } from './get.operation';
import { buildTaskFields, customFieldValues, taskIdParam } from './taskFields';

const properties: INodeProperties[] = [
	taskIdField('The task to change (its task ID, e.g. 51)'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: taskUpdateFields(),
	},
	customFieldsCollection,
	optionsCollection([idempotencyKeyField]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['update'] } },
	properties,
);

export interface UpdateTaskInput {
	id: number;
	fields: IDataObject;
	customFields: IDataObject;
	idempotencyKey?: string;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): UpdateTaskInput {
	const id = taskIdParam(this, itemIndex);
	const fields = buildTaskFields(
		this,
		this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject,
		itemIndex,
	);
	const customFields = customFieldValues(this, itemIndex);
	if (Object.keys(fields).length + Object.keys(customFields).length === 0) {
		throw new NodeOperationError(
			this.getNode(),
			`Invalid Update Fields in item ${itemIndex}: no field to change`,
			{ itemIndex, description: 'Add at least one field under "Update Fields".' },
		);
	}
	return {
		id,
		fields,
		customFields,
		idempotencyKey: userIdempotencyKey(this, itemIndex, 'task.update'),
	};
}

/**
 * One `tasks.task.update` per item, then `tasks.task.get`: the update answers only `true`, and the
 * output is the task as the portal now holds it. Never batched, so every item gets its own answer.
 */
export async function execute(
	this: IExecuteFunctions,
	run: OperationRun<UpdateTaskInput>,
): Promise<void> {
	await forEachItem(run, run.items, async (client, { input, itemIndex }) => {
		if (Object.keys(input.fields).length) await updateV3(this, client, input, itemIndex);
		const custom = await setCustomFields(client, input.id, input.customFields, itemIndex);
		const read = await client.call(getCall.request({ id: input.id }), itemIndex);
		const [task] = getCall.output.call(this, { id: input.id }, read.result, itemIndex);
		return [{ ...task, ...custom }];
	});
}

async function updateV3(
	ctx: IExecuteFunctions,
	client: Bitrix24Client,
	input: UpdateTaskInput,
	itemIndex: number,
): Promise<void> {
	const { result } = await client.call(
		withIdempotencyKey(
			client,
			{
				api: 'v3',
				method: 'tasks.task.update',
				body: { id: input.id, fields: input.fields },
				write: true,
				idempotencyKey: input.idempotencyKey,
			},
			itemIndex,
		),
		itemIndex,
	);
	if (!confirmed(result)) throw unconfirmed(ctx, 'tasks.task.update', itemIndex);
}

/** The portal answered without confirming the change: the item is not reported done. */
export function unconfirmed(ctx: IExecuteFunctions, method: string, itemIndex: number): Error {
	const error = new NodeApiError(
		ctx.getNode(),
		{ bitrixCode: 'ERROR_UNEXPECTED_ANSWER', message: `${method} did not confirm` },
		{
			message: `Bitrix24 did not confirm ${method}`,
			description:
				'The portal answered without "result": true, so the change is not reported done. Check the task in Bitrix24.',
			itemIndex,
		},
	);
	error.context.errorCode = 'ERROR_UNEXPECTED_ANSWER';
	return error;
}
