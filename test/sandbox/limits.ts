// Leaky-bucket request limit (§5.1) and operating-time limit (§5.2).
import { formatDate } from './tasks.dto';
import type { OperatingOptions, RateLimitOptions } from './types';

/** one counter per portal (the sandbox is one portal); drains continuously */
export class LeakyBucket {
	private level = 0;
	private last = Date.now();

	constructor(private cfg: RateLimitOptions) {}

	configure(cfg: RateLimitOptions): void {
		this.cfg = cfg;
		this.level = 0;
		this.last = Date.now();
	}

	reset(): void {
		this.level = 0;
		this.last = Date.now();
	}

	/** true = accepted (counter incremented); false = rejected (counter unchanged) */
	take(): boolean {
		if (!this.cfg) return true;
		const now = Date.now();
		this.level = Math.max(0, this.level - ((now - this.last) / 1000) * this.cfg.drainPerSec);
		this.last = now;
		if (this.level + 1 > this.cfg.burst) return false;
		this.level += 1;
		return true;
	}
}

/** sliding window per (credential identity, method) of executed-call costs */
export class OperatingLimiter {
	private readonly windows = new Map<string, Array<{ at: number; cost: number }>>();

	constructor(private readonly cfg: OperatingOptions) {}

	private windowMs(): number {
		return ((this.cfg && this.cfg.windowSec) || 600) * 1000;
	}

	private entries(key: string): Array<{ at: number; cost: number }> {
		const cutoff = Date.now() - this.windowMs();
		const list = (this.windows.get(key) ?? []).filter((e) => e.at > cutoff);
		this.windows.set(key, list);
		return list;
	}

	isBlocked(key: string): boolean {
		if (!this.cfg) return false;
		return this.entries(key).reduce((s, e) => s + e.cost, 0) >= this.cfg.limitSec;
	}

	record(key: string): void {
		if (!this.cfg) return;
		this.entries(key).push({ at: Date.now(), cost: this.cfg.costPerCallSec });
	}

	/** `operating` and `operating_reset_at` of the time block */
	info(key: string | undefined): { operating: number; resetAt: number } {
		const now = Date.now();
		if (!this.cfg || key === undefined)
			return { operating: 0, resetAt: Math.floor((now + this.windowMs()) / 1000) };
		const list = this.entries(key);
		const operating = list.reduce((s, e) => s + e.cost, 0);
		const oldest = list.length ? list[0].at : now;
		return { operating, resetAt: Math.floor((oldest + this.windowMs()) / 1000) };
	}

	reset(): void {
		this.windows.clear();
	}
}

export function timeBlock(
	startMs: number,
	op: { operating: number; resetAt: number },
	timeZoneOffset?: string,
): Record<string, unknown> {
	const finishMs = Date.now();
	// date_start / date_finish in the portal's offset, like the task dates
	const iso = (ms: number) => formatDate(ms, timeZoneOffset) as string;
	return {
		start: startMs / 1000,
		finish: finishMs / 1000,
		duration: (finishMs - startMs) / 1000,
		processing: (finishMs - startMs) / 1000,
		date_start: iso(startMs),
		date_finish: iso(finishMs),
		operating_reset_at: op.resetAt,
		operating: op.operating,
	};
}
