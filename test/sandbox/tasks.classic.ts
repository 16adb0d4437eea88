// Classic (v2) task methods the Task resource needs: tasks.task.list / tasks.task.get (filters, order,
// select, `start` paging of 50), tasks.task.update (UF_*, members, tags), task.item.userfield.getlist.
// Shapes from the official docs (bitrix24/b24restdocs api-reference/tasks/tasks-task-list.md,
// tasks-task-update.md); "assumed" marks choices the docs leave open.
import type { ClassicMethodDef, ClassicOutput } from './classic';
import { compare, page, splitKey, startOf } from './classic.query';
import { v2, v2Error } from './errors';
import { isObj, param, toIntV2, toList, type Obj } from './params';
import type { MethodContext } from './results.v3';
import { canEdit, canRead, formatDate, offsetMinutes } from './tasks.dto';
import type { TaskRecord, UserRecord } from './types';

const PRIORITY_NUMBER: Record<string, string> = { low: '0', average: '1', high: '2' };

// ---------- values ----------

/** a classic date filter value: ISO with offset, or a local `Y-m-d[ H:i[:s]]` / `d.m.Y[ H:i[:s]]` in the portal's zone */
export function parseClassicDate(v: unknown, timeZone: string | undefined): number | undefined {
	if (typeof v !== 'string' || v.trim() === '') return undefined;
	const s = v.trim();
	if (/[zZ]$|[+-]\d{2}:?\d{2}$/.test(s)) {
		const ms = Date.parse(s);
		return Number.isNaN(ms) ? undefined : ms;
	}
	let m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
	let parts: number[] | undefined;
	if (m) parts = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
	else {
		m = /^(\d{2})\.(\d{2})\.(\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
		if (m) parts = [m[3], m[2], m[1], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
	}
	if (!parts) return undefined;
	const [y, mo, d, h, mi, se] = parts;
	return Date.UTC(y, mo - 1, d, h, mi, se) - offsetMinutes(timeZone) * 60_000;
}

function personBrief(u: UserRecord): Obj {
	return {
		id: String(u.id),
		name: `${u.name}${u.lastName ? ` ${u.lastName}` : ''}`,
		link: `/company/personal/user/${u.id}/`,
		icon: '/bitrix/images/tasks/default_avatar.png',
		workPosition: u.workPosition,
	};
}

/** `UF_CRM_TASK` → `ufCrmTask` (classic answers use lowerCamel keys) */
function ufKey(name: string): string {
	return name
		.toLowerCase()
		.split('_')
		.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1)))
		.join('');
}

function isOverdue(t: TaskRecord, now: number): boolean {
	return t.deadline !== null && t.deadline < now && t.status >= 1 && t.status <= 3;
}

/** subStatus: -1 overdue, -3 almost overdue (deadline within 24 h), else the real status (assumed thresholds) */
function subStatus(t: TaskRecord, now: number): number {
	if (isOverdue(t, now)) return -1;
	if (t.deadline !== null && t.deadline - now < 86_400_000 && t.status >= 1 && t.status <= 3)
		return -3;
	return t.status;
}

type Emit = (ctx: MethodContext, t: TaskRecord, out: Obj) => void;

const date =
	(key: string, pick: (t: TaskRecord) => number | null): Emit =>
	(ctx, t, out) => {
		out[key] = formatDate(pick(t), ctx.timeZoneOffset);
	};

