import type { INodeProperties } from 'n8n-workflow';
import { authenticationProperty } from '../Bitrix24Tasks/authentication.description';

/** The polling trigger's parameters (n8n adds Poll Times in front of them). */
export const pollProperties: INodeProperties[] = [
	authenticationProperty,
	{
		displayName: 'Trigger On',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Task Result Added',
				value: 'resultAdded',
				description: 'A new result was added to a watched task',
			},
		],
		default: 'resultAdded',
	},
	{
		displayName:
			'Bitrix24 sends no event for task results, so each poll asks every watched task for results newer than the last one seen. Cost per poll: one request per 50 watched tasks (plus the task list when watching by filter).',
		name: 'pollNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Watch',
		name: 'watch',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Tasks by ID', value: 'taskIds', description: 'A fixed list of tasks' },
			{
				name: 'Tasks Matching a Filter',
				value: 'filter',
				description: 'The tasks that match are read again on every poll',
			},
		],
		default: 'taskIds',
	},
	{
		displayName: 'Task IDs',
		name: 'taskIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 51, 52',
		description: 'The IDs of the tasks to watch, separated by commas',
		displayOptions: { show: { watch: ['taskIds'] } },
	},
	{
		displayName: 'Responsible Is Me',
		name: 'responsibleIsMe',
		type: 'boolean',
		default: true,
		description: 'Whether to watch only tasks whose responsible person is the credential’s user',
		displayOptions: { show: { watch: ['filter'] } },
	},
	{
		displayName: 'Workgroup ID',
		name: 'groupId',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Watch only tasks of this workgroup (project); 0 = any workgroup',
		displayOptions: { show: { watch: ['filter'] } },
	},
	{
		displayName: 'Only Not Completed',
		name: 'onlyOpen',
		type: 'boolean',
		default: true,
		description: 'Whether to leave out completed tasks',
		displayOptions: { show: { watch: ['filter'] } },
	},
	{
		displayName: 'Max Watched Tasks',
		name: 'maxTasks',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 500 },
		default: 100,
		description:
			'The newest matching tasks (by ID) that are watched; each 50 tasks cost one request per poll',
		displayOptions: { show: { watch: ['filter'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Existing Results',
				name: 'includeExisting',
				type: 'boolean',
				default: false,
				description:
					'Whether a task seen for the first time also emits the results it already has (by default only results added after that are emitted)',
			},
		],
	},
];
