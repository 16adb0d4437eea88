// REST v3 tasks.task.result.* methods and the v3 batch (reference §2, §7.2).
import { v3, type ValidationItem } from './errors';
import {
	isResultField,
	matchAll,
	parseFilter,
	parseOrder,
	parsePagination,
	parseSelect,
	sortResults,
	DEFAULT_SELECT,
} from './filter';
import { isInt, isObj, type Obj } from './params';
import { isoWithOffset, type Store } from './state';
import type { ResultRecord } from './types';

export interface MethodContext {
	store: Store;
	userId: number;
	maxPageSize?: number;
	/** the portal's UTC offset for task dates, e.g. '+03:00' */
	timeZoneOffset?: string;
}

export interface V3MethodDef {
	/** write methods take Idempotency-Key (§8) */
	write: boolean;
	run(ctx: MethodContext, params: Obj): unknown;
}

export function toItem(
	ctx: MethodContext,
	rec: ResultRecord,
	select: readonly string[] = DEFAULT_SELECT,
): Obj {
	const out: Obj = {};
	for (const f of select) {
		if (f === 'rights') {
			// resulteditrule: the author only; resultremoverule: the author, or any admin (§9)
			const own = rec.authorId === ctx.userId;
			out.rights = { edit: own, remove: own || ctx.store.isAdmin(ctx.userId) };
		} else if (f === 'author') {
			// shape of the User DTO relation is not documented (assumed minimal)
			const u = ctx.store.user(rec.authorId);
			out.author = { id: u.id, name: u.name, lastName: u.lastName };
		} else if (f === 'fileIds') {
			out.fileIds = [...rec.fileIds];
		} else {
			out[f] = (rec as unknown as Obj)[f];
		}
	}
	return out;
}

const has = (o: Obj, k: string) => o[k] !== undefined && o[k] !== null;
const intMsg = (f: string) => ({
	field: f,
	message: `Field \`${f}\` requires \`int\` data type for this request`,
});

function requireFields(p: Obj): Obj {
	if (!isObj(p.fields)) {
		throw v3.requestValidation([
			{ field: 'fields', message: 'Required field `fields` is not specified' },
		]);
	}
	return p.fields;
}

/** DTO rules shared by add / update: unknown keys, read-only keys, text type */
function checkWritableFields(fields: Obj, writable: string[], dto: ValidationItem[]): void {
	for (const k of Object.keys(fields)) {
		if (!isResultField(k)) throw v3.unknownProperty(k);
		if (!writable.includes(k))
			dto.push({ field: k, message: `Field \`${k}\` is not available for filling` });
	}
}

function requireText(fields: Obj, dto: ValidationItem[]): void {
	if (has(fields, 'text') && typeof fields.text !== 'string') {
		throw v3.requestValidation([
			{ field: 'text', message: 'Field `text` requires `string` data type for this request' },
		]);
	}
	// an empty string counts as "not specified" (assumed). No length cap: >65535 chars is undocumented, accepted.
	if (!has(fields, 'text') || fields.text === '') {
		dto.push({ field: 'text', message: 'Required field `text` is not specified' });
	}
}

function requireId(p: Obj): number {
	// generic v3 request object (id | filter), then the controller's own id check (§2.3, §2.7)
	if (has(p, 'id') && has(p, 'filter')) {
		throw v3.requestValidation([
			{ message: 'Only one of the values must be provided: id, filter' },
		]);
	}
	if (!has(p, 'id') && !has(p, 'filter')) {
		throw v3.requestValidation([
			{ message: 'At least one required field must be filled: id, filter' },
			{ message: 'Required field `id` is missing' },
		]);
	}
	if (!has(p, 'id'))
		throw v3.requestValidation([{ field: 'id', message: 'Required field `id` is missing' }]);
	// strict typing: a numeric string is rejected like any other non-int (assumed)
	if (!isInt(p.id)) throw v3.requestValidation([intMsg('id')]);
	return p.id;
}

function createResult(
	ctx: MethodContext,
	taskId: number,
	text: string,
	messageId: number | null,
): ResultRecord {
	const rec: ResultRecord = {
		id: ctx.store.newResultId(),
		taskId,
		text,
		authorId: ctx.userId,
		createdAt: isoWithOffset(),
		updatedAt: null,
		status: 'open',
		fileIds: [],
		messageId,
	};
	ctx.store.results.set(rec.id, rec);
	return rec;
}

