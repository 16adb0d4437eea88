import { buildDateBounds, buildResultFilter } from '../../nodes/Bitrix24Tasks/helpers/resultFilter';
import { toBitrixDateTime } from '../../nodes/Bitrix24Tasks/helpers/dateTime';
import { testNode } from './node';

/** the server filter, then the date bounds (client-side) written as [field, from, to] in Bitrix24's date form */
const build = (filters: Record<string, unknown>, timeZone = 'UTC') => [
	...buildResultFilter(testNode, 51, filters, 0),
	...buildDateBounds(testNode, filters, 0, timeZone).map((b) => [
		b.field,
		b.from === undefined ? null : toBitrixDateTime(b.from),
		b.to === undefined ? null : toBitrixDateTime(b.to),
	]),
];

describe('buildResultFilter', () => {
	test('no filters: only the required task condition', () => {
		expect(build({})).toEqual([['taskId', 51]]);
	});

	test('every filter translated to the REST 3.0 syntax', () => {
		expect(
			build({
				resultIds: '17, 18,18',
				authorId: '2',
				status: 'closed',
				messageId: 335,
				createdAfter: '2026-01-01T00:00:00',
				createdBefore: '2026-02-01T00:00:00Z',
				updatedAfter: '2026-03-01T12:30:00+02:00',
			}),
		).toEqual([
			['taskId', 51],
			['id', 'in', [17, 18]],
			['authorId', 2],
			['status', 'closed'],
			['messageId', 335],
			['createdAt', '2026-01-01T00:00:00+00:00', '2026-02-01T00:00:00+00:00'],
			['updatedAt', '2026-03-01T10:30:00+00:00', null],
		]);
	});

	test('date filters never reach the server filter (Bitrix24 cannot filter by createdAt/updatedAt)', () => {
		const filters = { createdAfter: '2026-01-01T00:00:00Z', updatedBefore: '2026-03-01T00:00:00Z' };
		expect(buildResultFilter(testNode, 51, filters, 0)).toEqual([['taskId', 51]]);
		expect(buildDateBounds(testNode, filters, 0, 'UTC')).toHaveLength(2);
	});

	test('one result ID is an equality, a lone upper bound has no lower one', () => {
		expect(build({ resultIds: '17', updatedBefore: '2026-03-01T00:00:00Z' })).toEqual([
			['taskId', 51],
			['id', 17],
			['updatedAt', null, '2026-03-01T00:00:00+00:00'],
		]);
	});

	test('empty values are ignored', () => {
		expect(build({ resultIds: ' ', authorId: '', createdAfter: '' })).toEqual([['taskId', 51]]);
	});

	test('a date without offset is read in the workflow time zone', () => {
		expect(build({ createdAfter: '2026-07-01T09:00:00' }, 'Europe/Berlin')).toEqual([
			['taskId', 51],
			['createdAt', '2026-07-01T07:00:00+00:00', null],
		]);
		expect(build({ createdAfter: '2026-01-15' }, 'America/New_York')[1]).toEqual([
			'createdAt',
			'2026-01-15T05:00:00+00:00',
			null,
		]);
	});

	test('a Luxon-like DateTime from an expression is accepted', () => {
		const luxonLike = { toISO: () => '2026-05-01T00:00:00.000+03:00' };
		expect(build({ createdBefore: luxonLike })[1]).toEqual([
			'createdAt',
			null,
			'2026-04-30T21:00:00+00:00',
		]);
	});

	test.each([
		[{ resultIds: '17, x' }, 'Invalid Filter "Result IDs" in item 0: it is not a whole number'],
		[{ authorId: '-1' }, 'Invalid Filter "Author ID" in item 0: it is not a whole number'],
		[{ authorId: 0 }, 'Invalid Filter "Author ID" in item 0: it must be greater than 0'],
		[{ messageId: '3.5' }, 'Invalid Filter "Message ID" in item 0: it is not a whole number'],
		[{ status: 'done' }, 'Invalid Filter "Status" in item 0: "done" is not a result status'],
		[{ createdAfter: 'yesterday' }, 'Invalid Filter "Created After" in item 0: it is not a date'],
		[
			{ updatedBefore: '2026-02-30T00:00:00' },
			'Invalid Filter "Updated Before" in item 0: it is not a date',
		],
	])('%j → %s', (filters, message) => {
		expect(() => build(filters)).toThrow(message);
	});
});
