// Parameter parsing helpers: PHP-style bracket query strings and small type guards.

export type Obj = Record<string, unknown>;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function isObj(v: unknown): v is Obj {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isInt(v: unknown): v is number {
	return typeof v === 'number' && Number.isInteger(v);
}

/** int for classic (v2) params, where everything may arrive as a string */
export function toIntV2(v: unknown): number | undefined {
	if (isInt(v)) return v;
	if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
	return undefined;
}

/** objects whose keys are exactly 0..n-1 become arrays (PHP arrays are both) */
function normalize(v: unknown): unknown {
	if (!isObj(v)) return v;
	const keys = Object.keys(v);
	for (const k of keys) v[k] = normalize(v[k]);
	if (keys.length > 0 && keys.every((k, i) => k === String(i))) return keys.map((k) => v[k]);
	return v;
}

/** `filter[ID]=5&select[]=ID&cmd[a]=x` → { filter: { ID: '5' }, select: ['ID'], cmd: { a: 'x' } } */
export function parseBracketQuery(qs: string): Obj {
	const root: Obj = {};
	for (const [key, value] of new URLSearchParams(qs)) {
		const m = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(key);
		const segs = m
			? [m[1], ...(m[2].match(/\[([^\]]*)\]/g) ?? []).map((s) => s.slice(1, -1))]
			: [key];
		if (segs.some((s) => FORBIDDEN_KEYS.has(s))) continue;
		let cur: Obj = root;
		for (let i = 0; i < segs.length; i++) {
			let seg = segs[i];
			if (seg === '') seg = String(Object.keys(cur).length);
			if (i === segs.length - 1) {
				cur[seg] = value;
			} else {
				if (!isObj(cur[seg])) cur[seg] = {};
				cur = cur[seg] as Obj;
			}
		}
	}
	return normalize(root) as Obj;
}

/** flat query map for request records (last value wins) */
export function flatQuery(search: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of new URLSearchParams(search)) out[k] = v;
	return out;
}

/** case-insensitive top-level lookup (classic params such as taskId / TASKID) */
export function param(params: Obj, name: string): unknown {
	if (name in params) return params[name];
	const lower = name.toLowerCase();
	for (const k of Object.keys(params)) if (k.toLowerCase() === lower) return params[k];
	return undefined;
}

/** array or PHP-style object → list of values */
export function toList(v: unknown): unknown[] {
	if (Array.isArray(v)) return v;
	if (isObj(v)) return Object.values(v);
	if (v === undefined || v === null || v === '') return [];
	return [v];
}
