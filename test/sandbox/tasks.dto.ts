// TaskDto of the REST 3.0 task methods: field table, dates in the portal's offset, item mapping,
// access rules and the rights map (reference bitrix24-tasks-v3.md §3, §4).
import { v3 } from './errors';
import type { Obj } from './params';
import type { Store } from './state';
import type { TaskRecord } from './types';

/** how a value in `fields` is type-checked (REQUESTVALIDATION "requires data type") */
export type FieldKind =
	| 'int'
	| 'intNull'
	| 'string'
	| 'stringNull'
	| 'bool'
	| 'dateTime'
	| 'intArray'
	| 'stringArray'
	| 'array'
	| 'relation';

export interface TaskField {
	name: string;
	/** what tasks.task.field.list reports: int | string | bool | array | float | object */
	type: 'int' | 'string' | 'bool' | 'array' | 'float' | 'object';
	kind: FieldKind;
	/** accepted in `fields` of add/update (Editable or Required(add)) */
	writable: boolean;
	requiredOnAdd?: boolean;
	sortable?: boolean;
	/** in the default set of get (and of the add answer) */
	get?: boolean;
	/** emitted by list when selected */
	list?: boolean;
}

const f = (
	name: string,
	kind: FieldKind,
	opts: Partial<Omit<TaskField, 'name' | 'kind' | 'type'>> = {},
): TaskField => {
	const type: TaskField['type'] =
		kind === 'int' || kind === 'intNull'
			? 'int'
			: kind === 'string' || kind === 'stringNull'
				? 'string'
				: kind === 'bool'
					? 'bool'
					: kind === 'intArray' || kind === 'stringArray' || kind === 'array'
						? 'array'
						: 'object';
	return { name, type, kind, writable: false, ...opts };
};
const W = { writable: true };
const WG = { writable: true, get: true };
const WGL = { writable: true, get: true, list: true };
const GL = { get: true, list: true };

/** TaskDto in the order of the get default set (docs example of tasks.task.add), then the rest */
export const TASK_FIELDS: TaskField[] = [
	f('id', 'int', { sortable: true, ...GL }),
	f('title', 'string', { ...WGL, requiredOnAdd: true, sortable: true }),
	f('description', 'string', WGL),
	f('deadline', 'dateTime', { ...WGL, sortable: true }),
	f('needsControl', 'bool', WGL),
	f('startPlan', 'dateTime', { ...WGL, sortable: true }),
	f('endPlan', 'dateTime', { ...WGL, sortable: true }),
	f('fileIds', 'intArray', WG),
	f('checklist', 'intArray', WG),
	f('epicId', 'intNull', WG),
	f('storyPoints', 'intNull', WG),
	f('priority', 'string', { ...WGL, sortable: true }),
	f('status', 'string', { ...WGL, sortable: true }),
	f('statusChanged', 'dateTime', WGL),
	f('parentId', 'intNull', WGL),
	f('containsChecklist', 'bool', WG),
	f('containsSubTasks', 'bool', WG),
	f('containsRelatedTasks', 'bool', WG),
	f('containsGanttLinks', 'bool', WG),
	f('containsPlacements', 'bool', WG),
	f('containsResults', 'bool', WG),
	f('numberOfReminders', 'int', WG),
	f('chatId', 'int', WGL),
	f('plannedDuration', 'int', WGL),
	f('actualDuration', 'int', WGL),
	f('durationType', 'string', WGL),
	f('started', 'dateTime', { ...WGL, sortable: true }),
	f('estimatedTime', 'int', { ...WGL, sortable: true }),
	f('replicate', 'bool', WG),
	f('changed', 'dateTime', { ...WGL, sortable: true }),
	f('closed', 'dateTime', { ...WGL, sortable: true }),
	f('activity', 'dateTime', { ...WGL, sortable: true }),
	f('guid', 'stringNull', WGL),
	f('xmlId', 'stringNull', WGL),
	f('exchangeId', 'stringNull', WGL),
	f('exchangeModified', 'stringNull', WGL),
	f('outlookVersion', 'int', WGL),
	f('mark', 'string', { ...WGL, sortable: true }),
	f('allowsChangeDeadline', 'bool', { ...WGL, sortable: true }),
	f('allowsTimeTracking', 'bool', { ...WGL, sortable: true }),
	f('matchesWorkTime', 'bool', WGL),
	f('addInReport', 'bool', WGL),
	f('isMultitask', 'bool', WGL),
	f('siteId', 'string', WGL),
	f('deadlineCount', 'intNull', WGL),
	f('declineReason', 'stringNull', WG),
	f('forumTopicId', 'intNull', WGL),
	f('link', 'string', WG),
	f('rights', 'relation', WG),
	f('archiveLink', 'string', WG),
	f('crmItemIds', 'stringArray', WGL),
	f('requireResult', 'bool', WG),
	f('matchesSubTasksTime', 'bool', WG),
	f('autocompleteSubTasks', 'bool', WG),
	f('allowsChangeDatePlan', 'bool', WG),
	f('maxDeadlineChangeDate', 'dateTime', WG),
	f('maxDeadlineChanges', 'intNull', WG),
	f('requireDeadlineChangeReason', 'bool', WG),
	f('inFavorite', 'intArray', WG),
	f('inPin', 'intArray', WG),
	f('inGroupPin', 'intArray', WG),
	f('inMute', 'intArray', WG),
	f('dependsOn', 'array', WG),
	f('scenarios', 'stringArray', WG),
	// not in the get default set
	f('creatorId', 'int', { writable: true, requiredOnAdd: true, sortable: true, list: true }),
	f('responsibleId', 'int', { writable: true, requiredOnAdd: true, sortable: true, list: true }),
	f('created', 'dateTime', { sortable: true, list: true }),
	f('groupId', 'intNull', { writable: true, sortable: true, list: true }),
	f('stageId', 'intNull', W),
	f('flowId', 'intNull', { writable: true, list: true }),
	f('changedById', 'int', { writable: true, list: true }),
	f('statusChangedById', 'int', { writable: true, list: true }),
	f('closedById', 'int', W),
	f('forkedByTemplateId', 'int', W),
	f('emailId', 'intNull', W),
	f('reminders', 'array', W),
	f('crmItems', 'relation', { list: true }),
	f('tags', 'relation', { list: true }),
	f('creator', 'relation'),
	f('responsible', 'relation'),
	f('changedBy', 'relation'),
	f('statusChangedBy', 'relation'),
	f('closedBy', 'relation'),
	f('accomplices', 'relation'),
	f('auditors', 'relation'),
	f('group', 'relation'),
	f('stage', 'relation'),
	f('flow', 'relation'),
	f('chat', 'relation'),
	f('parent', 'relation'),
	f('userFields', 'relation'),
	f('elapsedTime', 'relation'),
	f('source', 'relation'),
	f('email', 'relation'),
	f('forkedByTemplate', 'relation'),
];

