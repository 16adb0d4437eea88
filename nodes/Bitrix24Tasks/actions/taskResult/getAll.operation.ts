import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { dateWindowJudge, type DateBound } from '../../helpers/dateWindow';
import { paginate, type PageRequest } from '../../helpers/paginate';
import {
	buildDateBounds,
	buildResultFilter,
	type FilterCondition,
	type ResultFilters,
} from '../../helpers/resultFilter';
import { parseTaskId } from '../../helpers/taskLocator';
import type { Bitrix24Client } from '../../transport';
import { forEachItem } from '../batch';
import { listMax, optionsCollection, returnAllAndLimit } from '../common.description';
import type { OperationRun } from '../node.type';
import { taskLocator } from '../taskLocator.description';
import { listFilterFields, listOptionFields, SORT_FIELDS } from './getAll.fields';

const properties: INodeProperties[] = [
	{ ...taskLocator, description: 'The task whose results to list (its task ID, e.g. 51)' },
	...returnAllAndLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: listFilterFields,
	},
	optionsCollection(listOptionFields),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['taskResult'], operation: ['getAll'] } },
	properties,
);

export interface GetAllInput {
	filter: FilterCondition[];
	/** Created/Updated After/Before: checked on each row, since Bitrix24 cannot filter by dates */
	dateBounds: DateBound[];
	/** undefined = Return All */
	max?: number;
	sortField: string;
	sortDirection: 'ASC' | 'DESC';
	select: string[];
}

function parseSort(
	this: IExecuteFunctions,
	options: IDataObject,
	itemIndex: number,
	dateBounds: DateBound[],
): Pick<GetAllInput, 'sortField' | 'sortDirection'> {
	// with a date filter and no sort chosen, sort by that date so paging stops at the window's end
	const defaultSort = dateBounds[0]?.field ?? 'id';
	const sortField = String(options.sortField || defaultSort);
	const sortDirection = String(options.sortDirection ?? 'ASC').toUpperCase();
	if (!(SORT_FIELDS as readonly string[]).includes(sortField)) {
		throw new NodeOperationError(
			this.getNode(),
			`Invalid Sort By in item ${itemIndex}: "${sortField}" cannot be sorted by`,
			{
				itemIndex,
				description: `Use one of: ${SORT_FIELDS.join(', ')}.`,
			},
		);
	}
	if (sortDirection !== 'ASC' && sortDirection !== 'DESC') {
		throw new NodeOperationError(
			this.getNode(),
			`Invalid Sort Direction in item ${itemIndex}: use ASC or DESC`,
			{ itemIndex },
		);
	}
	return { sortField, sortDirection };
}

export function prepare(this: IExecuteFunctions, itemIndex: number): GetAllInput {
	const node = this.getNode();
	const taskId = parseTaskId(node, this.getNodeParameter('taskId', itemIndex), itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as ResultFilters;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const fields = options.fields;
	const dateBounds = buildDateBounds(node, filters, itemIndex, this.getTimezone());
	return {
		filter: buildResultFilter(node, taskId, filters, itemIndex),
		dateBounds,
		max: listMax(this, itemIndex),
		...parseSort.call(this, options, itemIndex, dateBounds),
		select: Array.isArray(fields) ? fields.map(String) : [],
	};
}

/** The fields to ask for: the chosen ones, plus `id` and the dates the client-side filters need. */
function requestedFields(input: GetAllInput): string[] {
	const needed = ['id', ...input.dateBounds.map((bound) => bound.field)];
	return [...needed.filter((field) => !input.select.includes(field)), ...input.select];
}

/** The `tasks.task.result.list` body for one page. */
export function pageBody(input: GetAllInput, page: PageRequest, keyset: boolean): IDataObject {
	const filter: unknown[] = [...input.filter];
	const order: IDataObject = { [input.sortField]: input.sortDirection };
	if (input.sortField !== 'id') order.id = input.sortDirection;
	const body: IDataObject = {
		filter,
		order,
		pagination: { limit: page.limit, offset: keyset ? 0 : page.offset },
	};
	if (keyset && page.afterId !== undefined)
		filter.push(['id', input.sortDirection === 'ASC' ? '>' : '<', page.afterId]);
	if (input.select.length) body.select = requestedFields(input);
	return body;
}

export async function execute(
	this: IExecuteFunctions,
	run: OperationRun<GetAllInput>,
): Promise<void> {
	await forEachItem(
		run,
		run.items,
		async (client, { input, itemIndex }) => await listResults(client, input, itemIndex),
	);
}

async function listResults(
	client: Bitrix24Client,
	input: GetAllInput,
	itemIndex: number,
): Promise<IDataObject[]> {
	// the id cursor survives rows added or removed while paging; other sort orders page by offset
	const keyset = input.sortField === 'id';
	const rows = await paginate(
		async (page) => {
			const { result } = await client.call(
				{ api: 'v3', method: 'tasks.task.result.list', body: pageBody(input, page, keyset) },
				itemIndex,
			);
			const items = (result as IDataObject | null)?.items;
			return Array.isArray(items) ? (items as IDataObject[]) : [];
		},
		{
			max: input.max,
			keyset,
			judge: dateWindowJudge(input.dateBounds, input.sortField, input.sortDirection),
		},
	);
	// a date asked for only to check a filter is not part of the output
	const extra = input.select.length
		? requestedFields(input).filter((field) => field !== 'id' && !input.select.includes(field))
		: [];
	for (const row of rows) for (const field of extra) delete row[field];
	return rows;
}
