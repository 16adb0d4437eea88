import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { idempotencyKeyField, userIdempotencyKey } from '../../helpers/idempotencyKey';
import type { ApiCall } from '../../transport';
import { forEachItem, withIdempotencyKey } from '../batch';
import { optionsCollection } from '../common.description';
import type { OperationRun } from '../node.type';
import { callerUserId, setCustomFields } from './common';
import {
	commonTaskFields,
	customFieldsCollection,
	taskAdditionalFields,
} from './fields.description';
import { buildTaskFields, customFieldValues } from './taskFields';
import { v3TaskOutput } from './taskItem';

const properties: INodeProperties[] = [
	...commonTaskFields,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: taskAdditionalFields(['creatorId', 'status']),
	},
	customFieldsCollection,
	optionsCollection([idempotencyKeyField]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['create'] } },
	properties,
);

export interface CreateTaskInput {
	fields: IDataObject;
	customFields: IDataObject;
	idempotencyKey?: string;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): CreateTaskInput {
	const values: IDataObject = {
		title: this.getNodeParameter('title', itemIndex),
		responsibleId: this.getNodeParameter('responsibleId', itemIndex, ''),
		deadline: this.getNodeParameter('deadline', itemIndex, ''),
		priority: this.getNodeParameter('priority', itemIndex, 'average'),
		groupId: this.getNodeParameter('groupId', itemIndex, ''),
		description: this.getNodeParameter('description', itemIndex, ''),
		...(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
	};
	if (values.description === '') delete values.description;
	return {
		fields: buildTaskFields(this, values, itemIndex),
		customFields: customFieldValues(this, itemIndex),
		idempotencyKey: userIdempotencyKey(this, itemIndex, 'task.create'),
	};
}

/**
 * One `tasks.task.add` per item, never batched: a create the batch already did cannot be recognised,
 * and sending it again would duplicate it. Bitrix24 needs the creator and the responsible person;
 * both default to the credential's user.
 */
export async function execute(
	this: IExecuteFunctions,
	run: OperationRun<CreateTaskInput>,
): Promise<void> {
	const needsCaller = run.items.filter(
		({ input }) => input.fields.creatorId === undefined || input.fields.responsibleId === undefined,
	);
	if (needsCaller.length) {
		const me = await callerUserId(await run.client(), needsCaller[0].itemIndex);
		for (const { input } of needsCaller) {
			input.fields.creatorId ??= me;
			input.fields.responsibleId ??= me;
		}
	}
	await forEachItem(run, run.items, async (client, { input, itemIndex }) => {
		const call: ApiCall = {
			api: 'v3',
			method: 'tasks.task.add',
			body: { fields: input.fields },
			write: true,
			idempotencyKey: input.idempotencyKey,
		};
		const { result } = await client.call(withIdempotencyKey(client, call, itemIndex), itemIndex);
		const task = v3TaskOutput((result as IDataObject | null)?.item, {
			groupId: 0,
			...input.fields,
		});
		const custom = await setCustomFields(client, Number(task.id), input.customFields, itemIndex);
		return [{ ...task, ...custom }];
	});
}