export const FIELD_BY_NAME = new Map(TASK_FIELDS.map((x) => [x.name, x]));
export const DEFAULT_GET_SET = TASK_FIELDS.filter((x) => x.get).map((x) => x.name);
/** relation objects list emits when they are named as plain select items (reference §5) */
export const LIST_RELATIONS = new Set([
	'creator',
	'responsible',
	'group',
	'flow',
	'changedBy',
	'statusChangedBy',
	'accomplices',
	'auditors',
]);

const USER_DTO = ['id', 'name', 'role', 'image', 'gender', 'email', 'externalAuthId', 'rights'];
/** sub-fields of each relation (UNKNOWNDTOPROPERTY for others); `parent` takes TaskDto names */
export const RELATION_FIELDS: Record<string, { dto: string; fields: string[] }> = {
	creator: { dto: 'UserDto', fields: USER_DTO },
	responsible: { dto: 'UserDto', fields: USER_DTO },
	changedBy: { dto: 'UserDto', fields: USER_DTO },
	statusChangedBy: { dto: 'UserDto', fields: USER_DTO },
	closedBy: { dto: 'UserDto', fields: USER_DTO },
	accomplices: { dto: 'UserDto', fields: USER_DTO },
	auditors: { dto: 'UserDto', fields: USER_DTO },
	group: { dto: 'GroupDto', fields: ['id', 'name', 'image', 'type', 'isVisible'] },
	stage: { dto: 'StageDto', fields: ['id', 'title', 'color'] },
	flow: { dto: 'FlowDto', fields: ['id', 'name'] },
	chat: { dto: 'ChatDto', fields: ['id', 'entityId', 'entityType'] },
	parent: { dto: 'TaskDto', fields: TASK_FIELDS.map((x) => x.name) },
	tags: { dto: 'TagDto', fields: ['id', 'name', 'ownerId', 'groupId', 'taskId'] },
	userFields: { dto: 'UserFieldDto', fields: ['id', 'key', 'value'] },
	crmItems: { dto: 'CrmItemDto', fields: ['id', 'type', 'title'] },
	elapsedTime: { dto: 'ElapsedTimeDto', fields: ['id', 'userId', 'seconds', 'text'] },
	source: { dto: 'SourceDto', fields: ['type', 'data'] },
	email: { dto: 'EmailDto', fields: ['id', 'mailboxId', 'title'] },
	forkedByTemplate: { dto: 'TemplateDto', fields: ['id', 'title'] },
	rights: { dto: 'TaskRightsDto', fields: [] },
};

