// Classic (v2) methods: profile, user.current, batch (§3, §7.1); task methods in tasks.classic.ts,
// result methods in results.classic.ts, people and workgroups in directory.classic.ts.
import { v2 } from './errors';
import { isObj, param, parseBracketQuery, type Obj } from './params';
import { CLASSIC_RESULT_METHODS } from './results.classic';
import type { MethodContext } from './results.v3';
import { DIRECTORY_METHODS } from './directory.classic';
import { CLASSIC_TASK_METHODS } from './tasks.classic';

export interface ClassicOutput {
	result: unknown;
	total?: number;
	next?: number;
}

export interface ClassicMethodDef {
	/** required webhook scope (any one of a list); null = any scope (basic) */
	scope: string | string[] | null;
	run(ctx: MethodContext, params: Obj): ClassicOutput;
}

function profile(ctx: MethodContext): ClassicOutput {
	const u = ctx.store.user(ctx.userId);
	return {
		result: {
			ID: String(u.id),
			ADMIN: u.admin,
			NAME: u.name,
			LAST_NAME: u.lastName,
			PERSONAL_GENDER: '',
			TIME_ZONE: '',
		},
	};
}

export const CLASSIC_METHODS: Record<string, ClassicMethodDef> = {
	// `profile` needs only the basic scope → allowed with any webhook scope
	profile: { scope: null, run: profile },
	'user.current': { scope: 'user', run: profile },
	...CLASSIC_RESULT_METHODS,
	...CLASSIC_TASK_METHODS,
	...DIRECTORY_METHODS,
};

export const CLASSIC_BATCH_MAX = 50;

export type ClassicExec = (
	method: string,
	params: Obj,
) =>
	| { ok: true; out: ClassicOutput; time: unknown }
	| { ok: false; status: number; error: unknown };

/** §7.1: always 200; per-command results/errors; `halt` stops at the first error. `$result[..]` chaining is not implemented. */
export function runClassicBatch(p: Obj, exec: ClassicExec): Obj {
	const cmdRaw = param(p, 'cmd');
	const haltRaw = param(p, 'halt');
	const halt = haltRaw === true || haltRaw === 1 || haltRaw === '1' || haltRaw === 'true';
	const cmds: Array<[string, unknown]> = Array.isArray(cmdRaw)
		? cmdRaw.map((v, i) => [String(i), v])
		: isObj(cmdRaw)
			? Object.entries(cmdRaw)
			: [];
	const result: Obj = {};
	const errors: Obj = {};
	const totals: Obj = {};
	const nexts: Obj = {};
	const times: Obj = {};
	let index = 0;
	for (const [key, value] of cmds) {
		if (typeof value !== 'string') continue; // non-string commands are silently skipped
		index++;
		if (index > CLASSIC_BATCH_MAX) {
			errors[key] = v2.batchLength();
			continue;
		}
		const q = value.indexOf('?');
		const method = (q === -1 ? value : value.slice(0, q))
			.trim()
			.toLowerCase()
			.replace(/\.json$/, '');
		const params = q === -1 ? {} : parseBracketQuery(value.slice(q + 1));
		let failed = false;
		if (method === 'batch') {
			errors[key] = v2.batchMethodNotAllowed();
			failed = true;
		} else {
			const r = exec(method, params);
			if (r.ok) {
				result[key] = r.out.result;
				if (r.out.total !== undefined) totals[key] = r.out.total;
				if (r.out.next !== undefined) nexts[key] = r.out.next;
				times[key] = r.time;
			} else {
				errors[key] = r.error;
				failed = true;
			}
		}
		if (failed && halt) break;
	}
	const m = (o: Obj) => (Object.keys(o).length ? o : []); // empty maps come back as []
	return {
		result: m(result),
		result_error: m(errors),
		result_total: m(totals),
		result_next: m(nexts),
		result_time: m(times),
	};
}
