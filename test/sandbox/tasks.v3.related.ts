// REST 3.0 task methods beside CRUD: tasks.task.field.list / field.get (§3.7), access.get (§3.8),
// chat.message.send (§6), file.attach (§3.9) of reference bitrix24-tasks-v3.md.
import { v3, type ValidationItem } from './errors';
import { isInt, type Obj } from './params';
import type { MethodContext } from './results.v3';
import {
	canEdit,
	canRead,
	FIELD_BY_NAME,
	rightsOf,
	TASK_FIELDS,
	type TaskField,
} from './tasks.dto';
import { has, missing, requireFieldsParam, requireIntParam, typeMsg } from './tasks.v3.params';

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

export function fieldList(_ctx: MethodContext, p: Obj): unknown {
	const keys = fieldSelect(p.select);
	return { items: TASK_FIELDS.map((d) => pickKeys(describeField(d), keys)) };
}

export function fieldGet(_ctx: MethodContext, p: Obj): unknown {
	const keys = fieldSelect(p.select);
	if (!has(p, 'name')) throw v3.requestValidation([missing('name')]);
	if (typeof p.name !== 'string') throw v3.requestValidation([typeMsg('name', 'string')]);
	const def = FIELD_BY_NAME.get(p.name);
	if (!def) throw v3.fieldNotFound(p.name);
	return { item: pickKeys(describeField(def), keys) };
}

// ---------- access.get (§3.8) ----------

export function accessGet(ctx: MethodContext, p: Obj): unknown {
	const id = requireIntParam(p, 'id');
	// no access check of its own: a foreign or missing task gives a (mostly false) map
	return rightsOf(ctx.store, ctx.userId, ctx.store.tasks.get(id));
}

// ---------- chat.message.send (§6) ----------

export function chatSend(ctx: MethodContext, p: Obj): unknown {
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
	// a chat message is not a task change: `changed` stays (whether activity moves is not modelled)
	return { result: true };
}

// ---------- file.attach (§3.9) ----------

export function fileAttach(ctx: MethodContext, p: Obj): unknown {
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
