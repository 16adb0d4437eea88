// Classic people and workgroup methods behind the node's resource locators: user.get, user.search,
// sonet_group.get (docs: api-reference/user/user-get.md, user-search.md, sonet-group/sonet-group-get.md).
// "assumed" marks choices the docs leave open.
import type { ClassicMethodDef, ClassicOutput } from './classic';
import { compare, page, splitKey, startOf, startsWord, type Cmp } from './classic.query';
import { isObj, param, toIntV2, toList, type Obj } from './params';
import type { MethodContext } from './results.v3';
import { formatDate } from './tasks.dto';
import type { GroupRecord, UserRecord } from './types';

// ---------- user.get / user.search ----------

function classicUser(ctx: MethodContext, u: UserRecord): Obj {
	return {
		ID: String(u.id),
		ACTIVE: u.active,
		NAME: u.name,
		LAST_NAME: u.lastName,
		SECOND_NAME: '',
		EMAIL: u.email,
		LAST_LOGIN: '',
		DATE_REGISTER: formatDate(Date.UTC(2024, 0, 1), ctx.timeZoneOffset),
		IS_ONLINE: 'N',
		PERSONAL_GENDER: '',
		PERSONAL_BIRTHDAY: '',
		WORK_POSITION: u.workPosition,
		UF_DEPARTMENT: [1],
		USER_TYPE: 'employee',
	};
}

const USER_COLUMNS: Record<string, (u: UserRecord) => unknown> = {
	ID: (u) => u.id,
	NAME: (u) => u.name,
	LAST_NAME: (u) => u.lastName,
	EMAIL: (u) => u.email,
	WORK_POSITION: (u) => u.workPosition,
	ACTIVE: (u) => u.active,
	USER_TYPE: () => 'employee',
};

/** SQL LIKE with `%` / `_` wildcards, case-insensitive */
function like(pattern: string, value: string): boolean {
	const re = pattern
		.split('')
		.map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
		.join('');
	return new RegExp(`^${re}$`, 'is').test(value);
}

/** user.get filter prefixes (docs): @ !@ % !% =% %= !=% !%= = != ! < <= > >= */
function userKey(key: string): { op: string; field: string } {
	const m = /^(!=%|!%=|=%|%=|!%|!@|@|!=|!|<=|>=|<|>|%|=)?(.*)$/.exec(key) as RegExpExecArray;
	return { op: m[1] ?? '=', field: m[2].toUpperCase() };
}

function userMatches(u: UserRecord, key: string, raw: unknown, search: boolean): boolean {
	const { op, field } = userKey(key);
	const values = toList(raw);
	if (field === 'FIND' || field === 'NAME_SEARCH') {
		// FIND: first name, last name, job title (department / middle name not modelled), word-prefix search
		const needle = String(raw ?? '').trim();
		if (!needle) return true;
		const hay = [u.name, u.lastName, u.workPosition, `${u.name} ${u.lastName}`];
		return needle.split(/\s+/).every((part) => hay.some((h) => startsWord(h, part)));
	}
	const col = USER_COLUMNS[field];
	if (!col) return true; // other keys (UF_DEPARTMENT, IS_ONLINE, …): not modelled, ignored (assumed)
	const actual = col(u);
	const negate = op.startsWith('!');
	const norm = (v: unknown) =>
		field === 'ACTIVE'
			? v === true || v === 'Y' || v === 'true' || v === '1'
			: field === 'ID'
				? toIntV2(v)
				: String(v).toLowerCase();
	const a = field === 'ACTIVE' || field === 'ID' ? actual : String(actual).toLowerCase();
	let hit: boolean;
	switch (op.replace(/^!/, '').replace(/^=$/, '')) {
		case '':
		case '@':
			hit = values.some((v) => {
				if (typeof v === 'string' && v.includes('%') && typeof a === 'string') return like(v, a);
				// user.search: "beginning-of-string search" on the named fields (docs)
				if (search && typeof a === 'string') return startsWord(a, String(v));
				return norm(v) === a;
			});
			break;
		case '%':
			hit = values.some((v) => String(a).includes(String(norm(v))));
			break;
		case '=%':
		case '%=':
			hit = values.some((v) => like(String(v), String(actual)));
			break;
		default:
			return compare(op as Cmp, actual, values.map(norm));
	}
	return negate ? !hit : hit;
}

function userFilter(p: Obj): Obj {
	const f = param(p, 'FILTER');
	if (isObj(f)) return f;
	// user.get also reads filter keys at the top level (e.g. `{ID: 5}`)
	const top: Obj = {};
	for (const [k, v] of Object.entries(p)) {
		const { field } = userKey(k);
		if (field in USER_COLUMNS || field === 'FIND' || field === 'NAME_SEARCH') top[k] = v;
	}
	return top;
}

