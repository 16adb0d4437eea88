import type { IDataObject } from 'n8n-workflow';

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
