import { Seeder } from './seeder';

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
export class ResultSeeder extends Seeder<ResultSpec> {
	protected seed(first: number, specs: ResultSpec[]): void {
		const results = specs.map((spec, n) => ({
			id: first + n,
			taskId: spec.taskId ?? 51,
			authorId: spec.authorId ?? 1,
			text: spec.text ?? `result ${first + n}`,
		}));
		this.portal().seed({ results });
	}
}