/** select name (upper case) → how it lands in the classic item */
const EMITTERS: Record<string, Emit> = {
	ID: (_c, t, o) => (o.id = String(t.id)),
	PARENT_ID: (_c, t, o) => (o.parentId = t.parentId === null ? null : String(t.parentId)),
	TITLE: (_c, t, o) => (o.title = t.title),
	DESCRIPTION: (_c, t, o) => (o.description = t.description),
	PRIORITY: (_c, t, o) => (o.priority = PRIORITY_NUMBER[t.priority]),
	STATUS: (_c, t, o) => (o.status = String(t.status)),
	// docs: `subStatus` is its own select item (the STATUS filter's meta status)
	SUBSTATUS: (_c, t, o) => (o.subStatus = String(subStatus(t, Date.now()))),
	REAL_STATUS: (_c, t, o) => (o.status = String(t.status)),
	GROUP_ID: (c, t, o) => {
		o.groupId = String(t.groupId);
		const g = c.store.groups.get(t.groupId);
		o.group = t.groupId
			? {
					id: String(t.groupId),
					name: g?.name ?? `Group ${t.groupId}`,
					opened: g?.opened ?? false,
					membersCount: g?.memberIds.length ?? 0,
					image: '',
					additionalData: [],
				}
			: [];
	},
	CREATED_BY: (c, t, o) => {
		o.createdBy = String(t.createdBy);
		o.creator = personBrief(c.store.user(t.createdBy));
	},
	RESPONSIBLE_ID: (c, t, o) => {
		o.responsibleId = String(t.responsibleId);
		o.responsible = personBrief(c.store.user(t.responsibleId));
	},
	ACCOMPLICES: (c, t, o) => {
		o.accomplices = t.accomplices.map(String);
		o.accomplicesData = Object.fromEntries(
			t.accomplices.map((id) => [String(id), personBrief(c.store.user(id))]),
		);
	},
	AUDITORS: (c, t, o) => {
		o.auditors = t.auditors.map(String);
		o.auditorsData = Object.fromEntries(
			t.auditors.map((id) => [String(id), personBrief(c.store.user(id))]),
		);
	},
	TAGS: (_c, t, o) =>
		(o.tags = Object.fromEntries(
			t.tags.map((title, i) => [String(t.id * 100 + i + 1), { id: t.id * 100 + i + 1, title }]),
		)),
	CHAT_ID: (_c, t, o) => (o.chatId = t.chatId === null ? null : String(t.chatId)),
	DEADLINE: date('deadline', (t) => t.deadline),
	CREATED_DATE: date('createdDate', (t) => t.created),
	CHANGED_DATE: date('changedDate', (t) => t.changed),
	CLOSED_DATE: date('closedDate', (t) => t.closed),
	START_DATE_PLAN: date('startDatePlan', (t) => t.startPlan),
	END_DATE_PLAN: date('endDatePlan', (t) => t.endPlan),
	ACTIVITY_DATE: date('activityDate', (t) => t.changed),
	TIME_ESTIMATE: (_c, t, o) => (o.timeEstimate = String(t.estimatedTime)),
	ALLOW_CHANGE_DEADLINE: (_c, t, o) => (o.allowChangeDeadline = t.allowsChangeDeadline ? 'Y' : 'N'),
	TASK_CONTROL: (_c, t, o) => (o.taskControl = t.needsControl ? 'Y' : 'N'),
};

/** no select: the stored columns, without relation objects (docs: "only those fields stored in the record"; set assumed) */
const DEFAULT_SELECT = [
	'ID',
	'PARENT_ID',
	'TITLE',
	'DESCRIPTION',
	'PRIORITY',
	'STATUS',
	'GROUP_ID',
	'CREATED_BY',
	'RESPONSIBLE_ID',
	'CREATED_DATE',
	'CHANGED_DATE',
	'CLOSED_DATE',
	'DEADLINE',
	'START_DATE_PLAN',
	'END_DATE_PLAN',
	'CHAT_ID',
];
const RELATION_KEYS = ['group', 'creator', 'responsible'];

export function classicTask(ctx: MethodContext, t: TaskRecord, select: string[]): Obj {
	const out: Obj = {};
	const names = select.length ? ['ID', ...select.filter((s) => s !== 'ID')] : DEFAULT_SELECT;
	for (const name of names) {
		if (name === '*') continue;
		if (name === 'UF_*') {
			// the mask selects every task user field
			for (const uf of ctx.store.taskUserFields.values())
				out[ufKey(uf.fieldName)] = t.uf[uf.fieldName] ?? (uf.multiple ? [] : null);
			continue;
		}
		if (name.startsWith('UF_')) {
			const uf = ctx.store.taskUserFields.get(name);
			if (uf || name in t.uf) out[ufKey(name)] = t.uf[name] ?? (uf?.multiple ? [] : null);
			continue;
		}
		EMITTERS[name]?.(ctx, t, out);
	}
	if (!select.length) for (const k of RELATION_KEYS) delete out[k];
	return out;
}

// ---------- tasks.task.list ----------
const DATE_COLUMNS: Record<string, (t: TaskRecord) => number | null> = {
	DEADLINE: (t) => t.deadline,
	CREATED_DATE: (t) => t.created,
	CHANGED_DATE: (t) => t.changed,
	CLOSED_DATE: (t) => t.closed,
	START_DATE_PLAN: (t) => t.startPlan,
	END_DATE_PLAN: (t) => t.endPlan,
	ACTIVITY_DATE: (t) => t.changed,
};
const INT_COLUMNS: Record<string, (t: TaskRecord) => number | null> = {
	ID: (t) => t.id,
	PARENT_ID: (t) => t.parentId,
	GROUP_ID: (t) => t.groupId,
	CREATED_BY: (t) => t.createdBy,
	RESPONSIBLE_ID: (t) => t.responsibleId,
	REAL_STATUS: (t) => t.status,
	PRIORITY: (t) => Number(PRIORITY_NUMBER[t.priority]),
};

