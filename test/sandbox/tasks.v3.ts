// REST 3.0 task methods: tasks.task.add/get/update/delete/list, field.list/get, access.get,
// chat.message.send, file.attach (reference bitrix24-tasks-v3.md). Fidelity notes inline:
// "assumed" = the sandbox's choice where the reference is silent or UNCONFIRMED.
import { v3, type ValidationItem } from './errors';
import { parsePagination } from './filter';
import { isInt, isObj, type Obj } from './params';
import type { MethodContext, V3MethodDef } from './results.v3';
import { taskMembers } from './state';
import {
	canDelete,
	canEdit,
	canRead,
	DEFAULT_GET_SET,
	FIELD_BY_NAME,
	LIST_RELATIONS,
	mapTask,
	MARKS,
	parseDateAtom,
	parseTaskSelect,
	PRIORITIES,
	rightsOf,
	STATUS_NUMBERS,
	TASK_FIELDS,
	type MapContext,
	type TaskField,
} from './tasks.dto';
import type { TaskPriority, TaskRecord, TasksV3Mode } from './types';

const mc = (ctx: MethodContext): MapContext => ({
	store: ctx.store,
	userId: ctx.userId,
	timeZone: ctx.timeZoneOffset,
});
const has = (o: Obj, k: string) => o[k] !== undefined && o[k] !== null;
const missing = (field: string): ValidationItem => ({
	field,
	message: `Required field \`${field}\` is missing`,
});
const typeMsg = (field: string, type: string): ValidationItem => ({
	field,
	message: `Field \`${field}\` requires data type \`${type}\` for this request`,
});

function requireFieldsParam(p: Obj): Obj {
	if (!isObj(p.fields)) throw v3.requestValidation([missing('fields')]);
	return p.fields;
}

/** `id` of get/update/delete/access.get: required JSON int (a numeric string is refused, assumed) */
function requireIntParam(p: Obj, name: string): number {
	if (!has(p, name)) throw v3.requestValidation([missing(name)]);
	if (!isInt(p[name])) throw v3.requestValidation([typeMsg(name, 'int')]);
	return p[name] as number;
}

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

// ---------- list (§5) ----------

type IdCondition =
	| { op: string; value: unknown }
	| { logic: 'and' | 'or'; negative: boolean; conditions: IdCondition[] };

const OPS = new Set(['=', '!=', '>', '>=', '<', '<=', 'in', 'between']);

function intValues(values: unknown[], allowNull: boolean): void {
	if (!values.every((v) => isInt(v) || (allowNull && v === null))) {
		throw v3.requestValidation([typeMsg('id', 'int')]);
	}
}

