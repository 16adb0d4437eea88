// REST 3.0 task methods: tasks.task.add/get/update/delete here, list in tasks.v3.list.ts, the others in
// tasks.v3.related.ts; the registry per tasks-module version (reference bitrix24-tasks-v3.md).
// Fidelity notes inline: "assumed" = the sandbox's choice where the reference is silent or UNCONFIRMED.
import { v3, type ValidationItem } from './errors';
import { isInt, type Obj } from './params';
import type { MethodContext, V3MethodDef } from './results.v3';
import { taskMembers } from './state';
import {
	canDelete,
	canEdit,
	canRead,
	DEFAULT_GET_SET,
	FIELD_BY_NAME,
	mapTask,
	MARKS,
	parseDateAtom,
	parseTaskSelect,
	PRIORITIES,
	STATUS_NUMBERS,
	TASK_FIELDS,
	type TaskField,
} from './tasks.dto';
import { list } from './tasks.v3.list';
import { has, mc, missing, requireFieldsParam, requireIntParam, typeMsg } from './tasks.v3.params';
import { accessGet, chatSend, fieldGet, fieldList, fileAttach } from './tasks.v3.related';
import type { TaskPriority, TaskRecord, TasksV3Mode } from './types';

const KIND_TYPE: Record<string, string> = {
	int: 'int',
	intNull: 'int',
	string: 'string',
	stringNull: 'string',
	bool: 'bool',
	dateTime: 'DateTime',
	intArray: 'array',
	stringArray: 'array',
	array: 'array',
};

/** request-level conversion of `fields` (FieldsConverter): unknown names, JSON types, dates */
function convertFields(fields: Obj): Obj {
	const typeErrors: ValidationItem[] = [];
	const out: Obj = {};
	for (const [name, value] of Object.entries(fields)) {
		const def = FIELD_BY_NAME.get(name);
		// UF_* included: TaskDto has no user-field binding (reference §4)
		if (!def) throw v3.unknownProperty(name, 'TaskDto');
		if (value === null || def.kind === 'relation') {
			out[name] = value;
			continue;
		}
		let ok = true;
		switch (def.kind) {
			case 'int':
			case 'intNull':
				ok = isInt(value);
				break;
			case 'string':
			case 'stringNull':
				ok = typeof value === 'string';
				break;
			case 'bool':
				// JSON booleans only (reference §4: "N" would become true on a portal — the sandbox refuses it)
				ok = typeof value === 'boolean';
				break;
			case 'dateTime':
				ok = typeof value === 'string' && parseDateAtom(value) !== undefined;
				break;
			case 'intArray':
				ok = Array.isArray(value) && value.every(isInt);
				break;
			case 'stringArray':
				ok = Array.isArray(value) && value.every((x) => typeof x === 'string');
				break;
			case 'array':
				ok = Array.isArray(value);
				break;
		}
		if (!ok) typeErrors.push(typeMsg(name, KIND_TYPE[def.kind]));
		out[name] = def.kind === 'dateTime' ? parseDateAtom(value as string) : value;
	}
	if (typeErrors.length) throw v3.requestValidation(typeErrors);
	return out;
}

/** DTO validation (group `add` / `update`): required, editable, enum values */
function validateDto(fields: Obj, group: 'add' | 'update'): void {
	const dto: ValidationItem[] = [];
	if (group === 'add') {
		for (const def of TASK_FIELDS) {
			if (!def.requiredOnAdd) continue;
			const v = fields[def.name];
			if (v === undefined || v === null || v === '') dto.push(missing(def.name));
		}
	}
	for (const name of Object.keys(fields)) {
		const def = FIELD_BY_NAME.get(name) as TaskField;
		// accomplices, auditors, tags, userFields and other relations are not Editable (reference §4, §7.1)
		if (!def.writable) {
			dto.push({ field: name, message: `Field \`${name}\` is not available for filling` });
		}
	}
	// enum checks: messages not documented (assumed)
	const en = (name: string, values: readonly string[]) => {
		if (
			fields[name] !== undefined &&
			fields[name] !== null &&
			!values.includes(fields[name] as string)
		)
			dto.push({
				field: name,
				message: `Field \`${name}\` must be one of: ${values.join(', ')}`,
			});
	};
	en('priority', PRIORITIES);
	en('status', Object.keys(STATUS_NUMBERS));
	en('mark', MARKS);
	if (dto.length) throw v3.dtoValidation(dto);
}

