// Fault injection queue with a deterministic PRNG.
import type { Fault, FaultMatch } from './types';

/** mulberry32: small seeded PRNG so probabilistic faults repeat run to run */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

interface Entry {
	fault: Fault;
	inBatch: boolean;
	restMethod?: string;
	remaining: number;
	skip: number;
	probability?: number;
}

export const TOKEN_METHOD = 'oauth.token';

export class FaultQueue {
	private entries: Entry[] = [];

	constructor(private readonly random: () => number) {}

	add(fault: Fault, match: FaultMatch = {}): void {
		this.entries.push({
			fault,
			inBatch: match.inBatch === true,
			restMethod: match.restMethod?.toLowerCase(),
			remaining: match.times ?? (match.probability !== undefined ? Infinity : 1),
			skip: match.afterMatches ?? 0,
			probability: match.probability,
		});
	}

	clear(): void {
		this.entries = [];
	}

	/**
	 * First entry matching this request fires. A fault without `restMethod` matches every REST
	 * request but not token-server requests (target those with restMethod 'oauth.token').
	 */
	take(restMethod: string | undefined, inBatch = false): Fault | undefined {
		const m = restMethod?.toLowerCase();
		for (const e of this.entries) {
			if (e.inBatch !== inBatch) continue;
			if (e.restMethod !== undefined ? e.restMethod !== m : m === TOKEN_METHOD) continue;
			if (e.skip > 0) {
				e.skip--;
				continue;
			}
			if (e.probability !== undefined && this.random() >= e.probability) continue;
			e.remaining--;
			if (e.remaining <= 0) this.entries = this.entries.filter((x) => x !== e);
			return e.fault;
		}
		return undefined;
	}
}
