// REST v3 list query parsing for ResultDto: filter, select, order, pagination (reference §2.4).
import { v3 } from './errors';
import { isInt, isObj, type Obj } from './params';
import type { ResultRecord } from './types';

export const RESULT_FIELDS = [
	'id',
	'taskId',
	'text',
	'authorId',
	'author',
	'createdAt',
	'updatedAt',
	'status',
	'fileIds',
	'rights',
	'messageId',
] as const;
export const DEFAULT_SELECT = RESULT_FIELDS.filter((f) => f !== 'author');
// createdAt / updatedAt are sortable, not filterable (reference §7.3, from the server's ResultDto)
const FILTERABLE = new Set(['taskId', 'id', 'authorId', 'status', 'messageId']);
const SORTABLE = new Set(['id', 'authorId', 'createdAt', 'updatedAt', 'status', 'messageId']);
const DATE_FIELDS = new Set(['createdAt', 'updatedAt']);
const OPERATORS = new Set(['=', '!=', '>', '>=', '<', '<=', 'in', 'between']);

/** A REST 3.0 filter condition `[field, value]` or `[field, operator, value]`, as the server reads it. */
export function parseTriple(raw: unknown[]): { field: string; op: string; value: unknown } {
	if ((raw.length !== 2 && raw.length !== 3) || typeof raw[0] !== 'string')
		throw v3.invalidFilter(JSON.stringify(raw));
	if (raw.length === 2)
		return { field: raw[0], op: Array.isArray(raw[1]) ? 'in' : '=', value: raw[1] };
	if (typeof raw[1] !== 'string') throw v3.invalidFilter(JSON.stringify(raw));
	const op = raw[1].toLowerCase();
	if (!OPERATORS.has(op)) throw v3.unknownOperator(raw[1]);
	return { field: raw[0], op, value: raw[2] };
}

export function isResultField(f: string): boolean {
	return (RESULT_FIELDS as readonly string[]).includes(f);
}

export type Condition =
	| { field: string; op: string; value: unknown }
	| { logic: 'and' | 'or'; conditions: Condition[] };

function parseCondition(raw: unknown): Condition {
	if (Array.isArray(raw)) {
		const { field, op, value } = parseTriple(raw);
		if (!isResultField(field)) throw v3.unknownProperty(field);
		// a DTO field that is not filterable (text, createdAt, updatedAt, fileIds, rights, author): the
		// server rejects it; the exact code is not documented — INVALIDFILTER is assumed
		if (!FILTERABLE.has(field)) throw v3.invalidFilter(field);
		if (op === 'in' && !Array.isArray(value)) throw v3.invalidFilter(JSON.stringify(raw));
		if (op === 'between' && !(Array.isArray(value) && value.length === 2)) {
			throw v3.invalidFilter(JSON.stringify(raw));
		}
		if (field === 'taskId') {
			const values = Array.isArray(value) ? value : [value];
			if (!values.every(isInt)) {
				throw v3.requestValidation([
					{ field: 'taskId', message: 'Field `taskId` requires `int` data type for this request' },
				]);
			}
		}
		return { field, op, value };
	}
	if (isObj(raw) && Array.isArray(raw.conditions)) {
		const logic = String(raw.logic ?? 'and').toLowerCase();
		if (logic !== 'and' && logic !== 'or') throw v3.invalidFilter(JSON.stringify(raw));
		return { logic, conditions: raw.conditions.map(parseCondition) };
	}
	throw v3.invalidFilter(JSON.stringify(raw));
}

/** parses and validates the filter; returns the conditions and the required simple taskId */
export function parseFilter(raw: unknown): { conditions: Condition[]; taskId: number } {
	if (
		raw === undefined ||
		raw === null ||
		(Array.isArray(raw) && raw.length === 0) ||
		(isObj(raw) && Object.keys(raw).length === 0)
	) {
		throw v3.requestValidation([{ field: 'filter', message: 'The field value cannot be empty' }]);
	}
	if (!Array.isArray(raw)) throw v3.invalidFilter(JSON.stringify(raw));
	const conditions = raw.map(parseCondition);
	// only a top-level `[taskId, =, int]` counts as the required "simple taskId condition" (§2.7)
	const simple = conditions.find(
		(c): c is { field: string; op: string; value: number } =>
			'field' in c && c.field === 'taskId' && c.op === '=' && isInt(c.value),
	);
	if (!simple) {
		throw v3.filterValidation([
			{
				field: 'filter.taskId',
				message: 'A filter for the required field `taskId` must be specified',
			},
		]);
	}
	return { conditions, taskId: simple.value };
}

