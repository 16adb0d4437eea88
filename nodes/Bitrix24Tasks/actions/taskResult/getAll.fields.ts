import type { INodeProperties } from 'n8n-workflow';

export const SORT_FIELDS = [
	'id',
	'authorId',
	'createdAt',
	'updatedAt',
	'status',
	'messageId',
] as const;

const idHint = 'A positive whole number';

/** The Filters collection of Get Many (translated by helpers/resultFilter.ts). */
export const listFilterFields: INodeProperties[] = [
	{
		displayName: 'Author ID',
		name: 'authorId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 1',
		description: `Only results written by this user. ${idHint}.`,
	},
	{
		displayName: 'Created After',
		name: 'createdAfter',
		type: 'dateTime',
		default: '',
		description: 'Only results created at or after this time',
	},
	{
		displayName: 'Created Before',
		name: 'createdBefore',
		type: 'dateTime',
		default: '',
		description: 'Only results created at or before this time',
	},
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 335',
		description: 'Only the result created from this task chat message',
	},
	{
		displayName: 'Result IDs',
		name: 'resultIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. 17, 18',
		description: 'Only these results; separate several IDs with commas',
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Closed', value: 'closed' },
			{ name: 'Open', value: 'open' },
		],
		default: 'open',
		description: 'Only results with this status',
	},
	{
		displayName: 'Updated After',
		name: 'updatedAfter',
		type: 'dateTime',
		default: '',
		description: 'Only results changed at or after this time',
	},
	{
		displayName: 'Updated Before',
		name: 'updatedBefore',
		type: 'dateTime',
		default: '',
		description: 'Only results changed at or before this time',
	},
];

/** Get Many's own entries of the Options collection. */
export const listOptionFields: INodeProperties[] = [
	{
		displayName: 'Fields to Return',
		name: 'fields',
		type: 'multiOptions',
		options: [
			{ name: 'Author', value: 'author' },
			{ name: 'Author ID', value: 'authorId' },
			{ name: 'Created At', value: 'createdAt' },
			{ name: 'File IDs', value: 'fileIds' },
			{ name: 'ID', value: 'id' },
			{ name: 'Message ID', value: 'messageId' },
			{ name: 'Rights', value: 'rights' },
			{ name: 'Status', value: 'status' },
			{ name: 'Task ID', value: 'taskId' },
			{ name: 'Text', value: 'text' },
			{ name: 'Updated At', value: 'updatedAt' },
		],
		default: [],
		description:
			'Which fields each result has. None selected means the default set (all but Author); ID is always included.',
	},
	{
		displayName: 'Sort By',
		name: 'sortField',
		type: 'options',
		options: [
			{ name: 'Author ID', value: 'authorId' },
			{ name: 'Created At', value: 'createdAt' },
			{ name: 'ID', value: 'id' },
			{ name: 'Message ID', value: 'messageId' },
			{ name: 'Status', value: 'status' },
			{ name: 'Updated At', value: 'updatedAt' },
		],
		default: 'id',
		description:
			'Field the results are ordered by. Not set: ID, or with a Created/Updated filter that date (then the listing stops at the end of the date range).',
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
