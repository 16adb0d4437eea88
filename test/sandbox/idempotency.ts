// Idempotency-Key store for v3 writes (reference §8).
import { createHash } from 'node:crypto';

interface Stored {
	hash: string;
	status: number;
	text: string;
}

export function isValidIdempotencyKey(key: string): boolean {
	return key.length >= 1 && key.length <= 255 && /^[\x20-\x7e]+$/.test(key);
}

export function sha256(raw: string): string {
	return createHash('sha256').update(raw, 'utf8').digest('hex');
}

/** key = credential identity + user + method + Idempotency-Key; kept for the sandbox lifetime (real: 24 h) */
export class IdempotencyStore {
	private readonly map = new Map<string, Stored>();

	lookup(
		scopeKey: string,
		rawBody: string,
	): { kind: 'miss' } | { kind: 'replay'; stored: Stored } | { kind: 'reused' } {
		const s = this.map.get(scopeKey);
		if (!s) return { kind: 'miss' };
		return s.hash === sha256(rawBody) ? { kind: 'replay', stored: s } : { kind: 'reused' };
	}

	/** only HTTP 200 responses are stored */
	store(scopeKey: string, rawBody: string, status: number, text: string): void {
		if (status === 200) this.map.set(scopeKey, { hash: sha256(rawBody), status, text });
	}
}
