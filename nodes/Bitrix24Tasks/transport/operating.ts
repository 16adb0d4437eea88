import type { IDataObject } from 'n8n-workflow';

import type { BitrixFailure } from '../errors/translate';

/** Last `time.operating_reset_at` seen per webhook/app and method, process-wide (reference §5.2). */
const resetAt = new Map<string, number>();

const key = (identity: string, method: string) => `${identity}|${method.toLowerCase()}`;

export function recordOperating(
	identity: string,
	method: string,
	time: IDataObject | undefined,
): void {
	const reset = Number(time?.operating_reset_at);
	if (Number.isFinite(reset) && reset > 0) resetAt.set(key(identity, method), reset);
}

/** How long to wait for an operating-limit block to lift: until the reset time + 1 s, or 10 s when unknown. */
export function operatingWaitMs(
	identity: string,
	method: string,
	failure: BitrixFailure,
	now = Date.now(),
): number {
	const reset = failure.operatingResetAt ?? resetAt.get(key(identity, method));
	if (reset) failure.operatingResetAt = reset;
	if (!reset) return 10_000;
	return Math.max(1_000, reset * 1000 + 1000 - now);
}
