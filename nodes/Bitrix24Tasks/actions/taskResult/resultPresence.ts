import type { IDataObject } from 'n8n-workflow';

import { MAX_PAGE_SIZE } from '../../helpers/paginate';
import type { Bitrix24Client } from '../../transport';

/**
 * Whether each result is on its task now, asked through the list method (REST 3.0 has no "get result
 * by ID", and the list needs one task per call): one `tasks.task.result.list` per task and 1,000 IDs.
 * `true` = listed on that task, `false` = not listed there (deleted, never there, or on another task),
 * `undefined` = unknown, because that list call failed.
 */
export async function resultsOnTask(
	client: Bitrix24Client,
	results: Array<{ id: number; taskId: number }>,
): Promise<Array<boolean | undefined>> {
	const byTask = new Map<number, Set<number>>();
	for (const { id, taskId } of results)
		byTask.set(taskId, (byTask.get(taskId) ?? new Set()).add(id));
	const listed = new Map<number, Set<number> | undefined>();
	for (const [taskId, idSet] of byTask) {
		const ids = [...idSet];
		const present = new Set<number>();
		let known = true;
		for (let start = 0; start < ids.length && known; start += MAX_PAGE_SIZE) {
			const chunk = ids.slice(start, start + MAX_PAGE_SIZE);
			const answer = await client.tryCall({
				api: 'v3',
				method: 'tasks.task.result.list',
				body: {
					filter: [
						['taskId', taskId],
						['id', 'in', chunk],
					],
					select: ['id'],
					pagination: { limit: MAX_PAGE_SIZE },
				},
			});
			const items = answer.ok ? (answer.result as IDataObject | null)?.items : undefined;
			if (!Array.isArray(items)) known = false;
			else for (const item of items as IDataObject[]) present.add(Number(item.id));
		}
		listed.set(taskId, known ? present : undefined);
	}
	return results.map(({ id, taskId }) => listed.get(taskId)?.has(id));
}
