import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../node.type';
import { apiVersionField, withApiVersion } from './apiVersion';
import { createFromCommentClassic } from './classic/createFromComment';
import { deleteClassic } from './classic/delete';
import { getAllClassic } from './classic/getAll';
import { needsRestV3 } from './classic/needsRestV3';
import * as createV3 from './create.operation';
import * as createFromChatMessageV3 from './createFromChatMessage.operation';
import * as createFromCommentV3 from './createFromComment.operation';
import * as deleteV3 from './delete.operation';
import * as getAllV3 from './getAll.operation';
import * as updateV3 from './update.operation';

// every operation follows API Version: REST 3.0, the classic API, or Auto (apiVersion.ts)
export const create = withApiVersion(createV3 as OperationModule<unknown>, needsRestV3);
export const createFromChatMessage = withApiVersion(
	createFromChatMessageV3 as OperationModule<unknown>,
	needsRestV3,
);
export const createFromComment = withApiVersion(createFromCommentV3, createFromCommentClassic);
export const deleteResult = withApiVersion(deleteV3, deleteClassic);
export const getAll = withApiVersion(getAllV3, getAllClassic);
export const update = withApiVersion(updateV3 as OperationModule<unknown>, needsRestV3);

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['taskResult'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Add a result (an outcome note) to a task',
				action: 'Create a task result',
			},
			{
				name: 'Create From Chat Message',
				value: 'createFromChatMessage',
				description: "Turn a message of the task's chat into a task result",
				action: 'Create a task result from a chat message',
			},
			{
				name: 'Create From Comment',
				value: 'createFromComment',
				description:
					'Turn a comment of an old-card task into a task result (classic API: portals without REST 3.0 task results)',
				action: 'Create a task result from a comment',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Permanently delete a task result; only its author can',
				action: 'Delete a task result',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the results written on a task',
				action: 'Get many task results',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Replace the text of a task result; only its author can',
				action: 'Update a task result',
			},
		],
		default: 'delete',
	},
	apiVersionField,
	...create.description,
	...createFromChatMessage.description,
	...createFromComment.description,
	...deleteResult.description,
	...getAll.description,
	...update.description,
];
