import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as createFromChatMessage from './createFromChatMessage.operation';
import * as deleteResult from './delete.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { create, createFromChatMessage, deleteResult, getAll, update };

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
	...create.description,
	...createFromChatMessage.description,
	...deleteResult.description,
	...getAll.description,
	...update.description,
];