// ---------- statuses, priorities ----------

/** classic real status number → v3 status string (reference §4; 1 "new" reads as pending) */
export const STATUS_NAMES: Record<number, string> = {
	1: 'pending',
	2: 'pending',
	3: 'in_progress',
	4: 'supposedly_completed',
	5: 'completed',
	6: 'deferred',
	7: 'declined',
};
export const STATUS_NUMBERS: Record<string, number> = {
	pending: 2,
	in_progress: 3,
	supposedly_completed: 4,
	completed: 5,
	deferred: 6,
	declined: 7,
};
export const PRIORITIES = ['low', 'average', 'high'] as const;
/** source enum (docs say P/N/null — conflict noted in the reference) */
export const MARKS = ['positive', 'negative', 'none'];

// ---------- dates ----------

export const DEFAULT_TIME_ZONE = '+03:00';

export function offsetMinutes(offset: string | undefined): number {
	const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset ?? DEFAULT_TIME_ZONE);
	if (!m) return 180;
	return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** epoch ms → `2026-12-31T18:00:00+03:00` in the given portal offset */
export function formatDate(ms: number | null, offset: string | undefined): string | null {
	if (ms === null) return null;
	const mins = offsetMinutes(offset);
	const local = new Date(ms + mins * 60_000).toISOString().slice(0, 19);
	const sign = mins < 0 ? '-' : '+';
	const abs = Math.abs(mins);
	const hh = String(Math.floor(abs / 60)).padStart(2, '0');
	const mm = String(abs % 60).padStart(2, '0');
	return `${local}${sign}${hh}:${mm}`;
}

const DATE_ATOM = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})([+-])(\d{2}):(\d{2})$/;

/**
 * PHP DATE_ATOM only (`Y-m-d\TH:i:sP`): `Z` and fractional seconds are refused by the sandbox
 * (reference §7.8: UNCONFIRMED on a portal — the node should send `+00:00`).
 */
export function parseDateAtom(v: string): number | undefined {
	const m = DATE_ATOM.exec(v);
	if (!m) return undefined;
	const ms = Date.parse(v);
	if (Number.isNaN(ms)) return undefined;
	const [, , mo, d, h, mi, s] = m.map(Number);
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
	return ms;
}

// ---------- access ----------

export function canRead(store: Store, userId: number, t: TaskRecord): boolean {
	// admin sees all (reference §3.3); members read; members of the task's workgroup read its tasks (the
	// group "view all" rule, on by default for members — assumed); managers/department rules are not modelled
	if (store.isAdmin(userId) || t.memberIds.includes(userId)) return true;
	return t.groupId > 0 && (store.groups.get(t.groupId)?.memberIds.includes(userId) ?? false);
}

/** ACTION_TASK_SAVE on an existing task: admin or creator (docs: "creator or user with edit right") */
export function canEdit(store: Store, userId: number, t: TaskRecord): boolean {
	return store.isAdmin(userId) || t.createdBy === userId;
}

/** ACTION_TASK_REMOVE: admin or creator (director delete permission assumed on) */
export function canDelete(store: Store, userId: number, t: TaskRecord): boolean {
	return store.isAdmin(userId) || t.createdBy === userId;
}

export const RIGHT_KEYS = [
	'read',
	'watch',
	'mute',
	'createSubtask',
	'createResult',
	'edit',
	'remove',
	'complete',
	'approve',
	'disapprove',
	'start',
	'take',
	'delegate',
	'defer',
	'renew',
	'deadline',
	'datePlan',
	'changeDirector',
	'changeResponsible',
	'changeAccomplices',
	'pause',
	'timeTracking',
	'mark',
	'changeStatus',
	'reminder',
	'addAuditors',
	'elapsedTime',
	'favorite',
	'checklistAdd',
	'checklistEdit',
	'checklistSave',
	'checklistToggle',
	'automate',
	'resultEdit',
	'completeResult',
	'removeResult',
	'resultRead',
	'admin',
	'copy',
	'saveAsTemplate',
	'attachFile',
	'detachFile',
	'detachParent',
	'createGanttDependence',
	'sort',
] as const;

