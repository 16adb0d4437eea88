import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { router } from './actions/router';
import * as task from './actions/task';
import * as taskResult from './actions/taskResult';
import { searchTasks } from './methods/listSearch';
import { getTaskCustomFields } from './methods/loadOptions';
import { searchGroups, searchUsers } from './methods/peopleSearch';
import { authenticationProperty, credentialSlots } from './authentication.description';

export class Bitrix24Tasks implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Tasks',
		name: 'bitrix24Tasks',
		icon: { light: 'file:../../icons/bitrix24.svg', dark: 'file:../../icons/bitrix24.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Manage Bitrix24 tasks and task results over REST 3.0',
		defaults: { name: 'Bitrix24 Tasks' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialSlots,
		properties: [
			authenticationProperty,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Task', value: 'task' },
					{ name: 'Task Result', value: 'taskResult' },
				],
				default: 'taskResult',
			},
			...taskResult.description,
			...task.description,
		],
	};

	methods = {
		listSearch: { searchTasks, searchUsers, searchGroups },
		loadOptions: { getTaskCustomFields },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
