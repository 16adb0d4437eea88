import type { IDataObject } from 'n8n-workflow';

import type { RowVerdict } from './paginate';

/** An inclusive window on a date field of a result; Bitrix24 can sort by these fields, not filter. */
export interface DateBound {
	field: 'createdAt' | 'updatedAt';
	/** ms since epoch, inclusive */
	from?: number;
	to?: number;
}

const inside = (bound: DateBound, ms: number) =>
	(bound.from === undefined || ms >= bound.from) && (bound.to === undefined || ms <= bound.to);

/**
 * Judges each listed row against the bounds. When the list is sorted by a bounded field, the first
 * row past the window's far end stops the paging (every later row is further out); rows before the
 * near end, and rows without that date, are skipped.
 */
export function dateWindowJudge(
	bounds: DateBound[],
	sortField: string,
	sortDirection: 'ASC' | 'DESC',
): ((row: IDataObject) => RowVerdict) | undefined {
	if (!bounds.length) return undefined;
	const sorted = bounds.find((bound) => bound.field === sortField);
	// the sorted field first: a row past its end stops the paging whatever the other bound says
	const ordered = sorted ? [sorted, ...bounds.filter((bound) => bound !== sorted)] : bounds;
	return (row) => {
		for (const bound of ordered) {
			const ms =
				typeof row[bound.field] === 'string' ? Date.parse(row[bound.field] as string) : NaN;
			if (Number.isNaN(ms)) return 'skip';
			if (inside(bound, ms)) continue;
			if (bound === sorted) {
				const pastEnd =
					sortDirection === 'ASC'
						? bound.to !== undefined && ms > bound.to
						: bound.from !== undefined && ms < bound.from;
				if (pastEnd) return 'stop';
			}
			return 'skip';
		}
		return 'keep';
	};
}
