import type { INodeProperties } from 'n8n-workflow';

import { TASK_URL_HINT, TASK_URL_REGEX } from '../helpers/taskLocator';

/** The Task picker: choose from a searchable list, paste a task link, or give the ID. */
export const taskLocator: INodeProperties = {
	displayName: 'Task',
	name: 'taskId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The task the results belong to',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a task...',
			typeOptions: { searchListMethod: 'searchTasks', searchable: true },
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://your-portal.bitrix24.com/company/personal/user/1/tasks/task/view/51/',
			validation: [
				{ type: 'regex', properties: { regex: TASK_URL_REGEX, errorMessage: TASK_URL_HINT } },
			],
			extractValue: { type: 'regex', regex: TASK_URL_REGEX },
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 51',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*\\d+\\s*$',
						errorMessage: 'The task ID is a whole number, like 51',
					},
				},
			],
		},
	],
};
