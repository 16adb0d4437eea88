import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { parseDateTime } from '../../helpers/dateTime';
import { GROUP_LINK, parseLocatorId, USER_LINK } from '../../helpers/entityLocator';
import { CLASSIC_PAGE_SIZE, paginate } from '../../helpers/paginate';
import { parseId } from '../../helpers/validate';
import type { Bitrix24Client } from '../../transport';
import { forEachItem } from '../batch';
import { listMax, optionsCollection, returnAllAndLimit } from '../common.description';
import type { OperationRun } from '../node.type';
import {
	DEFAULT_LIST_FIELDS,
	LIST_FIELDS,
	SORT_FIELDS,
	taskListFilterFields,
	taskListOptionFields,
} from './getAll.fields';
import { TASK_STATUSES } from './taskFields';
import { CLASSIC_FIELDS, CLASSIC_STATUS_CODES, classicTaskOutput, v3ListOutput } from './taskItem';

const properties: INodeProperties[] = [
	...returnAllAndLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: taskListFilterFields,
	},
	optionsCollection(taskListOptionFields),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['getAll'] } },
	properties,
);

export interface TaskListInput {
	/** REST 3.0 can serve only an ID filter and ID order; anything else goes to the classic list */
	api: 'v3' | 'classic';
	taskIds: number[];
	responsibleId?: number;
	groupId?: number;
	statuses: string[];
	deadlineAfter?: string;
	deadlineBefore?: string;
	max?: number;
	sortField: string;
	sortDirection: 'ASC' | 'DESC';
	fields: string[];
}

const isBlank = (value: unknown) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

