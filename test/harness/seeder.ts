import type { Sandbox } from '../sandbox';

/**
 * Hands out IDs from a counter, so tests of one file never reuse an ID; `seed` puts the rows on the
 * portal. Takes a getter because the sandbox is started in `beforeAll`.
 */
export abstract class Seeder<Spec extends object> {
	constructor(
		protected readonly portal: () => Sandbox,
		private nextId: number,
	) {}

	/** The ID the next seeded row gets (for IDs that must never exist, take them from here too). */
	reserve(count = 1): number {
		const first = this.nextId;
		this.nextId += count;
		return first;
	}

	one(spec: Spec = {} as Spec): number {
		return this.specs([spec])[0];
	}

	many(count: number, spec: Spec | ((n: number) => Spec) = {} as Spec): number[] {
		return this.specs(
			Array.from({ length: count }, (_, n) => (typeof spec === 'function' ? spec(n) : spec)),
		);
	}

	/** One row per spec, in order, with IDs `first`, `first + 1`, …; returns their IDs. */
	specs(specs: Spec[]): number[] {
		const first = this.reserve(specs.length);
		this.seed(first, specs);
		return specs.map((_, n) => first + n);
	}

	protected abstract seed(first: number, specs: Spec[]): void;
}
