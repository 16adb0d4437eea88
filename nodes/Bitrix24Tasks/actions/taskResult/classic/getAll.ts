import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { dateWindowJudge } from '../../../helpers/dateWindow';
import type { FilterCondition } from '../../../helpers/resultFilter';
import { forEachItem } from '../../batch';
import type { OperationRun } from '../../node.type';
import type { GetAllInput } from '../getAll.operation';
import { listClassic } from './rows';

/** `[field, value]` or `[field, operator, value]`, as buildResultFilter makes them (`=` and `in`). */
function matches(row: IDataObject, condition: FilterCondition): boolean {
	const [field, operator, value] =
		condition.length === 2 ? [condition[0], '=', condition[1]] : condition;
	return operator === 'in' ? (value as unknown[]).includes(row[field]) : row[field] === value;
}

function compare(a: unknown, b: unknown): number {
	if (a === b) return 0;
	if (a === null || a === undefined) return -1;
	if (b === null || b === undefined) return 1;
	const [x, y] =
		typeof a === 'string' && typeof b === 'string' && !Number.isNaN(Date.parse(a))
			? [Date.parse(a), Date.parse(b)]
			: [a as number, b as number];
	return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Get Many over the classic API: the task's whole list (one request; the classic method has no
 * paging), then the filters, the date bounds, the order, Limit and the fields, all on the client.
 */
export async function getAllClassic(
	this: IExecuteFunctions,
	run: OperationRun<GetAllInput>,
): Promise<void> {
	const node = this.getNode();
	for (const { input, itemIndex } of run.items) {
		if (!input.filter.some(([field]) => field === 'messageId')) continue;
		const error = new NodeOperationError(
			node,
			`Invalid Filter "Message ID" in item ${itemIndex}: the classic API does not say which chat message a result came from`,
			{
				itemIndex,
				description:
					'Remove the Message ID filter, or use REST 3.0 task results (API Version REST 3.0; tasks module 26.0.0 or later).',
			},
		);
		if (!run.continueOnFail) throw error;
		run.outcomes.set(itemIndex, error);
	}
	const items = run.items.filter(({ itemIndex }) => !run.outcomes.has(itemIndex));
	await forEachItem(run, items, async (client, { input, itemIndex }) => {
		const taskId = input.filter.find(([field]) => field === 'taskId')?.[1] as number;
		const judge = dateWindowJudge(input.dateBounds, '', input.sortDirection);
		const direction = input.sortDirection === 'ASC' ? 1 : -1;
		const rows = (await listClassic(client, taskId, itemIndex))
			.filter((row) => input.filter.every((condition) => matches(row, condition)))
			.filter((row) => !judge || judge(row) === 'keep')
			.sort(
				(a, b) =>
					direction * (compare(a[input.sortField], b[input.sortField]) || compare(a.id, b.id)),
			)
			.slice(0, input.max);
		if (!input.select.length) return rows;
		const fields = ['id', ...input.select.filter((field) => field !== 'id')];
		return rows.map((row) =>
			Object.fromEntries(
				fields.filter((field) => field in row).map((field) => [field, row[field]]),
			),
		);
	});
}
