import type { INodeProperties } from 'n8n-workflow';

import { TASK_STATUSES } from './taskFields';
import { CLASSIC_FIELDS } from './taskItem';

/** Fields of a Get Many item: the REST 3.0 list names both APIs can fill (reference §5). */
export const LIST_FIELDS = Object.keys(CLASSIC_FIELDS);

/** Fields returned when Options → Fields is empty. */
export const DEFAULT_LIST_FIELDS = [
	'id',
	'title',
	'status',
	'priority',
	'deadline',
	'responsibleId',
	'creatorId',
	'groupId',
	'created',
	'changed',
	'closed',
];

export const SORT_FIELDS = [
	'id',
	'title',
	'deadline',
	'created',
	'changed',
	'closed',
	'priority',
	'status',
] as const;

const titleCase = (value: string) =>
	value.replace(/_/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());

export const taskListFilterFields: INodeProperties[] = [
	{
		displayName: 'Deadline After',
		name: 'deadlineAfter',
		type: 'dateTime',
		default: '',
		description:
			'Only tasks due at or after this time. A time without a UTC offset is read in the workflow\u2019s time zone (workflow settings, else the instance\u2019s); Bitrix24 gets it with its offset. Lists through the classic tasks.task.list, since REST 3.0 filters only by task ID.',
	},
	{
		displayName: 'Deadline Before',
		name: 'deadlineBefore',
		type: 'dateTime',
		default: '',
		description:
			'Only tasks due at or before this time (e.g. {{ $now }} for overdue tasks). A time without a UTC offset is read in the workflow\u2019s time zone (workflow settings, else the instance\u2019s); Bitrix24 gets it with its offset. Lists through the classic tasks.task.list, since REST 3.0 filters only by task ID.',
	},
	{
		displayName: 'Responsible Person',
		name: 'responsibleId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 5',
		description:
			'Only tasks of this user: the ID or a profile link like https://your-portal.bitrix24.com/company/personal/user/5/. Lists through the classic tasks.task.list, since REST 3.0 filters only by task ID.',
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'multiOptions',
		options: TASK_STATUSES.map((value) => ({ name: titleCase(value), value })),
		default: [],
		description:
			'Only tasks in one of these statuses. Lists through the classic tasks.task.list, since REST 3.0 filters only by task ID.',
	},
	{
		displayName: 'Task IDs',
		name: 'taskIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. 51, 52',
		description: 'Only these tasks; separate several IDs with commas',
	},
	{
		displayName: 'Workgroup',
		name: 'groupId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 7',
		description:
			'Only tasks of this workgroup: the ID or a link like https://your-portal.bitrix24.com/workgroups/group/7/. Lists through the classic tasks.task.list, since REST 3.0 filters only by task ID.',
	},
];

export const taskListOptionFields: INodeProperties[] = [
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'multiOptions',
		options: LIST_FIELDS.map((value) => ({ name: value, value })),
		default: [],
		description: `Fields of each task; empty: ${DEFAULT_LIST_FIELDS.join(', ')}. The ID is always included.`,
	},
	{
		displayName: 'Sort By',
		name: 'sortField',
		type: 'options',
		options: SORT_FIELDS.map((value) => ({ name: titleCase(value), value })),
		default: 'id',
		description:
			'Field to sort by. REST 3.0 sorts only by ID, so another field lists through the classic tasks.task.list.',
	},
	{
		displayName: 'Sort Direction',
		name: 'sortDirection',
		type: 'options',
		options: [
			{ name: 'Ascending', value: 'ASC' },
			{ name: 'Descending', value: 'DESC' },
		],
		default: 'ASC',
	},
];
