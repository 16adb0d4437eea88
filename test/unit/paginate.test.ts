import type { IDataObject } from 'n8n-workflow';

import { dateWindowJudge } from '../../nodes/Bitrix24Tasks/helpers/dateWindow';
import { paginate, type PageRequest } from '../../nodes/Bitrix24Tasks/helpers/paginate';

/** A fake list of `total` rows (ids 1..total) whose server caps pages at `cap`. */
function fakeServer(total: number, cap = 1000) {
	const requests: PageRequest[] = [];
	const fetch = async (request: PageRequest): Promise<IDataObject[]> => {
		requests.push(request);
		const start = request.afterId ?? request.offset;
		const size = Math.min(request.limit, cap);
		const rows: IDataObject[] = [];
		for (let id = start + 1; id <= Math.min(total, start + size); id++) rows.push({ id });
		return rows;
	};
	return { fetch, requests };
}

const ids = (rows: IDataObject[]) => rows.map((r) => r.id);

test('return all, keyset: full pages then a short one, no extra request', async () => {
	const server = fakeServer(2600);
	const rows = await paginate(server.fetch, { keyset: true });
	expect(rows).toHaveLength(2600);
	expect(new Set(ids(rows)).size).toBe(2600);
	expect(server.requests.map((r) => r.afterId)).toEqual([undefined, 1000, 2000]);
});

test('return all under a server cap: learns the cap and keeps going', async () => {
	const server = fakeServer(260, 50);
	const rows = await paginate(server.fetch, { keyset: true });
	expect(ids(rows)).toEqual(Array.from({ length: 260 }, (_, i) => i + 1));
	expect(server.requests).toHaveLength(6);
});

test('a cap that divides the total: ends on the empty page', async () => {
	const server = fakeServer(200, 50);
	expect(await paginate(server.fetch, { keyset: false })).toHaveLength(200);
	expect(server.requests.map((r) => r.offset)).toEqual([0, 50, 100, 150, 200]);
});

test('limit stops exactly, also under a cap', async () => {
	const capped = fakeServer(500, 50);
	expect(await paginate(capped.fetch, { keyset: true, max: 120 })).toHaveLength(120);
	expect(capped.requests.map((r) => r.limit)).toEqual([120, 70, 20]);

	const plain = fakeServer(500);
	expect(await paginate(plain.fetch, { keyset: true, max: 50 })).toHaveLength(50);
	expect(plain.requests).toHaveLength(1);
});

test('a short first page is checked once; an empty list takes one request', async () => {
	const few = fakeServer(3);
	expect(await paginate(few.fetch, { keyset: true, max: 50 })).toHaveLength(3);
	expect(few.requests).toHaveLength(2);

	const none = fakeServer(0);
	expect(await paginate(none.fetch, { keyset: true })).toEqual([]);
	expect(none.requests).toHaveLength(1);
});

test('a server that ignores the cursor does not loop forever', async () => {
	let calls = 0;
	const rows = await paginate(
		async () => {
			calls++;
			return [{ id: 1 }, { id: 2 }];
		},
		{ keyset: true, pageSize: 2 },
	);
	expect(rows).toEqual([{ id: 1 }, { id: 2 }]);
	expect(calls).toBe(2);
});

describe('a client-side date window (Bitrix24 cannot filter by dates, only sort)', () => {
	const day = (n: number) => `2026-01-${String(n).padStart(2, '0')}T00:00:00+00:00`;
	/** 30 rows, one per day, listed in `createdAt` order, pages capped at `cap` */
	function datedServer(cap: number, direction: 'ASC' | 'DESC') {
		const all = Array.from({ length: 30 }, (_, i) => ({ id: i + 1, createdAt: day(i + 1) }));
		if (direction === 'DESC') all.reverse();
		const requests: PageRequest[] = [];
		const fetch = async (request: PageRequest) => {
			requests.push(request);
			return all.slice(request.offset, request.offset + Math.min(request.limit, cap));
		};
		return { fetch, requests };
	}
	const window = { field: 'createdAt' as const, from: Date.parse(day(5)), to: Date.parse(day(12)) };

	test.each(['ASC', 'DESC'] as const)(
		'sorted by that date (%s): exact rows, paging stops past the far end',
		async (direction) => {
			const server = datedServer(4, direction);
			const rows = await paginate(server.fetch, {
				keyset: false,
				pageSize: 4,
				judge: dateWindowJudge([window], 'createdAt', direction),
			});
			const want = [5, 6, 7, 8, 9, 10, 11, 12];
			expect(ids(rows)).toEqual(direction === 'ASC' ? want : [...want].reverse());
			// ASC: days 1–12 in 3 pages, the 4th page holds day 13, past the end; DESC: days 30–5 then day 4
			expect(server.requests).toHaveLength(direction === 'ASC' ? 4 : 7);
		},
	);

	test('Limit counts kept rows only; sorted by another field the whole list is scanned', async () => {
		const server = datedServer(1000, 'ASC');
		const judge = dateWindowJudge([window], 'id', 'ASC');
		expect(ids(await paginate(server.fetch, { keyset: false, max: 3, judge }))).toEqual([5, 6, 7]);
		const all = await paginate(server.fetch, { keyset: false, judge });
		expect(ids(all)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
	});

	test('rows without the date never match and never stop the paging', () => {
		const judge = dateWindowJudge([{ field: 'updatedAt', from: 0 }], 'updatedAt', 'ASC')!;
		expect(judge({ id: 1, updatedAt: null })).toBe('skip');
		expect(judge({ id: 2, updatedAt: day(1) })).toBe('keep');
	});
});
