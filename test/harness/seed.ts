import type { Sandbox } from '../sandbox';

export interface ResultSpec {
	/** default 51 */
	taskId?: number;
	/** default 1, the user of the default webhook */
	authorId?: number;
	/** default `result <id>` */
	text?: string;
}

/**
 * Seeds task results with IDs from a counter, so tests of one file never reuse an ID. Takes a getter
 * because the sandbox is started in `beforeAll`.
 *
 * ```ts
 * const results = new ResultSeeder(() => sandbox, 5000);
 * const id = results.one();                                   // own result on task 51
 * const ids = results.many(60, (n) => ({ authorId: n === 30 ? 2 : 1 }));
 * ```
 */
export class ResultSeeder {
	constructor(
		private readonly portal: () => Sandbox,
		private nextId: number,
	) {}

	/** The ID the next seeded result gets (for IDs that must never exist, take them from here too). */
	reserve(count = 1): number {
		const first = this.nextId;
		this.nextId += count;
		return first;
	}

	one(spec: ResultSpec = {}): number {
		return this.specs([spec])[0];
	}

	many(count: number, spec: ResultSpec | ((n: number) => ResultSpec) = {}): number[] {
		return this.specs(
			Array.from({ length: count }, (_, n) => (typeof spec === 'function' ? spec(n) : spec)),
		);
	}

	/** One result per spec, in order; returns their IDs. */
	specs(specs: ResultSpec[]): number[] {
		const first = this.reserve(specs.length);
		const results = specs.map((spec, n) => ({
			id: first + n,
			taskId: spec.taskId ?? 51,
			authorId: spec.authorId ?? 1,
			text: spec.text ?? `result ${first + n}`,
		}));
		this.portal().seed({ results });
		return results.map((result) => result.id);
	}
}