/** command-validation messages as each docs page words them (D-ADD, D-UPD) */
const COMMAND_MESSAGES = {
	add: {
		responsible: 'User specified in the "Executor" field not found',
		parent: 'Task specified in the "Parent Task" field not found',
		self: 'Task specified in the "Parent Task" field not found',
		endPlan: 'The end date specified in the planning is earlier than the start date',
	},
	update: {
		responsible: 'The user specified in the "Responsible" field was not found',
		parent: 'The task specified in the "Parent Task" field was not found',
		self: 'Cannot bind a node to itself',
		endPlan: 'The specified end date is earlier than the start date in the planning',
	},
};

/** command validation of add/update (REQUESTVALIDATION, docs D-ADD / D-UPD) */
function validateCommand(ctx: MethodContext, next: TaskRecord, group: 'add' | 'update'): void {
	const msg = COMMAND_MESSAGES[group];
	const errors: ValidationItem[] = [];
	if (!ctx.store.users.has(next.responsibleId)) {
		errors.push({ field: 'responsibleId', message: msg.responsible });
	}
	if (!ctx.store.users.has(next.createdBy)) {
		// the docs leave this message empty (""); the sandbox names the field (assumed)
		errors.push({ field: 'creatorId', message: 'User specified in the "Creator" field not found' });
	}
	if (next.parentId !== null) {
		const parent = ctx.store.tasks.get(next.parentId);
		if (next.parentId === next.id) errors.push({ field: 'parentId', message: msg.self });
		else if (!parent || !canRead(ctx.store, ctx.userId, parent)) {
			errors.push({ field: 'parentId', message: msg.parent });
		}
	}
	if (next.startPlan !== null && next.endPlan !== null && next.endPlan < next.startPlan) {
		errors.push({ field: 'endPlan', message: msg.endPlan });
	}
	if (errors.length) throw v3.requestValidation(errors);
}

/** group rule: a non-admin may put a task only into a group they belong to (assumed 403) */
function checkGroup(ctx: MethodContext, groupId: number): void {
	if (!groupId || ctx.store.isAdmin(ctx.userId)) return;
	const g = ctx.store.groups.get(groupId);
	if (!g || !g.memberIds.includes(ctx.userId)) throw v3.accessDenied(403);
}