function taskMatches(ctx: MethodContext, t: TaskRecord, key: string, raw: unknown): boolean {
	const { op, field } = splitKey(key);
	const values = toList(raw);
	const now = Date.now();
	if (field in INT_COLUMNS) {
		const actual = INT_COLUMNS[field](t);
		const nums = values.map((v) => toIntV2(v) ?? NaN);
		return compare(op, actual, nums);
	}
	if (field in DATE_COLUMNS) {
		const actual = DATE_COLUMNS[field](t);
		if (values.length === 0 || (values.length === 1 && values[0] === '')) {
			// `DEADLINE: ''` = no deadline; `!DEADLINE: ''` = has one (assumed)
			return op === '!' ? actual !== null : actual === null;
		}
		const wanted = values.map((v) => parseClassicDate(v, ctx.timeZoneOffset) ?? NaN);
		return compare(op, actual, wanted);
	}
	switch (field) {
		case 'STATUS': {
			// meta statuses (docs): -1 overdue, -2 unviewed (never in the sandbox), -3 almost overdue
			const matchOne = (v: unknown) => {
				const n = toIntV2(v);
				if (n === -1) return isOverdue(t, now);
				if (n === -3) return subStatus(t, now) === -3;
				if (n === -2) return false;
				return n === t.status;
			};
			const hit = values.some(matchOne);
			return op === '!' ? !hit : hit;
		}
		case 'TITLE': {
			// without `%` the docs allow a pattern with [%_] wildcards
			if (op === '%' || op === '!%') return compare(op, t.title, values);
			const re = (v: unknown) =>
				new RegExp(
					`^${String(v)
						.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
						.replace(/%/g, '.*')
						.replace(/_/g, '.')}$`,
					'i',
				);
			const hit = values.some((v) => re(v).test(t.title));
			return op === '!' ? !hit : hit;
		}
		case 'ACCOMPLICE':
		case 'AUDITOR':
		case 'MEMBER': {
			const ids =
				field === 'ACCOMPLICE' ? t.accomplices : field === 'AUDITOR' ? t.auditors : t.memberIds;
			const hit = values.some((v) => ids.includes(toIntV2(v) ?? NaN));
			return op === '!' ? !hit : hit;
		}
		case 'TAG': {
			const hit = values.some((v) => t.tags.includes(String(v)));
			return op === '!' ? !hit : hit;
		}
		default:
			if (field.startsWith('UF_')) return compare(op, t.uf[field] ?? null, values);
			// other keys (::SUBFILTER-PARAMS, ONLY_ROOT_TASKS, …) are not modelled: ignored (assumed)
			return true;
	}
}

/** sort keys the docs list; an unknown key → error 0 "Invalid sorting key (internal error)" */
const SORT_KEYS: Record<string, (ctx: MethodContext, t: TaskRecord) => number | string | null> = {
	ID: (_c, t) => t.id,
	TITLE: (_c, t) => t.title.toLowerCase(),
	DEADLINE: (_c, t) => t.deadline,
	CREATED_DATE: (_c, t) => t.created,
	CHANGED_DATE: (_c, t) => t.changed,
	CLOSED_DATE: (_c, t) => t.closed,
	ACTIVITY_DATE: (_c, t) => t.changed,
	START_DATE_PLAN: (_c, t) => t.startPlan,
	END_DATE_PLAN: (_c, t) => t.endPlan,
	DATE_START: (_c, t) => t.startPlan,
	REAL_STATUS: (_c, t) => t.status,
	STATUS: (_c, t) => t.status,
	STATUS_COMPLETE: (_c, t) => (t.status === 5 ? 2 : 1),
	PRIORITY: (_c, t) => Number(PRIORITY_NUMBER[t.priority]),
	MARK: () => 0,
	GROUP_ID: (_c, t) => t.groupId,
	TIME_ESTIMATE: (_c, t) => t.estimatedTime,
	TIME_SPENT_IN_LOGS: () => 0,
	CREATED_BY_LAST_NAME: (c, t) => c.store.user(t.createdBy).lastName.toLowerCase(),
	RESPONSIBLE_LAST_NAME: (c, t) => c.store.user(t.responsibleId).lastName.toLowerCase(),
	ALLOW_CHANGE_DEADLINE: (_c, t) => Number(t.allowsChangeDeadline),
	ALLOW_TIME_TRACKING: (_c, t) => Number(t.allowsTimeTracking),
	MATCH_WORK_TIME: () => 0,
	FAVORITE: () => 0,
	SORTING: () => 0,
	IS_PINNED: () => 0,
	IS_PINNED_IN_GROUP: () => 0,
};