/** the flat rights map of access.get and of the item's `rights` (role-based approximation) */
export function rightsOf(store: Store, userId: number, t: TaskRecord | undefined): Obj {
	const admin = store.isAdmin(userId);
	const read = t ? canRead(store, userId, t) : admin;
	const edit = t ? canEdit(store, userId, t) : admin;
	const remove = t ? canDelete(store, userId, t) : admin;
	const responsible = t?.responsibleId === userId;
	const member = t?.memberIds.includes(userId) ?? false;
	const closed = t?.status === 5;
	const r: Obj = {};
	for (const k of RIGHT_KEYS) r[k] = read;
	Object.assign(r, {
		edit,
		remove,
		complete: !closed && (edit || responsible),
		changeStatus: edit || responsible,
		start: !closed && (edit || responsible),
		approve: edit && t?.status === 4,
		disapprove: edit && t?.status === 4,
		renew: closed && (edit || responsible),
		take: false,
		pause: false,
		deadline: edit,
		datePlan: edit,
		changeDirector: admin,
		changeResponsible: edit,
		changeAccomplices: edit,
		resultEdit: false,
		removeResult: false,
		admin,
		attachFile: edit || member,
		detachFile: edit,
		detachParent: edit,
		sort: false,
	});
	return r;
}

// ---------- item mapping ----------

export interface MapContext {
	store: Store;
	userId: number;
	timeZone?: string;
}

function userDto(mc: MapContext, id: number): Obj {
	const u = mc.store.user(id);
	return {
		id: u.id,
		name: `${u.name}${u.lastName ? ` ${u.lastName}` : ''}`,
		role: 'employee',
		image: null,
		gender: null,
		email: u.email || null,
		externalAuthId: null,
		rights: null,
	};
}

function relationValue(mc: MapContext, t: TaskRecord, rel: string): unknown {
	switch (rel) {
		case 'creator':
			return userDto(mc, t.createdBy);
		case 'responsible':
			return userDto(mc, t.responsibleId);
		case 'changedBy':
			return userDto(mc, t.changedBy);
		case 'statusChangedBy':
			return t.statusChanged === null ? null : userDto(mc, t.changedBy);
		case 'closedBy':
			return t.closed === null ? null : userDto(mc, t.changedBy);
		case 'accomplices':
			return t.accomplices.map((id) => userDto(mc, id));
		case 'auditors':
			return t.auditors.map((id) => userDto(mc, id));
		case 'group': {
			if (!t.groupId) return null;
			const g = mc.store.groups.get(t.groupId);
			return {
				id: t.groupId,
				name: g?.name ?? `Group ${t.groupId}`,
				image: null,
				type: g?.project ? 'project' : 'group',
				isVisible: g?.visible ?? true,
			};
		}
		case 'chat':
			return t.chatId === null ? null : { id: t.chatId, entityId: t.id, entityType: 'TASKS_TASK' };
		case 'parent': {
			const p = t.parentId === null ? undefined : mc.store.tasks.get(t.parentId);
			return p ? mapTask(mc, p, DEFAULT_GET_SET) : null;
		}
		case 'tags':
			return t.tags.map((name, i) => ({
				id: t.id * 100 + i + 1,
				name,
				ownerId: t.createdBy,
				groupId: t.groupId || null,
				taskId: t.id,
			}));
		case 'userFields':
			return [...mc.store.taskUserFields.values()].map((uf) => ({
				id: uf.id,
				key: uf.fieldName,
				value: t.uf[uf.fieldName] ?? (uf.multiple ? [] : null),
			}));
		case 'crmItems':
			return t.crmItemIds.map((id) => ({ id, type: id.split('_')[0], title: id }));
		case 'rights':
			return rightsOf(mc.store, mc.userId, t);
		case 'elapsedTime':
			return [];
		default:
			return null;
	}
}

