// Classic (v2) methods: profile, user.current, tasks.task.list/get, tasks.task.result.list, batch (§3, §7.1).
import { v2 } from './errors';
import { isObj, param, parseBracketQuery, toIntV2, toList, type Obj } from './params';
import type { MethodContext } from './results.v3';
import type { TaskRecord } from './types';

export interface ClassicOutput {
	result: unknown;
	total?: number;
	next?: number;
}

export interface ClassicMethodDef {
	/** required webhook scope; null = any scope (basic) */
	scope: string | null;
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

const TASK_FIELDS: Record<string, (t: TaskRecord) => [string, unknown]> = {
	ID: (t) => ['id', String(t.id)],
	TITLE: (t) => ['title', t.title],
	GROUP_ID: (t) => ['groupId', String(t.groupId)],
	STATUS: (t) => ['status', String(t.status)],
	CHAT_ID: (t) => ['chatId', t.chatId === null ? null : String(t.chatId)],
};

function taskOut(t: TaskRecord, select?: string[]): Obj {
	const wanted =
		select && select.length
			? ['ID', ...select.filter((s) => s !== 'ID')]
			: Object.keys(TASK_FIELDS);
	const out: Obj = {};
	for (const f of wanted) {
		const get = TASK_FIELDS[f];
		if (get) {
			const [k, v] = get(t);
			out[k] = v;
		}
	}
	return out;
}

const PAGE = 50;

function taskList(ctx: MethodContext, p: Obj): ClassicOutput {
	const filter = isObj(param(p, 'filter')) ? (param(p, 'filter') as Obj) : {};
	const f = (k: string) => param(filter, k);
	let tasks = [...ctx.store.tasks.values()].filter((t) => t.memberIds.includes(ctx.userId));
	if (f('ID') !== undefined) {
		const ids = toList(f('ID')).map(toIntV2);
		tasks = tasks.filter((t) => ids.includes(t.id));
	}
	if (f('%TITLE') !== undefined) {
		const needle = String(f('%TITLE')).toLowerCase();
		tasks = tasks.filter((t) => t.title.toLowerCase().includes(needle));
	}
	if (f('GROUP_ID') !== undefined) {
		const groups = toList(f('GROUP_ID')).map(toIntV2);
		tasks = tasks.filter((t) => groups.includes(t.groupId));
	}
	if (f('RESPONSIBLE_ID') !== undefined) {
		const users = toList(f('RESPONSIBLE_ID')).map(toIntV2);
		tasks = tasks.filter((t) => users.includes(t.responsibleId));
	}
	// REAL_STATUS: the stored status (docs tasks-task-list.md; a list matches any of its values)
	if (f('REAL_STATUS') !== undefined) {
		const statuses = toList(f('REAL_STATUS')).map(toIntV2);
		tasks = tasks.filter((t) => statuses.includes(t.status));
	}
	// other filter keys are ignored. Default order ID ASC (assumed).
	const order = isObj(param(p, 'order')) ? (param(p, 'order') as Obj) : { ID: 'asc' };
	const keys = Object.entries(order).map(
		([k, d]) => [k.toUpperCase(), String(d).toLowerCase() === 'desc' ? -1 : 1] as const,
	);
	tasks.sort((a, b) => {
		for (const [k, dir] of keys) {
			const av =
				k === 'TITLE' ? a.title : k === 'GROUP_ID' ? a.groupId : k === 'STATUS' ? a.status : a.id;
			const bv =
				k === 'TITLE' ? b.title : k === 'GROUP_ID' ? b.groupId : k === 'STATUS' ? b.status : b.id;
			if (av < bv) return -dir;
			if (av > bv) return dir;
		}
		return a.id - b.id;
	});
	const select = toList(param(p, 'select')).map((s) => String(s).toUpperCase());
	const start = Math.max(0, toIntV2(param(p, 'start')) ?? 0);
	const page = tasks.slice(start, start + PAGE).map((t) => taskOut(t, select));
	const out: ClassicOutput = { result: { tasks: page }, total: tasks.length };
	if (start + PAGE < tasks.length) out.next = start + PAGE;
	return out;
}

function taskGet(ctx: MethodContext, p: Obj): ClassicOutput {
	const taskId = toIntV2(param(p, 'taskId'));
	const task = taskId === undefined ? undefined : ctx.store.accessibleTask(ctx.userId, taskId);
	if (!task) throw v2.taskNotAccessible();
	const select = toList(param(p, 'select')).map((s) => String(s).toUpperCase());
	return { result: { task: taskOut(task, select) } };
}

function resultList(ctx: MethodContext, p: Obj): ClassicOutput {
	const raw = param(p, 'taskId');
	const taskId = toIntV2(raw);
	if (taskId === undefined) throw v2.invalidInt(raw ?? '', 'taskId');
	// no access and non-existing task give the same error (§3)
	if (!ctx.store.accessibleTask(ctx.userId, taskId)) throw v2.accessDenied0();
	const rows = [...ctx.store.results.values()]
		.filter((r) => r.taskId === taskId)
		.sort((a, b) => a.id - b.id) // order not documented; id ASC (assumed)
		.map((r) => ({
			id: r.id,
			taskId: r.taskId,
			commentId: r.messageId, // new task card: the "comment" is the chat message (assumed)
			createdBy: r.authorId,
			createdAt: r.createdAt,
			updatedAt: r.updatedAt,
			status: r.status === 'open' ? 0 : 1,
			text: r.text,
			formattedText: r.text,
			files: [...r.fileIds],
		}));
	return { result: rows };
}

export const CLASSIC_METHODS: Record<string, ClassicMethodDef> = {
	// `profile` needs only the basic scope → allowed with any webhook scope
	profile: { scope: null, run: profile },
	'user.current': { scope: 'user', run: profile },
	'tasks.task.list': { scope: 'task', run: taskList },
	'tasks.task.get': { scope: 'task', run: taskGet },
	'tasks.task.result.list': { scope: 'task', run: resultList },
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
