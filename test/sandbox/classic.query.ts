// Query helpers shared by the classic list methods: filter-key prefixes, comparisons, `start` paging of 50.
import type { ClassicOutput } from './classic';
import { param, toIntV2, type Obj } from './params';

export const CLASSIC_PAGE = 50;

export type Cmp = '=' | '!' | '<' | '<=' | '>' | '>=' | '%' | '!%';

export function splitKey(key: string): { op: Cmp; field: string } {
	const m = /^(!%|!=|!|<=|>=|<|>|%|=)?(.*)$/.exec(key) as RegExpExecArray;
	const op = (m[1] === '!=' ? '!' : (m[1] ?? '=')) as Cmp;
	return { op, field: m[2].toUpperCase() };
}

export function compare(op: Cmp, actual: unknown, wanted: unknown[]): boolean {
	const eq = (a: unknown, b: unknown) => String(a).toLowerCase() === String(b).toLowerCase();
	switch (op) {
		case '=':
			return wanted.some((w) => eq(actual, w));
		case '!':
			return !wanted.some((w) => eq(actual, w));
		case '%':
			return wanted.some((w) => String(actual).toLowerCase().includes(String(w).toLowerCase()));
		case '!%':
			return !wanted.some((w) => String(actual).toLowerCase().includes(String(w).toLowerCase()));
		default: {
			if (actual === null || actual === undefined) return false; // SQL NULL never compares
			const a = actual as number;
			const w = wanted[0] as number;
			if (w === undefined || Number.isNaN(w)) return false;
			return op === '<' ? a < w : op === '<=' ? a <= w : op === '>' ? a > w : a >= w;
		}
	}
}

export function startOf(p: Obj): number {
	return Math.max(0, toIntV2(param(p, 'start')) ?? 0);
}

export function page<T>(rows: T[], start: number, map: (row: T) => unknown): ClassicOutput {
	const out: ClassicOutput = {
		result: rows.slice(start, start + CLASSIC_PAGE).map(map),
		total: rows.length,
	};
	if (start + CLASSIC_PAGE < rows.length) out.next = start + CLASSIC_PAGE;
	return out;
}

export const startsWord = (text: string, needle: string) =>
	text
		.toLowerCase()
		.split(/\s+/)
		.some((w) => w.startsWith(needle.toLowerCase()));
