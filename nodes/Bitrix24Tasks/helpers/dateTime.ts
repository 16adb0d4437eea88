import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

const HAS_ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL_DATE_TIME =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

/** Milliseconds the time zone is ahead of UTC at the given instant. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(utcMs));
	const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	const wall = Date.UTC(
		get('year'),
		get('month') - 1,
		get('day'),
		get('hour'),
		get('minute'),
		get('second'),
	);
	return wall - Math.floor(utcMs / 1000) * 1000;
}

/** A wall-clock date-time without offset, read in the given time zone. */
function parseLocal(text: string, timeZone: string): number | undefined {
	const m = LOCAL_DATE_TIME.exec(text);
	if (!m) return undefined;
	const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = m;
	const wall = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, +ms.padEnd(3, '0'));
	const check = new Date(wall);
	if (check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d) return undefined;
	let utc = wall - zoneOffsetMs(wall, timeZone);
	utc = wall - zoneOffsetMs(utc, timeZone);
	return utc;
}

/** ISO 8601 with an explicit offset, as Bitrix24 writes its own dates: 2026-11-29T10:00:00+00:00 */
export function toBitrixDateTime(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/**
 * Reads a date-time parameter: an ISO 8601 string (with or without offset; without one it is read in
 * the workflow's time zone), a Date or a Luxon DateTime from an expression.
 */
export function parseDateTime(
	node: INode,
	value: unknown,
	field: string,
	itemIndex: number,
	timeZone: string,
): string {
	let ms: number | undefined;
	if (value instanceof Date) {
		ms = value.getTime();
	} else if (
		value &&
		typeof value === 'object' &&
		typeof (value as { toISO?: unknown }).toISO === 'function'
	) {
		ms = Date.parse(String((value as { toISO: () => string }).toISO()));
	} else if (typeof value === 'string') {
		const text = value.trim();
		ms = HAS_ZONE.test(text) ? Date.parse(text) : parseLocal(text, timeZone);
	}
	if (ms === undefined || !Number.isFinite(ms)) {
		throw new NodeOperationError(node, `Invalid ${field} in item ${itemIndex}: it is not a date`, {
			itemIndex,
			description: `${field} must be a date and time like 2026-11-29T10:00:00 or 2026-11-29T10:00:00+02:00.`,
		});
	}
	return toBitrixDateTime(ms);
}