export function prepare(this: IExecuteFunctions, itemIndex: number): TaskListInput {
	const node = this.getNode();
	const fail = (field: string, why: string, description: string) =>
		new NodeOperationError(node, `Invalid ${field} in item ${itemIndex}: ${why}`, {
			itemIndex,
			description,
		});
	const max = listMax(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const rawIds = filters.taskIds;
	const taskIds = isBlank(rawIds)
		? []
		: [
				...new Set(
					(Array.isArray(rawIds) ? rawIds : String(rawIds).split(','))
						.filter((part) => !isBlank(part))
						.map((part) =>
							parseId(
								node,
								typeof part === 'string' ? part.trim() : part,
								'Filter "Task IDs"',
								itemIndex,
							),
						),
				),
			];
	const statuses = (
		Array.isArray(filters.status) ? filters.status : isBlank(filters.status) ? [] : [filters.status]
	).map((status) => {
		const value = String(status).trim().toLowerCase();
		if (!(TASK_STATUSES as readonly string[]).includes(value))
			throw fail(
				'Filter "Status"',
				`"${String(status)}" is not a task status`,
				`Use one of: ${TASK_STATUSES.join(', ')}.`,
			);
		return value;
	});
	const date = (name: string, label: string) =>
		isBlank(filters[name])
			? undefined
			: parseDateTime(node, filters[name], `Filter "${label}"`, itemIndex, this.getTimezone());

	const sortField = String(options.sortField || 'id');
	if (!(SORT_FIELDS as readonly string[]).includes(sortField))
		throw fail(
			'Sort By',
			`"${sortField}" cannot be sorted by`,
			`Use one of: ${SORT_FIELDS.join(', ')}.`,
		);
	const sortDirection = String(options.sortDirection ?? 'ASC').toUpperCase();
	if (sortDirection !== 'ASC' && sortDirection !== 'DESC')
		throw fail('Sort Direction', 'use ASC or DESC', 'Use ASC or DESC.');

	const chosen = Array.isArray(options.fields) ? options.fields.map(String) : [];
	const unknown = chosen.find((field) => !LIST_FIELDS.includes(field));
	if (unknown !== undefined)
		throw fail(
			'Fields',
			`"${unknown}" is not a task list field`,
			`Use some of: ${LIST_FIELDS.join(', ')}.`,
		);
	const fields = chosen.length ? ['id', ...chosen.filter((f) => f !== 'id')] : DEFAULT_LIST_FIELDS;

	const input: TaskListInput = {
		api: 'v3',
		taskIds,
		responsibleId: isBlank(filters.responsibleId)
			? undefined
			: parseLocatorId(
					node,
					filters.responsibleId,
					itemIndex,
					'Filter "Responsible Person"',
					USER_LINK,
				),
		groupId: isBlank(filters.groupId)
			? undefined
			: parseLocatorId(node, filters.groupId, itemIndex, 'Filter "Workgroup"', GROUP_LINK),
		statuses,
		deadlineAfter: date('deadlineAfter', 'Deadline After'),
		deadlineBefore: date('deadlineBefore', 'Deadline Before'),
		max,
		sortField,
		sortDirection,
		fields,
	};
	const needsClassic =
		input.responsibleId !== undefined ||
		input.groupId !== undefined ||
		statuses.length > 0 ||
		input.deadlineAfter !== undefined ||
		input.deadlineBefore !== undefined ||
		sortField !== 'id';
	input.api = needsClassic ? 'classic' : 'v3';
	return input;
}

export async function execute(
	this: IExecuteFunctions,
	run: OperationRun<TaskListInput>,
): Promise<void> {
	await forEachItem(run, run.items, async (client, { input, itemIndex }) => {
		if (input.api === 'v3' && !client.v3MethodMissing) {
			let failed: unknown;
			try {
				return await listV3(client, input, itemIndex);
			} catch (error) {
				failed = error; // already a NodeApiError from the transport
			}
			if (!client.v3MethodMissing) throw failed;
			this.addExecutionHints?.({
				message:
					'This Bitrix24 portal has no REST 3.0 tasks.task.list (it needs the tasks module 26.0.0 or later), so Get Many used the classic tasks.task.list, which gives the same items.',
				type: 'info',
				location: 'outputPane',
			});
		}
		// the classic list is on every portal: it serves the filters REST 3.0 lacks, and portals without
		// the REST 3.0 list (then the run's first item made the one REST 3.0 attempt)
		return await listClassic(client, input, itemIndex);
	});
}

/** REST 3.0 `tasks.task.list`, paged by the ID cursor (rows added or removed while paging do not shift it). */
async function listV3(
	client: Bitrix24Client,
	input: TaskListInput,
	itemIndex: number,
): Promise<IDataObject[]> {
	return await paginate(
		async (page) => {
			const filter: unknown[] = [];
			if (input.taskIds.length) filter.push(['id', 'in', input.taskIds]);
			if (page.afterId !== undefined)
				filter.push(['id', input.sortDirection === 'ASC' ? '>' : '<', page.afterId]);
			const body: IDataObject = {
				select: input.fields,
				order: { id: input.sortDirection },
				pagination: { limit: page.limit, offset: 0 },
			};
			if (filter.length) body.filter = filter;
			const { result } = await client.call(
				{ api: 'v3', method: 'tasks.task.list', body },
				itemIndex,
			);
			const items = (result as IDataObject | null)?.items;
			return Array.isArray(items) ? (items as IDataObject[]).map(v3ListOutput) : [];
		},
		// an ID filter names every task that can come back: no need to look past them
		{
			max: input.taskIds.length ? Math.min(input.max ?? Infinity, input.taskIds.length) : input.max,
			keyset: true,
		},
	);
}

/** The classic `tasks.task.list` filter for the chosen filters (reference §5: REST 3.0 cannot filter on them). */
export function classicFilter(input: TaskListInput): IDataObject {
	const filter: IDataObject = {};
	if (input.taskIds.length) filter.ID = input.taskIds;
	if (input.responsibleId !== undefined) filter.RESPONSIBLE_ID = input.responsibleId;
	if (input.groupId !== undefined) filter.GROUP_ID = input.groupId;
	if (input.statuses.length)
		filter.REAL_STATUS = [...new Set(input.statuses.flatMap((s) => CLASSIC_STATUS_CODES[s]))];
	if (input.deadlineAfter) filter['>=DEADLINE'] = input.deadlineAfter;
	if (input.deadlineBefore) filter['<=DEADLINE'] = input.deadlineBefore;
	return filter;
}

/** Classic `tasks.task.list`: pages of 50 by `start`; a short page is the last one. */
async function listClassic(
	client: Bitrix24Client,
	input: TaskListInput,
	itemIndex: number,
): Promise<IDataObject[]> {
	const order: IDataObject = {
		[CLASSIC_FIELDS[input.sortField].select]: input.sortDirection.toLowerCase(),
	};
	if (input.sortField !== 'id') order.ID = input.sortDirection.toLowerCase();
	const body: IDataObject = {
		filter: classicFilter(input),
		order,
		select: input.fields.map((field) => CLASSIC_FIELDS[field].select),
	};
	const rows: IDataObject[] = [];
	for (let start = 0; ; start += CLASSIC_PAGE_SIZE) {
		const { result } = await client.call(
			{ api: 'v2', method: 'tasks.task.list', body: { ...body, start } },
			itemIndex,
		);
		const tasks = (result as IDataObject | null)?.tasks;
		const page = Array.isArray(tasks) ? (tasks as IDataObject[]) : [];
		for (const row of page) {
			if (input.max !== undefined && rows.length >= input.max) break;
			rows.push(classicTaskOutput(row, input.fields));
		}
		if (page.length < CLASSIC_PAGE_SIZE) break;
		if (input.max !== undefined && rows.length >= input.max) break;
	}
	return rows;
}