function parseIdCondition(raw: unknown): IdCondition {
	if (Array.isArray(raw)) {
		if ((raw.length !== 2 && raw.length !== 3) || typeof raw[0] !== 'string')
			throw v3.invalidFilter(JSON.stringify(raw));
		const field = raw[0];
		let op: string;
		let value: unknown;
		if (raw.length === 2) {
			value = raw[1];
			op = Array.isArray(value) ? 'in' : '=';
		} else {
			if (typeof raw[1] !== 'string') throw v3.invalidFilter(JSON.stringify(raw));
			op = raw[1].toLowerCase();
			value = raw[2];
			if (!OPS.has(op)) throw v3.unknownOperator(raw[1]);
		}
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

function list(ctx: MethodContext, p: Obj): unknown {
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
	const page = rows.slice(offset, offset + limit);
	return { items: page.map((t) => mapTask(mc(ctx), t, fields, rels)) };
}

// ---------- field.list / field.get (§3.7) ----------

const FIELD_DESCRIPTION_KEYS = [
	'name',
	'type',
	'title',
	'description',
	'validationRules',
	'requiredGroups',
	'filterable',
	'sortable',
	'editable',
	'multiple',
	'elementType',
];

function describeField(def: TaskField): Obj {
	const elementType =
		def.kind === 'intArray' ? 'int' : def.kind === 'stringArray' ? 'string' : null;
	return {
		name: def.name,
		type: def.type,
		title: def.name,
		description: null,
		validationRules: [],
		requiredGroups: def.requiredOnAdd ? ['add'] : [],
		filterable: def.name === 'id',
		sortable: def.sortable === true,
		// always false in the source snapshot (the mapper reads a key the field array lacks, §3.7)
		editable: false,
		multiple: def.type === 'array',
		elementType,
	};
}

function fieldSelect(raw: unknown): string[] {
	if (raw === undefined || raw === null) return FIELD_DESCRIPTION_KEYS;
	if (!Array.isArray(raw) || !raw.every((x) => typeof x === 'string')) {
		throw v3.invalidSelect(`Unable to recognize select expression ${JSON.stringify(raw)}`);
	}
	for (const k of raw as string[]) {
		if (!FIELD_DESCRIPTION_KEYS.includes(k)) throw v3.unknownProperty(k, 'DtoFieldDto');
	}
	return raw.length ? (raw as string[]) : FIELD_DESCRIPTION_KEYS;
}

function pickKeys(o: Obj, keys: string[]): Obj {
	const r: Obj = {};
	for (const k of keys) r[k] = o[k];
	return r;
}

function fieldList(_ctx: MethodContext, p: Obj): unknown {
	const keys = fieldSelect(p.select);
	return { items: TASK_FIELDS.map((d) => pickKeys(describeField(d), keys)) };
}

function fieldGet(_ctx: MethodContext, p: Obj): unknown {
	const keys = fieldSelect(p.select);
	if (!has(p, 'name')) throw v3.requestValidation([missing('name')]);
	if (typeof p.name !== 'string') throw v3.requestValidation([typeMsg('name', 'string')]);
	const def = FIELD_BY_NAME.get(p.name);
	if (!def) throw v3.fieldNotFound(p.name);
	return { item: pickKeys(describeField(def), keys) };
}

// ---------- access.get (§3.8) ----------

function accessGet(ctx: MethodContext, p: Obj): unknown {
	const id = requireIntParam(p, 'id');
	// no access check of its own: a foreign or missing task gives a (mostly false) map
	return rightsOf(ctx.store, ctx.userId, ctx.store.tasks.get(id));
}

// ---------- chat.message.send (§6) ----------

function chatSend(ctx: MethodContext, p: Obj): unknown {
	const fields = requireFieldsParam(p);
	const typeErrors: ValidationItem[] = [];
	for (const k of Object.keys(fields)) {
		if (k !== 'taskId' && k !== 'text' && k !== 'id') throw v3.unknownProperty(k, 'MessageDto');
	}
	if (has(fields, 'taskId') && !isInt(fields.taskId)) typeErrors.push(typeMsg('taskId', 'int'));
	if (has(fields, 'text') && typeof fields.text !== 'string')
		typeErrors.push(typeMsg('text', 'string'));
	if (typeErrors.length) throw v3.requestValidation(typeErrors);
	const dto: ValidationItem[] = [];
	// wording of the docs' example body (D-CHAT)
	const notFilled = (field: string) => ({
		field,
		message: `The required field "${field}" is not filled`,
	});
	if (!has(fields, 'taskId')) dto.push(notFilled('taskId'));
	// an empty text counts as missing (assumed)
	if (!has(fields, 'text') || fields.text === '') dto.push(notFilled('text'));
	if (has(fields, 'id'))
		dto.push({ field: 'id', message: 'Field `id` is not available for filling' });
	if (dto.length) throw v3.dtoValidation(dto);
	const taskId = fields.taskId as number;
	const t = ctx.store.tasks.get(taskId);
	if (!t) {
		// an admin passes the read rule; the handler ignores the messenger's result → true without
		// delivery (reference §7.10, UNCONFIRMED); everyone else 403
		if (ctx.store.isAdmin(ctx.userId)) return { result: true };
		throw v3.accessDenied(403);
	}
	if (!canRead(ctx.store, ctx.userId, t)) throw v3.accessDenied(403);
	if (t.chatId === null) t.chatId = ctx.store.newChatId();
	const id = ctx.store.newChatMessageId();
	ctx.store.chatMessages.set(id, {
		id,
		taskId,
		authorId: ctx.userId,
		text: fields.text as string,
	});
	t.changed = Date.now();
	return { result: true };
}

// ---------- file.attach (§3.9) ----------

function fileAttach(ctx: MethodContext, p: Obj): unknown {
	const errors: ValidationItem[] = [];
	if (!has(p, 'taskId')) errors.push(missing('taskId'));
	else if (!isInt(p.taskId)) errors.push(typeMsg('taskId', 'int'));
	if (!has(p, 'fileIds')) errors.push(missing('fileIds'));
	else if (!Array.isArray(p.fileIds) || !p.fileIds.every(isInt))
		errors.push(typeMsg('fileIds', 'int[]'));
	if (errors.length) throw v3.requestValidation(errors);
	const t = ctx.store.tasks.get(p.taskId as number);
	// any task member or a user with edit right; a missing task → 403 (admins too: assumed, §3.6 UNCONFIRMED)
	if (!t || !(t.memberIds.includes(ctx.userId) || canEdit(ctx.store, ctx.userId, t))) {
		throw v3.accessDenied(403);
	}
	const ids = p.fileIds as number[];
	// the sandbox has no Drive: a non-positive id stands for a file the caller cannot read (assumed)
	const bad = ids.filter((x) => x <= 0);
	if (bad.length) {
		throw v3.requestValidation(
			bad.map((x) => ({
				field: 'fileIds',
				message: `Insufficient permissions to attach file ${x}`,
			})),
		);
	}
	t.fileIds = [...new Set([...t.fileIds, ...ids])];
	t.changed = Date.now();
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
