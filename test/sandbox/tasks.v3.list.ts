// REST 3.0 tasks.task.list (reference bitrix24-tasks-v3.md §3.4, §5): filter on `id` only, the `id`-only
// ordering of the source, select with list-emitted fields, pagination like every v3 list.
import { v3 } from './errors';
import { parsePagination, parseTriple } from './filter';
import { isInt, isObj, type Obj } from './params';
import type { MethodContext } from './results.v3';
import { canRead, FIELD_BY_NAME, LIST_RELATIONS, mapTask, parseTaskSelect } from './tasks.dto';
import { mc, typeMsg } from './tasks.v3.params';

// ---------- list (§5) ----------

type IdCondition =
	| { op: string; value: unknown }
	| { logic: 'and' | 'or'; negative: boolean; conditions: IdCondition[] };

function intValues(values: unknown[], allowNull: boolean): void {
	if (!values.every((v) => isInt(v) || (allowNull && v === null))) {
		throw v3.requestValidation([typeMsg('id', 'int')]);
	}
}

function parseIdCondition(raw: unknown): IdCondition {
	if (Array.isArray(raw)) {
		const { field, op, value } = parseTriple(raw);
		if (!FIELD_BY_NAME.has(field)) throw v3.unknownProperty(field, 'TaskDto');
		if (field !== 'id') {
			// only `id` has the Filterable attribute (§5)
			throw v3.requestValidation([
				{
					field,
					message: `Field \`${field}\` requires the \`Filterable\` attribute for this request`,
				},
			]);
		}
		if (op === 'in') {
			if (!Array.isArray(value)) throw v3.invalidFilter(JSON.stringify(raw));
			intValues(value, true);
		} else if (op === 'between') {
			if (!Array.isArray(value) || value.length !== 2) throw v3.invalidFilter(JSON.stringify(raw));
			intValues(value, false);
		} else {
			if (Array.isArray(value)) throw v3.invalidFilter(JSON.stringify(raw));
			intValues([value], false);
		}
		return { op, value };
	}
	if (isObj(raw) && Array.isArray(raw.conditions)) {
		const logic = String(raw.logic ?? 'and').toLowerCase();
		if (logic !== 'and' && logic !== 'or') throw v3.invalidFilter(JSON.stringify(raw));
		return {
			logic,
			negative: raw.negative === true,
			conditions: raw.conditions.map(parseIdCondition),
		};
	}
	throw v3.invalidFilter(JSON.stringify(raw));
}

function matchId(id: number, c: IdCondition): boolean {
	if ('logic' in c) {
		const r =
			c.logic === 'or'
				? c.conditions.some((x) => matchId(id, x))
				: c.conditions.every((x) => matchId(id, x));
		return c.negative ? !r : r;
	}
	const v = c.value as number;
	switch (c.op) {
		case '=':
			return id === v;
		case '!=':
			return id !== v;
		case '>':
			return id > v;
		case '>=':
			return id >= v;
		case '<':
			return id < v;
		case '<=':
			return id <= v;
		case 'in':
			return (c.value as unknown[]).includes(id);
		case 'between': {
			const [a, b] = c.value as number[];
			return id >= a && id <= b;
		}
		default:
			return false;
	}
}

function parseListOrder(raw: unknown): 1 | -1 {
	let idDir: 1 | -1 = 1;
	if (raw === undefined || raw === null) return idDir;
	if (!isObj(raw)) throw v3.invalidOrder(JSON.stringify(raw));
	for (const [field, dir] of Object.entries(raw)) {
		const def = FIELD_BY_NAME.get(field);
		if (!def) throw v3.unknownProperty(field, 'TaskDto');
		if (!def.sortable) {
			throw v3.requestValidation([
				{
					field,
					message: `Field \`${field}\` requires the \`Sortable\` attribute for this request`,
				},
			]);
		}
		const d = typeof dir === 'string' ? dir.toUpperCase() : '';
		if (d !== 'ASC' && d !== 'DESC') throw v3.invalidOrder(`${field}: ${String(dir)}`);
		if (field === 'id') idDir = d === 'ASC' ? 1 : -1;
	}
	// source defect (§5): the mapper seeds `id ASC` before the requested keys, so ORDER BY starts with
	// ID and other keys never matter; only the direction of `id` is effective (not runtime-verified)
	return idDir;
}

export function list(ctx: MethodContext, p: Obj): unknown {
	let conditions: IdCondition[] = [];
	if (p.filter !== undefined && p.filter !== null) {
		if (!Array.isArray(p.filter)) throw v3.invalidFilter(JSON.stringify(p.filter));
		conditions = p.filter.map(parseIdCondition);
	}
	const { plain, relations } = parseTaskSelect(p.select);
	const dir = parseListOrder(p.order);
	const { limit, offset } = parsePagination(p.pagination);
	// select absent → only id; names TaskDto has but list does not emit are omitted (§5)
	const fields = plain.length
		? ['id', ...plain.filter((n) => n !== 'id' && FIELD_BY_NAME.get(n)?.list)]
		: ['id'];
	const rels = new Map<string, string[]>();
	for (const n of plain) if (LIST_RELATIONS.has(n)) rels.set(n, []);
	// dotted relation paths in list: nested objects may be absent on a portal (§7.3) — the sandbox omits them
	void relations;
	const rows = [...ctx.store.tasks.values()]
		.filter((t) => canRead(ctx.store, ctx.userId, t))
		.filter((t) => conditions.every((c) => matchId(t.id, c)))
		.sort((a, b) => (a.id - b.id) * dir);
	let page = rows.slice(offset, offset + limit);
	// `maxPageSize`: a silent server cap below the requested limit (as for the result list; UNCONFIRMED)
	if (ctx.maxPageSize !== undefined && page.length > ctx.maxPageSize)
		page = page.slice(0, ctx.maxPageSize);
	return { items: page.map((t) => mapTask(mc(ctx), t, fields, rels)) };
}
