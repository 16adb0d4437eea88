import type { Sandbox, TaskSeed } from '../sandbox';
import { Seeder } from './seeder';

export type TaskSpec = Partial<Omit<TaskSeed, 'id'>>;

/**
 * Seeds tasks with IDs from a counter, so tests of one file never reuse an ID (like ResultSeeder).
 * Defaults: creator and responsible = user 1 (the default webhook), status 2 (pending), a task chat
 * `10000 + id`, title `task <id>`. Dates: ISO strings with an offset or epoch ms.
 *
 * ```ts
 * const tasks = new TaskSeeder(() => sandbox, 3000);
 * const id = tasks.one({ deadline: '2026-01-10T18:00:00+03:00', groupId: 7 });
 * const ids = tasks.many(120, (n) => ({ responsibleId: n % 2 ? 2 : 1 }));
 * const foreign = tasks.one({ createdBy: 2, responsibleId: 2 });   // user 1 has no access
 * ```
 */
export class TaskSeeder extends Seeder<TaskSpec> {
	protected seed(first: number, specs: TaskSpec[]): void {
		const tasks: TaskSeed[] = specs.map((spec, n) => ({
			title: `task ${first + n}`,
			createdBy: 1,
			chatId: 10000 + first + n,
			...spec,
			id: first + n,
		}));
		this.portal().seed({ tasks });
	}
}

/** The sandbox's view of a task, for asserting portal state (undefined = gone). */
export function taskState(portal: Sandbox, id: number) {
	return portal.state.tasks.get(id);
}