function userList(search: boolean) {
	return (ctx: MethodContext, p: Obj): ClassicOutput => {
		const filter = userFilter(p);
		const sortField = String(param(p, 'sort') ?? 'ID').toUpperCase();
		const dir = String(param(p, 'order') ?? 'ASC').toUpperCase() === 'DESC' ? -1 : 1;
		const col = USER_COLUMNS[sortField] ?? USER_COLUMNS.ID;
		const rows = [...ctx.store.users.values()]
			.filter((u) => Object.entries(filter).every(([k, v]) => userMatches(u, k, v, search)))
			.sort((a, b) => {
				const x = col(a) as string | number;
				const y = col(b) as string | number;
				return (x < y ? -1 : x > y ? 1 : a.id - b.id) * dir;
			});
		return page(rows, startOf(p), (u) => classicUser(ctx, u));
	};
}

// ---------- sonet_group.get ----------

function classicGroup(ctx: MethodContext, g: GroupRecord): Obj {
	const d = formatDate(g.created, ctx.timeZoneOffset);
	return {
		ID: String(g.id),
		SITE_ID: 's1',
		NAME: g.name,
		DESCRIPTION: g.description || null,
		DATE_CREATE: d,
		DATE_UPDATE: d,
		ACTIVE: 'Y',
		VISIBLE: g.visible ? 'Y' : 'N',
		OPENED: g.opened ? 'Y' : 'N',
		CLOSED: g.closed ? 'Y' : 'N',
		SUBJECT_ID: '1',
		OWNER_ID: String(g.ownerId),
		KEYWORDS: null,
		NUMBER_OF_MEMBERS: String(g.memberIds.length),
		DATE_ACTIVITY: d,
		SUBJECT_NAME: 'Workgroups',
		PROJECT: g.project ? 'Y' : 'N',
		IS_EXTRANET: 'N',
	};
}

const GROUP_COLUMNS: Record<string, (g: GroupRecord) => unknown> = {
	ID: (g) => g.id,
	NAME: (g) => g.name,
	OWNER_ID: (g) => g.ownerId,
	ACTIVE: () => 'Y',
	VISIBLE: (g) => (g.visible ? 'Y' : 'N'),
	OPENED: (g) => (g.opened ? 'Y' : 'N'),
	CLOSED: (g) => (g.closed ? 'Y' : 'N'),
	PROJECT: (g) => (g.project ? 'Y' : 'N'),
	IS_EXTRANET: () => 'N',
	DATE_CREATE: (g) => g.created,
};

function groupMatches(g: GroupRecord, key: string, raw: unknown): boolean {
	const m = /^(\?)(.*)$/.exec(key);
	if (m) {
		// `?NAME`: string search (word prefix, assumed)
		const col = GROUP_COLUMNS[m[2].toUpperCase()];
		return col ? startsWord(String(col(g)), String(raw)) : true;
	}
	const { op, field } = splitKey(key);
	const col = GROUP_COLUMNS[field];
	if (!col) return true;
	const values = toList(raw);
	if (field === 'ID' || field === 'OWNER_ID') {
		return compare(
			op,
			col(g),
			values.map((v) => toIntV2(v) ?? NaN),
		);
	}
	return compare(op, col(g), values);
}

function sonetGroupGet(ctx: MethodContext, p: Obj): ClassicOutput {
	const filter = isObj(param(p, 'FILTER')) ? { ...(param(p, 'FILTER') as Obj) } : {};
	const groupId = toIntV2(param(p, 'GROUP_ID'));
	if (groupId !== undefined) filter.ID = groupId;
	const admin = ctx.store.isAdmin(ctx.userId) && param(p, 'IS_ADMIN') === 'Y';
	const order = param(p, 'ORDER');
	const [[sortField, dir]] =
		isObj(order) && Object.keys(order).length
			? Object.entries(order).map(
					([k, d]) => [k.toUpperCase(), String(d).toUpperCase() === 'ASC' ? 1 : -1] as const,
				)
			: [['ID', -1] as const];
	const col = GROUP_COLUMNS[sortField] ?? GROUP_COLUMNS.ID;
	const rows = [...ctx.store.groups.values()]
		// "considering the permissions of the current user": visible groups and the caller's own (assumed)
		.filter((g) => admin || g.visible || g.memberIds.includes(ctx.userId))
		.filter((g) => Object.entries(filter).every(([k, v]) => groupMatches(g, k, v)))
		.sort((a, b) => {
			const x = String(col(a)).toLowerCase();
			const y = String(col(b)).toLowerCase();
			const r =
				typeof col(a) === 'number'
					? (col(a) as number) - (col(b) as number)
					: x < y
						? -1
						: x > y
							? 1
							: 0;
			return (r || a.id - b.id) * dir;
		});
	return page(rows, startOf(p), (g) => classicGroup(ctx, g));
}

export const DIRECTORY_METHODS: Record<string, ClassicMethodDef> = {
	'user.get': { scope: ['user', 'user_brief', 'user_basic'], run: userList(false) },
	'user.search': { scope: ['user', 'user_brief', 'user_basic'], run: userList(true) },
	// docs page says scope `sonet`; the webhook scope is traditionally `sonet_group` — both accepted
	'sonet_group.get': { scope: ['sonet_group', 'sonet'], run: sonetGroupGet },
};