function norm(field: string, v: unknown): unknown {
	if (DATE_FIELDS.has(field) && typeof v === 'string') return Date.parse(v);
	return v;
}

function cmp(a: unknown, b: unknown): number {
	if (a === b) return 0;
	if (a === null || a === undefined) return -1;
	if (b === null || b === undefined) return 1;
	return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

function matches(rec: ResultRecord, c: Condition): boolean {
	if ('logic' in c) {
		return c.logic === 'or'
			? c.conditions.some((x) => matches(rec, x))
			: c.conditions.every((x) => matches(rec, x));
	}
	const actual = norm(c.field, (rec as unknown as Obj)[c.field]);
	const vals = Array.isArray(c.value) ? c.value.map((v) => norm(c.field, v)) : [];
	const value = norm(c.field, c.value);
	const present = actual !== null && actual !== undefined;
	switch (c.op) {
		case '=':
			return actual === value;
		case '!=':
			return actual !== value;
		case '>':
			return present && cmp(actual, value) > 0;
		case '>=':
			return present && cmp(actual, value) >= 0;
		case '<':
			return present && cmp(actual, value) < 0;
		case '<=':
			return present && cmp(actual, value) <= 0;
		case 'in':
			return vals.includes(actual);
		case 'between':
			return present && cmp(actual, vals[0]) >= 0 && cmp(actual, vals[1]) <= 0;
		default:
			return false;
	}
}

export function matchAll(rec: ResultRecord, conditions: Condition[]): boolean {
	return conditions.every((c) => matches(rec, c));
}

export function parseSelect(raw: unknown): string[] {
	// omitted or empty select → default set (all fields except the `author` relation)
	if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0))
		return [...DEFAULT_SELECT];
	if (!Array.isArray(raw) || !raw.every((f) => typeof f === 'string'))
		throw v3.invalidSelect(JSON.stringify(raw));
	// §2.4/§10.8: unknown select fields may be ignored or rejected on a real portal — the sandbox rejects them
	for (const f of raw) if (!isResultField(f)) throw v3.unknownProperty(f);
	return raw;
}

export type Order = Array<[string, 1 | -1]>;

export function parseOrder(raw: unknown): Order {
	const order: Order = [];
	if (raw !== undefined && raw !== null) {
		if (!isObj(raw)) throw v3.invalidOrder(JSON.stringify(raw));
		for (const [field, dir] of Object.entries(raw)) {
			if (!isResultField(field)) throw v3.unknownProperty(field);
			// a DTO field that is not sortable → INVALIDORDER (assumed)
			if (!SORTABLE.has(field)) throw v3.invalidOrder(field);
			// direction is matched case-insensitively (assumed)
			const d = typeof dir === 'string' ? dir.toUpperCase() : '';
			if (d !== 'ASC' && d !== 'DESC') throw v3.invalidOrder(`${field}: ${String(dir)}`);
			order.push([field, d === 'ASC' ? 1 : -1]);
		}
	}
	if (!order.some(([f]) => f === 'id')) order.push(['id', 1]); // default order / tie-break: id ASC
	return order;
}

export function sortResults(items: ResultRecord[], order: Order): ResultRecord[] {
	return items.sort((a, b) => {
		for (const [field, dir] of order) {
			const r = cmp(
				norm(field, (a as unknown as Obj)[field]),
				norm(field, (b as unknown as Obj)[field]),
			);
			if (r !== 0) return r * dir;
		}
		return 0;
	});
}

function num(v: unknown, name: string, min: number): number {
	const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
	if (!Number.isInteger(n) || n < min) throw v3.invalidPagination(name);
	return n;
}

export const MAX_LIMIT = 1000;

/** limit default 50, clamped to 1000; `page` (1-based) overrides offset */
export function parsePagination(raw: unknown): { limit: number; offset: number } {
	if (raw === undefined || raw === null) return { limit: 50, offset: 0 };
	if (!isObj(raw)) throw v3.invalidPagination('pagination');
	let limit = raw.limit === undefined ? 50 : num(raw.limit, 'limit', 1);
	if (limit > MAX_LIMIT) limit = MAX_LIMIT;
	let offset = raw.offset === undefined ? 0 : num(raw.offset, 'offset', 0);
	if (raw.page !== undefined) offset = (num(raw.page, 'page', 1) - 1) * limit;
	return { limit, offset };
}