/** writes converted `fields` onto a task record */
function apply(ctx: MethodContext, t: TaskRecord, fields: Obj): void {
	const now = Date.now();
	const oldRoles = [t.createdBy, t.responsibleId, ...t.accomplices, ...t.auditors];
	for (const [name, value] of Object.entries(fields)) {
		switch (name) {
			case 'title':
			case 'description':
				t[name] = String(value ?? '');
				break;
			case 'creatorId':
				t.createdBy = value as number;
				break;
			case 'responsibleId':
				t.responsibleId = value as number;
				break;
			case 'groupId':
				t.groupId = (value as number | null) ?? 0;
				break;
			case 'deadline':
			case 'startPlan':
			case 'endPlan':
				t[name] = (value as number | null) ?? null;
				break;
			case 'priority':
				// null is "not given" for most fields (reference §7.5, assumed)
				if (value !== null) t.priority = value as TaskPriority;
				break;
			case 'status':
				if (value !== null && STATUS_NUMBERS[value as string] !== t.status) {
					t.status = STATUS_NUMBERS[value as string];
					t.statusChanged = now;
					t.closed = t.status === 5 ? now : null;
				}
				break;
			case 'parentId':
				t.parentId = (value as number | null) ?? null;
				break;
			case 'needsControl':
			case 'allowsChangeDeadline':
			case 'allowsTimeTracking':
				if (value !== null) t[name] = value as boolean;
				break;
			case 'estimatedTime':
				if (value !== null) t.estimatedTime = value as number;
				break;
			case 'crmItemIds':
				t.crmItemIds = [...((value as string[] | null) ?? [])];
				break;
			case 'fileIds':
				t.fileIds = [...((value as number[] | null) ?? [])];
				break;
			// computed fields (statusChanged, changed, closed, chatId, …): writes are ignored (reference §4 †)
			case 'statusChanged':
			case 'changed':
			case 'closed':
			case 'activity':
			case 'started':
			case 'chatId':
			case 'changedById':
			case 'statusChangedById':
			case 'closedById':
			case 'forkedByTemplateId':
			case 'outlookVersion':
			case 'deadlineCount':
			case 'forumTopicId':
			case 'link':
			case 'archiveLink':
			case 'rights':
			case 'checklist':
			case 'numberOfReminders':
			case 'inFavorite':
			case 'inPin':
			case 'inGroupPin':
			case 'inMute':
				break;
			default:
				if (name.startsWith('contains')) break;
				t.extra[name] = value;
		}
	}
	t.changed = now;
	t.changedBy = ctx.userId;
	const extra = t.memberIds.filter((id) => !oldRoles.includes(id));
	t.memberIds = taskMembers(t, extra);
}

/** a task the caller may read, or the §3.6 answer for get */
function readableForGet(ctx: MethodContext, id: number): TaskRecord {
	const t = ctx.store.tasks.get(id);
	if (t && canRead(ctx.store, ctx.userId, t)) return t;
	// missing id: admins pass the access check and hit ENTITYNOTFOUND; everyone else 403 (§3.6)
	if (!t && ctx.store.isAdmin(ctx.userId)) throw v3.entityNotFound(id);
	throw v3.accessDenied(403);
}

function getSelect(raw: unknown): { fields: string[]; relations: Map<string, string[]> } {
	const { plain, relations } = parseTaskSelect(raw);
	// names that TaskDto has but the get mapper never emits are silently omitted (reference §3.3)
	const flat = plain.filter((n) => FIELD_BY_NAME.get(n)?.kind !== 'relation');
	for (const n of plain) if (FIELD_BY_NAME.get(n)?.kind === 'relation') relations.set(n, []);
	const emitted = new Set(DEFAULT_GET_SET);
	const fields = flat.length
		? ['id', ...flat.filter((n) => n !== 'id' && emitted.has(n))]
		: [...DEFAULT_GET_SET];
	relations.delete('rights');
	if (plain.includes('rights') && flat.length) fields.push('rights');
	return { fields, relations };
}

// ---------- methods ----------

function add(ctx: MethodContext, p: Obj): unknown {
	const raw = requireFieldsParam(p);
	const fields = convertFields(raw);
	validateDto(fields, 'add');
	const admin = ctx.store.isAdmin(ctx.userId);
	const creatorId = fields.creatorId as number;
	const responsibleId = fields.responsibleId as number;
	// creatorId ≠ caller is a director change: a non-admin passes only as the responsible (§3.1)
	if (!admin && creatorId !== ctx.userId && responsibleId !== ctx.userId)
		throw v3.accessDenied(403);
	checkGroup(ctx, (fields.groupId as number | null) ?? 0);
	const now = Date.now();
	const id = ctx.store.newTaskId();
	const t: TaskRecord = {
		id,
		title: '',
		memberIds: [],
		groupId: 0,
		// the new card creates the task chat with the task (docs example: chatId set on add)
		chatId: ctx.store.newChatId(),
		status: 2,
		description: '',
		createdBy: creatorId,
		responsibleId,
		accomplices: [],
		auditors: [],
		deadline: null,
		startPlan: null,
		endPlan: null,
		priority: 'average',
		parentId: null,
		created: now,
		changed: now,
		closed: null,
		changedBy: ctx.userId,
		statusChanged: null,
		needsControl: false,
		allowsChangeDeadline: false,
		allowsTimeTracking: false,
		estimatedTime: 0,
		crmItemIds: [],
		fileIds: [],
		tags: [],
		uf: {},
		extra: {},
	};
	apply(ctx, t, fields);
	validateCommand(ctx, t, 'add');
	ctx.store.tasks.set(id, t);
	return { item: mapTask(mc(ctx), t, DEFAULT_GET_SET) };
}