function flatValue(mc: MapContext, t: TaskRecord, name: string): unknown {
	if (name in t.extra) return t.extra[name];
	const d = (ms: number | null) => formatDate(ms, mc.timeZone);
	switch (name) {
		case 'id':
		case 'title':
		case 'description':
		case 'priority':
		case 'parentId':
		case 'chatId':
		case 'needsControl':
		case 'allowsChangeDeadline':
		case 'allowsTimeTracking':
		case 'estimatedTime':
			return t[name];
		case 'creatorId':
			return t.createdBy;
		case 'responsibleId':
			return t.responsibleId;
		case 'groupId':
			return t.groupId || null;
		case 'status':
			return STATUS_NAMES[t.status] ?? 'pending';
		case 'deadline':
		case 'startPlan':
		case 'endPlan':
		case 'created':
		case 'changed':
		case 'closed':
		case 'statusChanged':
			return d(t[name]);
		case 'activity':
			return d(t.changed);
		case 'changedById':
			return t.changedBy;
		case 'statusChangedById':
			return t.statusChanged === null ? null : t.changedBy;
		case 'fileIds':
			return t.fileIds.length ? [...t.fileIds] : null;
		case 'crmItemIds':
			return [...t.crmItemIds];
		case 'containsResults':
			return [...mc.store.results.values()].some((r) => r.taskId === t.id);
		case 'containsSubTasks':
			return [...mc.store.tasks.values()].some((x) => x.parentId === t.id);
		case 'guid':
			return `{00000000-0000-4000-8000-${String(t.id).padStart(12, '0')}}`;
		case 'siteId':
			return 's1';
		case 'outlookVersion':
			return 1;
		case 'mark':
			return 'none';
		case 'durationType':
			return 'days';
		case 'scenarios':
			return ['default'];
		case 'link':
			return t.groupId
				? `/workgroups/group/${t.groupId}/tasks/task/view/${t.id}/`
				: `/company/personal/user/${mc.userId}/tasks/task/view/${t.id}/`;
		case 'archiveLink':
			return `/bitrix/tools/disk/uf.php?entityId=${t.id}&entity=TASKS_TASK&fieldName=UF_TASK_WEBDAV_FILES&action=downloadArchiveByEntity&ncc=1`;
		case 'rights':
			return rightsOf(mc.store, mc.userId, t);
		case 'tags':
		case 'crmItems':
			return relationValue(mc, t, name);
		case 'checklist':
		case 'inFavorite':
		case 'inPin':
		case 'inGroupPin':
		case 'inMute':
		case 'dependsOn':
			return [];
		case 'numberOfReminders':
		case 'plannedDuration':
		case 'actualDuration':
			return 0;
		case 'replicate':
		case 'containsChecklist':
		case 'containsRelatedTasks':
		case 'containsGanttLinks':
		case 'containsPlacements':
		case 'matchesWorkTime':
		case 'isMultitask':
		case 'requireResult':
		case 'matchesSubTasksTime':
		case 'autocompleteSubTasks':
		case 'allowsChangeDatePlan':
		case 'requireDeadlineChangeReason':
			return false;
		default:
			return null;
	}
}

/** fields = plain names; relations = relation name → requested sub-fields (empty = all) */
export function mapTask(
	mc: MapContext,
	t: TaskRecord,
	fields: readonly string[],
	relations: Map<string, string[]> = new Map(),
): Obj {
	const out: Obj = {};
	for (const name of fields) out[name] = flatValue(mc, t, name);
	for (const [rel, sub] of relations) {
		const value = relationValue(mc, t, rel);
		const pick = (o: unknown) => {
			if (!sub.length || o === null || typeof o !== 'object') return o;
			const src = o as Obj;
			const r: Obj = {};
			for (const k of sub) r[k] = src[k] ?? null;
			return r;
		};
		out[rel] = Array.isArray(value) ? value.map(pick) : pick(value);
	}
	return out;
}

/** parses `select` for get/list: plain TaskDto names and `relation.sub` paths */
export function parseTaskSelect(raw: unknown): {
	plain: string[];
	relations: Map<string, string[]>;
} {
	const relations = new Map<string, string[]>();
	const plain: string[] = [];
	if (raw === undefined || raw === null) return { plain, relations };
	if (!Array.isArray(raw) || !raw.every((x) => typeof x === 'string')) {
		throw v3.invalidSelect(`Unable to recognize select expression ${JSON.stringify(raw)}`);
	}
	for (const name of raw as string[]) {
		const dot = name.indexOf('.');
		if (dot === -1) {
			if (!FIELD_BY_NAME.has(name)) throw v3.unknownProperty(name, 'TaskDto');
			plain.push(name);
			continue;
		}
		const rel = name.slice(0, dot);
		const sub = name.slice(dot + 1);
		const def = RELATION_FIELDS[rel];
		if (!def) throw v3.unknownProperty(FIELD_BY_NAME.has(rel) ? name : rel, 'TaskDto');
		if (sub !== '*' && !def.fields.includes(sub)) throw v3.unknownProperty(sub, def.dto);
		const list = relations.get(rel) ?? [];
		if (sub !== '*') list.push(sub);
		relations.set(rel, list);
	}
	return { plain, relations };
}
