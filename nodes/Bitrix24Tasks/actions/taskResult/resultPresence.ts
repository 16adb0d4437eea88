import type { IDataObject } from 'n8n-workflow';

import type { Bitrix24Client } from '../../transport';

/**
 * Which of these results are not on their task any more, asked through the list method (REST 3.0
 * has no "get result by ID"; the list needs the task). A failed check counts nothing as absent.
 */
export async function absentResults(
	client: Bitrix24Client,
	results: Array<{ id: number; taskId: number }>,
): Promise<Set<number>> {
	const byTask = new Map<number, number[]>();
	for (const { id, taskId } of results) byTask.set(taskId, [...(byTask.get(taskId) ?? []), id]);
	const absent = new Set<number>();
	for (const [taskId, ids] of byTask) {
		const listed = await client.tryCall({
			api: 'v3',
			method: 'tasks.task.result.list',
			body: {
				filter: [
					['taskId', taskId],
					['id', 'in', ids],
				],
				select: ['id'],
				pagination: { limit: 1000 },
			},
		});
		if (!listed.ok) continue;
		const items = ((listed.result as IDataObject)?.items ?? []) as IDataObject[];
		const present = new Set(items.map((item) => Number(item.id)));
		for (const id of ids) if (!present.has(id)) absent.add(id);
	}
	return absent;
}
