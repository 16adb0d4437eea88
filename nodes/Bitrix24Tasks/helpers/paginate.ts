import type { IDataObject } from 'n8n-workflow';

/** REST 3.0 list pages hold at most this many rows (larger limits are clamped by the server). */
export const MAX_PAGE_SIZE = 1000;

/** Classic list methods always answer in pages of 50 (`start` = 0, 50, 100, …). */
export const CLASSIC_PAGE_SIZE = 50;

export interface PageRequest {
	limit: number;
	/** rows already collected: the offset for offset paging */
	offset: number;
	/** keyset paging: the ID of the last row collected so far */
	afterId?: number;
}

export interface PaginateOptions {
	/** undefined = everything */
	max?: number;
	/** page by the `id` cursor (needs rows ordered by id) instead of by offset */
	keyset: boolean;
	pageSize?: number;
	/**
	 * A client-side check of each row, in list order: keep it, skip it, or stop (this row and every
	 * later one are out). Without it every row is kept.
	 */
	judge?: (row: IDataObject) => RowVerdict;
}

export type RowVerdict = 'keep' | 'skip' | 'stop';

/**
 * Collects rows page by page. REST 3.0 returns no total, so a page shorter than requested ends the
 * list — unless the server caps pages below the requested size: a short first answer is then
 * taken as a possible cap and checked with one more request. A page shorter than a size the server
 * already delivered in full always ends the list.
 */
export async function paginate(
	fetchPage: (request: PageRequest) => Promise<IDataObject[]>,
	options: PaginateOptions,
): Promise<IDataObject[]> {
	const pageSize = Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
	const judge = options.judge ?? (() => 'keep' as const);
	const rows: IDataObject[] = [];
	/** rows the server returned so far (kept or not): the offset of the next page */
	let scanned = 0;
	let cap: number | undefined;
	let fullAt = 0;
	let afterId: number | undefined;
	for (;;) {
		const left = options.max === undefined ? Infinity : options.max - rows.length;
		if (left <= 0) break;
		// with a client-side check, rows may be skipped: ask for full pages
		const want = options.judge ? pageSize : Math.min(pageSize, left);
		const page = (await fetchPage({ limit: want, offset: scanned, afterId })).slice(0, want);
		if (page.length === 0) break;
		if (options.keyset) {
			const lastId = Number(page[page.length - 1].id);
			// a server that ignores the cursor would repeat the same page forever
			if (lastId === afterId) break;
			afterId = Number.isFinite(lastId) ? lastId : undefined;
		}
		scanned += page.length;
		let stopped = false;
		for (const row of page) {
			const verdict = judge(row);
			if (verdict === 'stop') {
				stopped = true;
				break;
			}
			if (verdict === 'keep') rows.push(row);
			if (rows.length >= (options.max ?? Infinity)) break;
		}
		if (stopped || (options.keyset && afterId === undefined)) break;
		if (page.length >= want) {
			fullAt = Math.max(fullAt, want);
			continue;
		}
		if (page.length < fullAt) break;
		if (cap !== undefined) {
			if (page.length < cap) break;
			continue;
		}
		cap = page.length;
	}
	return rows;
}