function get(ctx: MethodContext, p: Obj): unknown {
	const id = requireIntParam(p, 'id');
	const { fields, relations } = getSelect(p.select);
	const t = readableForGet(ctx, id);
	return { item: mapTask(mc(ctx), t, fields, relations) };
}

function requireIdNotFilter(p: Obj): number {
	// the generic request accepts `filter`, the task controller demands `id` (§3.2)
	if (!has(p, 'id')) throw v3.requestValidation([missing('id')]);
	return requireIntParam(p, 'id');
}

function update(ctx: MethodContext, p: Obj): unknown {
	const id = requireIdNotFilter(p);
	const raw = requireFieldsParam(p);
	const fields = convertFields(raw);
	validateDto(fields, 'update');
	if ('creatorId' in fields) {
		// docs: creatorId is rejected on update (older source: "requires attribute Editable"); §3.2 UNCONFIRMED
		throw v3.requestValidation([
			{
				field: 'creatorId',
				message:
					'In DTO `TaskDto`, the field `creatorId` requires the presence of the `Editable` attribute for such a request',
			},
		]);
	}
	const t = ctx.store.tasks.get(id);
	// missing task → 403 for everyone, admins included (§3.6)
	if (!t || !canEdit(ctx.store, ctx.userId, t)) throw v3.accessDenied(403);
	if ('groupId' in fields && fields.groupId !== t.groupId) {
		checkGroup(ctx, (fields.groupId as number | null) ?? 0);
	}
	const next: TaskRecord = structuredClone(t);
	apply(ctx, next, fields);
	validateCommand(ctx, next, 'update');
	ctx.store.tasks.set(id, next);
	return { result: true };
}

function remove(ctx: MethodContext, p: Obj): unknown {
	const id = requireIdNotFilter(p);
	const t = ctx.store.tasks.get(id);
	if (!t) {
		// admin passes the rule; the delete command then reports the missing task (§3.6; message assumed)
		if (ctx.store.isAdmin(ctx.userId)) {
			throw v3.requestValidation([{ field: 'id', message: `Task with ID = ${id} does not exist` }]);
		}
		throw v3.accessDenied(403);
	}
	if (!canDelete(ctx.store, ctx.userId, t)) throw v3.accessDenied(403);
	ctx.store.tasks.delete(id);
	return { result: true };
}
// ---------- registry ----------

/**
 * Idempotency-Key: add/update/delete take Add/Update/DeleteRequest (reference §1); chat send and file
 * attach are treated as writes too — whether a portal honours the key there is UNCONFIRMED.
 */
export const TASK_V3_METHODS: Record<string, V3MethodDef> = {
	'tasks.task.add': { write: true, run: add },
	'tasks.task.get': { write: false, run: get },
	'tasks.task.update': { write: true, run: update },
	'tasks.task.delete': { write: true, run: remove },
	'tasks.task.list': { write: false, run: list },
	'tasks.task.field.list': { write: false, run: fieldList },
	'tasks.task.field.get': { write: false, run: fieldGet },
	'tasks.task.access.get': { write: false, run: accessGet },
	'tasks.task.chat.message.send': { write: true, run: chatSend },
	'tasks.task.file.attach': { write: true, run: fileAttach },
};

/** the task methods a portal with this tasks module has (§2) */
export function taskMethodsFor(mode: TasksV3Mode): Record<string, V3MethodDef> {
	if (mode === 'none') return {};
	if (mode === 'withoutList') {
		const { 'tasks.task.list': _omitted, ...rest } = TASK_V3_METHODS;
		void _omitted;
		return rest;
	}
	return TASK_V3_METHODS;
}