/** NULL sorts as the largest value: last in `asc`, first in `desc` (assumed; MySQL would put NULLs first) */
function cmpNullable(a: number | string | null, b: number | string | null): number {
	if (a === b) return 0;
	if (a === null) return 1;
	if (b === null) return -1;
	return a < b ? -1 : 1;
}

export function sortKeys(raw: unknown): Array<[string, 1 | -1]> {
	// default: descending by ID (docs)
	if (!isObj(raw) || Object.keys(raw).length === 0) return [['ID', -1]];
	return Object.entries(raw).map(([k, d]) => {
		const key = k.toUpperCase();
		if (!SORT_KEYS[key]) throw v2Error(400, '0', 'Invalid sorting key (internal error)');
		return [key, String(d).toLowerCase() === 'desc' ? -1 : 1];
	});
}
function upperSelect(p: Obj): string[] {
	return toList(param(p, 'select')).map((s) => String(s).toUpperCase());
}

function taskList(ctx: MethodContext, p: Obj): ClassicOutput {
	const filter = isObj(param(p, 'filter')) ? (param(p, 'filter') as Obj) : {};
	const keys = sortKeys(param(p, 'order'));
	// administrators see all tasks, others the tasks they take part in (managers' view not modelled)
	const rows = [...ctx.store.tasks.values()]
		.filter((t) => canRead(ctx.store, ctx.userId, t))
		.filter((t) => Object.entries(filter).every(([k, v]) => taskMatches(ctx, t, k, v)))
		.sort((a, b) => {
			for (const [k, dir] of keys) {
				const r = cmpNullable(SORT_KEYS[k](ctx, a), SORT_KEYS[k](ctx, b));
				if (r !== 0) return r * dir;
			}
			return a.id - b.id;
		});
	const select = upperSelect(p);
	const out = page(rows, startOf(p), (t) => classicTask(ctx, t, select));
	return { ...out, result: { tasks: out.result } };
}

function taskGet(ctx: MethodContext, p: Obj): ClassicOutput {
	const taskId = toIntV2(param(p, 'taskId'));
	const task = taskId === undefined ? undefined : ctx.store.tasks.get(taskId);
	if (!task || !canRead(ctx.store, ctx.userId, task)) throw v2.taskNotAccessible();
	return { result: { task: classicTask(ctx, task, upperSelect(p)) } };
}

// ---------- tasks.task.update ----------

const core = (description: string) => v2Error(400, 'ERROR_CORE', `${description}<br>`);
const CLASSIC_STATUSES = [1, 2, 3, 4, 5, 6, 7];

function intList(v: unknown): number[] {
	return toList(v)
		.map((x) => toIntV2(x))
		.filter((x): x is number => x !== undefined);
}

