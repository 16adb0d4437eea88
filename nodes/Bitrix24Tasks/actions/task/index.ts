import type { INodeProperties } from 'n8n-workflow';

import * as attachFiles from './attachFiles.operation';
import * as create from './create.operation';
import * as deleteTask from './delete.operation';
import * as get from './get.operation';
import * as getAccess from './getAccess.operation';
import * as getAll from './getAll.operation';
import * as sendChatMessage from './sendChatMessage.operation';
import * as update from './update.operation';

export { attachFiles, create, deleteTask, get, getAccess, getAll, sendChatMessage, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['task'] } },
		options: [
			{
				name: 'Attach Files',
				value: 'attachFiles',
				description: 'Attach Bitrix24 Drive files to a task',
				action: 'Attach files to a task',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create a task',
				action: 'Create a task',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a task (Bitrix24 moves it to the recycle bin)',
				action: 'Delete a task',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a task by ID',
				action: 'Get a task',
			},
			{
				name: 'Get Access Rights',
				value: 'getAccess',
				description: 'What the user behind the credential may do with a task',
				action: 'Get access rights for a task',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					'List tasks, optionally filtered by responsible person, status, deadline or workgroup',
				action: 'Get many tasks',
			},
			{
				name: 'Send Chat Message',
				value: 'sendChatMessage',
				description: "Post a message in a task's chat",
				action: 'Send a message to a task chat',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change fields of a task',
				action: 'Update a task',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...update.description,
	...deleteTask.description,
	...sendChatMessage.description,
	...getAccess.description,
	...attachFiles.description,
];
