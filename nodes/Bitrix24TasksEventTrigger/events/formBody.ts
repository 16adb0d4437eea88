import type { IDataObject } from 'n8n-workflow';

const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Bitrix24 posts events form-encoded, and n8n parses that body flat: `data[FIELDS_AFTER][ID]` is one
 * key. This rebuilds the nesting (`{data: {FIELDS_AFTER: {ID}}}`); a body that is already nested is
 * merged the same way. Keys that could reach an object's prototype are dropped.
 */
export function unflatten(body: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(body ?? {})) {
		const path = key.split(/\[|\]\[|\]/).filter((segment) => segment !== '');
		if (path.length === 0 || path.some((segment) => UNSAFE.has(segment))) continue;
		let node = out;
		for (const segment of path.slice(0, -1)) {
			const next = node[segment];
			node = (
				next && typeof next === 'object' && !Array.isArray(next) ? next : (node[segment] = {})
			) as IDataObject;
		}
		const last = path[path.length - 1];
		const nested =
			value && typeof value === 'object' && !Array.isArray(value)
				? unflatten(value as IDataObject)
				: value;
		node[last] = nested;
	}
	return out;
}

/** Length-independent comparison of two secrets (no early exit on the first differing character). */
export function sameSecret(given: unknown, expected: string): boolean {
	if (typeof given !== 'string' || given === '' || expected === '') return false;
	let diff = given.length ^ expected.length;
	for (let i = 0; i < expected.length; i++)
		diff |= expected.charCodeAt(i) ^ given.charCodeAt(i % Math.max(1, given.length));
	return diff === 0;
}