/** classic field names (docs: tasks-task-update.md, fields.md) onto a copy of the task; unknown keys ignored (assumed) */
function applyClassic(ctx: MethodContext, t: TaskRecord, fields: Obj): void {
	const date = (v: unknown) =>
		v === null || v === '' ? null : (parseClassicDate(v, ctx.timeZoneOffset) ?? null);
	const oldRoles = [t.createdBy, t.responsibleId, ...t.accomplices, ...t.auditors];
	for (const [rawKey, value] of Object.entries(fields)) {
		const key = rawKey.toUpperCase();
		switch (key) {
			case 'TITLE':
				t.title = String(value);
				break;
			case 'DESCRIPTION':
				t.description = String(value);
				break;
			case 'DEADLINE':
				t.deadline = date(value);
				break;
			case 'START_DATE_PLAN':
				t.startPlan = date(value);
				break;
			case 'END_DATE_PLAN':
				t.endPlan = date(value);
				break;
			case 'RESPONSIBLE_ID': {
				const id = toIntV2(value);
				if (id === undefined || !ctx.store.users.has(id))
					throw core('The user specified in the "Assignee" field is not found');
				t.responsibleId = id;
				break;
			}
			case 'ACCOMPLICES':
				t.accomplices = intList(value);
				break;
			case 'AUDITORS':
				t.auditors = intList(value);
				break;
			case 'TAGS':
				t.tags = toList(value).map(String);
				break;
			case 'GROUP_ID':
				t.groupId = toIntV2(value) ?? 0;
				break;
			case 'PRIORITY': {
				const n = toIntV2(value);
				t.priority = n === 2 ? 'high' : n === 0 ? 'low' : 'average';
				break;
			}
			case 'STATUS': {
				const n = toIntV2(value);
				if (n === undefined || !CLASSIC_STATUSES.includes(n)) throw core('Invalid status');
				if (n !== t.status) {
					t.status = n;
					t.statusChanged = Date.now();
					t.closed = n === 5 ? Date.now() : null;
				}
				break;
			}
			case 'PARENT_ID': {
				const id = toIntV2(value) ?? 0;
				if (id === t.id) throw core('Cannot bind the node to itself');
				if (id && !ctx.store.tasks.has(id))
					throw core('The task specified in the "Parent task" field is not found');
				t.parentId = id || null;
				break;
			}
			default:
				// UF_* of a defined task user field; others are ignored (assumed)
				if (key.startsWith('UF_') && ctx.store.taskUserFields.has(key)) t.uf[key] = value;
		}
	}
	if (t.startPlan !== null && t.endPlan !== null && t.endPlan < t.startPlan)
		throw core('In deadline planning, the end date is earlier than the start date');
	t.changed = Date.now();
	t.changedBy = ctx.userId;
	const extra = t.memberIds.filter((id) => !oldRoles.includes(id));
	t.memberIds = [
		...new Set([t.createdBy, t.responsibleId, ...t.accomplices, ...t.auditors, ...extra]),
	];
}

const FULL_SELECT = [...DEFAULT_SELECT, 'ACCOMPLICES', 'AUDITORS', 'TAGS'];

function withUf(ctx: MethodContext): string[] {
	return [...FULL_SELECT, ...ctx.store.taskUserFields.keys()];
}

function taskUpdate(ctx: MethodContext, p: Obj): ClassicOutput {
	const rawId = param(p, 'taskId');
	if (rawId === undefined || rawId === null || rawId === '') {
		throw v2Error(
			400,
			'100',
			'CTaskItem All parameters in the constructor must have real class type (internal error)',
		);
	}
	const taskId = toIntV2(rawId);
	if (taskId === undefined) throw v2Error(400, '0', 'wrong task id');
	const fields = param(p, 'fields');
	if (!isObj(fields) || Object.keys(fields).length === 0) {
		throw v2Error(400, '100', 'Could not find value for parameter {fields} (internal error)');
	}
	const t = ctx.store.tasks.get(taskId);
	// no edit right, or no such task: the same answer (assumed for a missing task)
	if (!t || !canEdit(ctx.store, ctx.userId, t)) {
		throw v2Error(400, '0', 'Action on the task is not allowed (internal error)');
	}
	const next = structuredClone(t);
	applyClassic(ctx, next, fields);
	ctx.store.tasks.set(taskId, next);
	return { result: { task: classicTask(ctx, next, withUf(ctx)) } };
}
// ---------- task.item.userfield.getlist ----------

function userFieldList(ctx: MethodContext): ClassicOutput {
	return {
		result: [...ctx.store.taskUserFields.values()].map((f) => ({
			ID: String(f.id),
			ENTITY_ID: 'TASKS_TASK',
			FIELD_NAME: f.fieldName,
			USER_TYPE_ID: f.userTypeId,
			XML_ID: null,
			SORT: '100',
			MULTIPLE: f.multiple ? 'Y' : 'N',
			MANDATORY: f.mandatory ? 'Y' : 'N',
			SHOW_FILTER: 'N',
			SHOW_IN_LIST: 'Y',
			EDIT_IN_LIST: 'Y',
			IS_SEARCHABLE: 'N',
			SETTINGS: {},
			EDIT_FORM_LABEL: f.label,
			LIST_COLUMN_LABEL: f.label,
		})),
	};
}

/** registered in CLASSIC_METHODS (classic.ts); these replace its simpler tasks.task.list / get */
export const CLASSIC_TASK_METHODS: Record<string, ClassicMethodDef> = {
	'tasks.task.list': { scope: 'task', run: taskList },
	'tasks.task.get': { scope: 'task', run: taskGet },
	'tasks.task.update': { scope: 'task', run: taskUpdate },
	'task.item.userfield.getlist': { scope: 'task', run: userFieldList },
};