function add(ctx: MethodContext, p: Obj): unknown {
	const fields = requireFields(p);
	if (has(fields, 'taskId') && !isInt(fields.taskId))
		throw v3.requestValidation([intMsg('taskId')]);
	const dto: ValidationItem[] = [];
	if (!has(fields, 'taskId'))
		dto.push({ field: 'taskId', message: 'Required field `taskId` is not specified' });
	requireText(fields, dto);
	checkWritableFields(fields, ['taskId', 'text'], dto);
	if (dto.length) throw v3.dtoValidation(dto);
	const taskId = fields.taskId as number;
	// 0 → "must be set", negative → "must be positive" (split assumed)
	if (taskId === 0)
		throw v3.requestValidation([{ field: 'taskId', message: 'Task id must be set' }]);
	if (taskId < 0)
		throw v3.requestValidation([{ field: 'taskId', message: 'Task id must be positive' }]);
	if (!ctx.store.tasks.has(taskId))
		throw v3.requestValidation([{ field: 'taskId', message: 'Task not found' }]);
	if (!ctx.store.accessibleTask(ctx.userId, taskId)) throw v3.accessDenied(403, 'taskId');
	return { item: toItem(ctx, createResult(ctx, taskId, fields.text as string, null)) };
}

function addFromChatMessage(ctx: MethodContext, p: Obj): unknown {
	const fields = requireFields(p);
	for (const k of Object.keys(fields)) {
		if (k !== 'messageId' && k !== 'fileIds') throw v3.unknownProperty(k);
	}
	if (has(fields, 'messageId') && !isInt(fields.messageId))
		throw v3.requestValidation([intMsg('messageId')]);
	const dto: ValidationItem[] = [];
	if (!has(fields, 'messageId')) {
		dto.push({ field: 'messageId', message: 'Required field `messageId` is not specified' });
	}
	if (has(fields, 'fileIds'))
		dto.push({ field: 'fileIds', message: 'Field `fileIds` is not available for filling' });
	if (dto.length) throw v3.dtoValidation(dto);
	const msg = ctx.store.chatMessages.get(fields.messageId as number);
	// unknown message: the chat access check (runs before the command, §2.7) fails → 403 (assumed)
	if (!msg) throw v3.accessDenied(403, 'messageId');
	if (msg.taskId === null) {
		throw v3.requestValidation([{ field: 'messageId', message: 'Message is not from task chat' }]);
	}
	if (!ctx.store.tasks.has(msg.taskId)) {
		throw v3.requestValidation([{ field: 'messageId', message: 'Task not found' }]);
	}
	if (!ctx.store.accessibleTask(ctx.userId, msg.taskId)) throw v3.accessDenied(403, 'messageId');
	// a second result from the same message is not documented; the sandbox allows it
	return { item: toItem(ctx, createResult(ctx, msg.taskId, msg.text, msg.id)) };
}

/** author-only access on an existing result; missing result → 403 as well, admins included (§9) */
function ownResult(ctx: MethodContext, id: number): ResultRecord {
	const rec = ctx.store.results.get(id);
	if (id <= 0 || !rec || rec.authorId !== ctx.userId) throw v3.accessDenied(403, 'id');
	return rec;
}

function update(ctx: MethodContext, p: Obj): unknown {
	const id = requireId(p);
	const fields = requireFields(p);
	const dto: ValidationItem[] = [];
	requireText(fields, dto);
	checkWritableFields(fields, ['text'], dto);
	if (dto.length) throw v3.dtoValidation(dto);
	const rec = ownResult(ctx, id);
	rec.text = fields.text as string;
	rec.updatedAt = isoWithOffset();
	return { item: toItem(ctx, rec) };
}

/**
 * The access check runs on the bare id before anything is read (§2.7, §9): an admin always passes,
 * and the service then returns quietly when the row is gone, so an admin gets `true` for a result
 * that is gone or never existed; anyone else gets 403 unless they are the author of an existing one.
 * `id` ≤ 0 → 403 for everyone.
 */
