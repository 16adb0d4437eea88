// Request helpers shared by the REST 3.0 task methods: required / typed parameters, validation items.
import { v3, type ValidationItem } from './errors';
import { isInt, isObj, type Obj } from './params';
import type { MethodContext } from './results.v3';
import type { MapContext } from './tasks.dto';

export const mc = (ctx: MethodContext): MapContext => ({
	store: ctx.store,
	userId: ctx.userId,
	timeZone: ctx.timeZoneOffset,
});
export const has = (o: Obj, k: string) => o[k] !== undefined && o[k] !== null;
export const missing = (field: string): ValidationItem => ({
	field,
	message: `Required field \`${field}\` is missing`,
});
export const typeMsg = (field: string, type: string): ValidationItem => ({
	field,
	message: `Field \`${field}\` requires data type \`${type}\` for this request`,
});

export function requireFieldsParam(p: Obj): Obj {
	// an empty object is an empty PHP array after decoding: "not specified" as well (assumed)
	if (!isObj(p.fields) || Object.keys(p.fields).length === 0)
		throw v3.requestValidation([missing('fields')]);
	return p.fields;
}

/** `id` of get/update/delete/access.get: required JSON int (a numeric string is refused, assumed) */
export function requireIntParam(p: Obj, name: string): number {
	if (!has(p, name)) throw v3.requestValidation([missing(name)]);
	if (!isInt(p[name])) throw v3.requestValidation([typeMsg(name, 'int')]);
	return p[name] as number;
}
