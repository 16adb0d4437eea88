import type { INodeProperties } from 'n8n-workflow';

import { groupLocator, userLocator } from './locators.description';
import { TASK_PRIORITIES, TASK_STATUSES } from './taskFields';

const titleCase = (value: string) =>
	value.replace(/_/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());

export const priorityField: INodeProperties = {
	displayName: 'Priority',
	name: 'priority',
	type: 'options',
	options: TASK_PRIORITIES.map((value) => ({ name: titleCase(value), value })),
	default: 'average',
	description: 'How urgent the task is',
};

export const statusField: INodeProperties = {
	displayName: 'Status',
	name: 'status',
	type: 'options',
	options: TASK_STATUSES.map((value) => ({ name: titleCase(value), value })),
	default: 'pending',
	description:
		'Task status. Bitrix24 accepts it in REST 3.0; whether every transition is applied (rather than only through the start/complete actions) is not confirmed by its documentation.',
};

const deadlineField: INodeProperties = {
	displayName: 'Deadline',
	name: 'deadline',
	type: 'dateTime',
	default: '',
	description:
		'When the task is due. A time without a UTC offset is read in the workflow\u2019s time zone (workflow settings, else the instance\u2019s); Bitrix24 gets it with its offset.',
};

const descriptionField: INodeProperties = {
	displayName: 'Description',
	name: 'description',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	description: 'What to do; Bitrix24 BB-code (e.g. [B]bold[/B]) is kept as written',
};

/** The fields shown up front on Create: title and the ones most tasks set. */
export const commonTaskFields: INodeProperties[] = [
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Call the client back',
	},
	userLocator(
		'Responsible Person',
		'responsibleId',
		'Who does the task. Empty: the user behind the credential.',
	),
	deadlineField,
	priorityField,
	groupLocator,
	descriptionField,
];

const idOrLink = (what: string, example: string): string =>
	`${what}: its ID or a link pasted from the browser, like ${example}`;

/** The rest of the writable task fields (reference §4), for Additional Fields and Update Fields. */
const otherFields: Record<string, INodeProperties> = {
	allowsChangeDeadline: {
		displayName: 'Responsible Can Change Deadline',
		name: 'allowsChangeDeadline',
		type: 'boolean',
		default: false,
		description: 'Whether the responsible person may move the deadline',
	},
	allowsTimeTracking: {
		displayName: 'Time Tracking',
		name: 'allowsTimeTracking',
		type: 'boolean',
		default: false,
		description: 'Whether time spent on the task is tracked',
	},
	creatorId: {
		displayName: 'Created By',
		name: 'creatorId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 5',
		description: `${idOrLink('The task\u2019s creator', 'https://your-portal.bitrix24.com/company/personal/user/5/')}. Empty: the user behind the credential. Only an administrator, or the responsible person, may create a task in someone else\u2019s name.`,
	},
	crmItemIds: {
		displayName: 'CRM Items',
		name: 'crmItemIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. D_12, C_3',
		description:
			'CRM records to link, separated by commas: D_ deal, C_ contact, CO_ company, L_ lead, SI_ smart invoice, T{type}_ other items',
	},
	endPlan: {
		displayName: 'Planned End',
		name: 'endPlan',
		type: 'dateTime',
		default: '',
		description:
			'Planned end; must be after Planned Start. A time without a UTC offset is read in the workflow\u2019s time zone (workflow settings, else the instance\u2019s); Bitrix24 gets it with its offset.',
	},
	estimatedTime: {
		displayName: 'Time Estimate (Seconds)',
		name: 'estimatedTime',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 3600,
		description: 'Estimated time to finish the task, in seconds',
	},
	matchesWorkTime: {
		displayName: 'Skip Weekends and Holidays',
		name: 'matchesWorkTime',
		type: 'boolean',
		default: false,
		description: 'Whether planned dates follow the portal\u2019s working hours',
	},
	needsControl: {
		displayName: 'Review After Completion',
		name: 'needsControl',
		type: 'boolean',
		default: false,
		description:
			'Whether the creator must accept the work when the responsible person completes it',
	},
	parentId: {
		displayName: 'Parent Task',
		name: 'parentId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 51',
		description: idOrLink(
			'The task this one is a subtask of',
			'https://your-portal.bitrix24.com/company/personal/user/1/tasks/task/view/51/',
		),
	},
	requireResult: {
		displayName: 'Require Result',
		name: 'requireResult',
		type: 'boolean',
		default: false,
		description: 'Whether the task can be completed only after a task result is written',
	},
	startPlan: {
		displayName: 'Planned Start',
		name: 'startPlan',
		type: 'dateTime',
		default: '',
		description:
			'Planned start. A time without a UTC offset is read in the workflow\u2019s time zone (workflow settings, else the instance\u2019s); Bitrix24 gets it with its offset.',
	},
	status: statusField,
};

const ALWAYS_OTHER = Object.keys(otherFields).filter((n) => n !== 'creatorId' && n !== 'status');

/** Additional Fields of Create: the other writable fields, plus the given ones (e.g. creatorId, status). */
export function taskAdditionalFields(extra: string[]): INodeProperties[] {
	return [...ALWAYS_OTHER, ...extra]
		.map((name) => otherFields[name])
		.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** Update Fields: every writable field, the common ones as plain values (ID or link). */
export function taskUpdateFields(): INodeProperties[] {
	const common: INodeProperties[] = [
		{ ...commonTaskFields[0], required: false, default: '' },
		{
			displayName: 'Responsible Person',
			name: 'responsibleId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 5',
			description: idOrLink(
				'Who does the task',
				'https://your-portal.bitrix24.com/company/personal/user/5/',
			),
		},
		deadlineField,
		priorityField,
		{
			displayName: 'Workgroup',
			name: 'groupId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 7',
			description: `${idOrLink('The workgroup or project', 'https://your-portal.bitrix24.com/workgroups/group/7/')}. 0 takes the task out of its workgroup.`,
		},
		descriptionField,
	];
	return [...common, ...taskAdditionalFields(['status'])].sort((a, b) =>
		a.displayName.localeCompare(b.displayName),
	);
}

/**
 * Custom task fields (`UF_*`). REST 3.0 cannot write them, so they are set right after the REST 3.0
 * create/update with the classic `tasks.task.update` (setting the same values again is harmless).
 */
export const customFieldsCollection: INodeProperties = {
	displayName: 'Custom Fields',
	name: 'customFields',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Custom Field',
	default: {},
	options: [
		{
			displayName: 'Field',
			name: 'field',
			values: [
				{
					displayName: 'Field Name or ID',
					name: 'name',
					type: 'options',
					typeOptions: { loadOptionsMethod: 'getTaskCustomFields' },
					default: '',
					description:
						'A custom task field (UF_…) of the portal. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				},
				{
					displayName: 'Value',
					name: 'value',
					type: 'string',
					default: '',
					description: 'The value; a list or number from an expression is sent as it is',
				},
			],
		},
	],
};