function remove(ctx: MethodContext, p: Obj): unknown {
	const id = requireId(p);
	if (id > 0 && ctx.store.isAdmin(ctx.userId)) ctx.store.results.delete(id);
	else ctx.store.results.delete(ownResult(ctx, id).id);
	return { result: true };
}

function list(ctx: MethodContext, p: Obj): unknown {
	const { conditions, taskId } = parseFilter(p.filter);
	const select = parseSelect(p.select);
	const order = parseOrder(p.order);
	const { limit, offset } = parsePagination(p.pagination);
	if (!ctx.store.accessibleTask(ctx.userId, taskId)) throw v3.accessDenied(403, 'taskId');
	const all = sortResults(
		[...ctx.store.results.values()].filter((r) => matchAll(r, conditions)),
		order,
	);
	let page = all.slice(offset, offset + limit);
	// `maxPageSize` simulates a silent server-side cap below the requested limit (§2.4, UNCONFIRMED for results):
	// the offset still advances by the requested limit, so offset paging skips rows — keyset paging does not.
	if (ctx.maxPageSize !== undefined && page.length > ctx.maxPageSize)
		page = page.slice(0, ctx.maxPageSize);
	return { items: page.map((r) => toItem(ctx, r, select)) };
}

export const V3_METHODS: Record<string, V3MethodDef> = {
	'tasks.task.result.add': { write: true, run: add },
	'tasks.task.result.addfromchatmessage': { write: true, run: addFromChatMessage },
	'tasks.task.result.update': { write: true, run: update },
	'tasks.task.result.delete': { write: true, run: remove },
	'tasks.task.result.list': { write: false, run: list },
};

export const V3_BATCH_MAX = 50;

function resolveRefs(v: unknown, context: Map<string, unknown>): unknown {
	if (Array.isArray(v)) return v.map((x) => resolveRefs(x, context));
	if (!isObj(v)) return v;
	const keys = Object.keys(v);
	if (keys.length === 1 && keys[0] === '$ref' && typeof v.$ref === 'string') {
		// simple `{"$ref":"alias.item.field"}`; only `item` / `items` enter the context (§7.2). `$refArray` is not implemented.
		const [alias, root, ...rest] = v.$ref.split('.');
		if (!context.has(alias) || (root !== 'item' && root !== 'items'))
			throw v3.invalidSelect(v.$ref);
		let cur: unknown = (context.get(alias) as Obj)?.[root];
		for (const seg of rest) {
			if (!isObj(cur) && !Array.isArray(cur)) throw v3.invalidSelect(v.$ref);
			cur = (cur as Obj)[seg];
		}
		if (cur === undefined) throw v3.invalidSelect(v.$ref);
		return cur;
	}
	const out: Obj = {};
	for (const k of keys) out[k] = resolveRefs(v[k], context);
	return out;
}

/**
 * v3 batch: JSON array of {method, query, as?}; runs in order; the first failing command's error
 * becomes the whole response (earlier commands stay committed). `exec` throws ApiError on failure.
 */
export function runV3Batch(
	body: unknown,
	exec: (method: string, query: Obj) => unknown,
	isKnownMethod: (method: string) => boolean = () => true,
): unknown[] {
	if (!Array.isArray(body)) throw v3.invalidSelect('a JSON array of {method, query} is expected');
	if (body.length > V3_BATCH_MAX) throw v3.batchLength();
	const aliases = new Set<string>();
	for (const cmd of body) {
		if (!isObj(cmd) || typeof cmd.method !== 'string' || !isObj(cmd.query)) {
			throw v3.invalidSelect('every batch item needs `method` and `query`');
		}
		// unknown methods are found before any command runs (reference §7.2, server source)
		if (!isKnownMethod(cmd.method)) throw v3.methodNotFound(cmd.method);
		if (cmd.as !== undefined) {
			if (typeof cmd.as !== 'string' || aliases.has(cmd.as))
				throw v3.invalidSelect('`as` must be a unique string');
			aliases.add(cmd.as);
		}
	}
	// an empty array returns an empty result (server behaviour not documented)
	const context = new Map<string, unknown>();
	const results: unknown[] = [];
	for (const cmd of body as Obj[]) {
		const query = resolveRefs(cmd.query, context) as Obj;
		const payload = exec(cmd.method as string, query);
		results.push(payload);
		if (typeof cmd.as === 'string') context.set(cmd.as, payload);
	}
	return results;
}
