import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseDateTime } from './dateTime';
import type { DateBound } from './dateWindow';
import { parseId } from './validate';

/** One REST 3.0 filter condition: `[field, value]` (equals) or `[field, operator, value]`. */
export type FilterCondition = [string, unknown] | [string, string, unknown];

/** The Filters collection of Get Many, as the editor stores it. */
export interface ResultFilters {
	resultIds?: unknown;
	authorId?: unknown;
	status?: unknown;
	messageId?: unknown;
	createdAfter?: unknown;
	createdBefore?: unknown;
	updatedAfter?: unknown;
	updatedBefore?: unknown;
}

export const RESULT_STATUSES = ['open', 'closed'] as const;

const isBlank = (value: unknown) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

const label = (name: string) => `Filter "${name}"`;

function parseIdList(node: INode, value: unknown, field: string, itemIndex: number): number[] {
	const parts = Array.isArray(value) ? value : String(value).split(',');
	const ids = parts
		.filter((part) => !isBlank(part))
		.map((part) => parseId(node, typeof part === 'string' ? part.trim() : part, field, itemIndex));
	return [...new Set(ids)];
}

function parseStatus(node: INode, value: unknown, itemIndex: number): string {
	const status = String(value).trim().toLowerCase();
	if (!(RESULT_STATUSES as readonly string[]).includes(status)) {
		throw new NodeOperationError(
			node,
			`Invalid ${label('Status')} in item ${itemIndex}: "${String(value)}" is not a result status`,
			{
				itemIndex,
				description: `Use one of: ${RESULT_STATUSES.join(', ')}.`,
			},
		);
	}
	return status;
}

/**
 * Translates the task ID and the Filters collection into the REST 3.0 `filter` of
 * `tasks.task.result.list`. Throws a NodeOperationError naming the item and the filter on bad input.
 * The date filters are not part of it: Bitrix24 cannot filter by `createdAt`/`updatedAt` (only sort),
 * so they are checked on the client (`buildDateBounds`).
 */
export function buildResultFilter(
	node: INode,
	taskId: number,
	filters: ResultFilters,
	itemIndex: number,
): FilterCondition[] {
	const conditions: FilterCondition[] = [['taskId', taskId]];
	if (!isBlank(filters.resultIds)) {
		const ids = parseIdList(node, filters.resultIds, label('Result IDs'), itemIndex);
		if (ids.length === 1) conditions.push(['id', ids[0]]);
		else if (ids.length > 1) conditions.push(['id', 'in', ids]);
	}
	if (!isBlank(filters.authorId))
		conditions.push(['authorId', parseId(node, filters.authorId, label('Author ID'), itemIndex)]);
	if (!isBlank(filters.status))
		conditions.push(['status', parseStatus(node, filters.status, itemIndex)]);
	if (!isBlank(filters.messageId))
		conditions.push([
			'messageId',
			parseId(node, filters.messageId, label('Message ID'), itemIndex),
		]);
	return conditions;
}

/** The Created/Updated After/Before filters as inclusive bounds (ms), checked on each listed row. */
export function buildDateBounds(
	node: INode,
	filters: ResultFilters,
	itemIndex: number,
	timeZone: string,
): DateBound[] {
	const date = (key: keyof ResultFilters, name: string) =>
		isBlank(filters[key])
			? undefined
			: Date.parse(parseDateTime(node, filters[key], label(name), itemIndex, timeZone));
	const bounds: DateBound[] = [
		{
			field: 'createdAt',
			from: date('createdAfter', 'Created After'),
			to: date('createdBefore', 'Created Before'),
		},
		{
			field: 'updatedAt',
			from: date('updatedAfter', 'Updated After'),
			to: date('updatedBefore', 'Updated Before'),
		},
	];
	return bounds.filter((bound) => bound.from !== undefined || bound.to !== undefined);
}
