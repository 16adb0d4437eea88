import type { IDataObject, INode, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseId } from '../../Bitrix24Tasks/helpers/validate';
import type { Bitrix24Client } from '../../Bitrix24Tasks/transport';

/** Classic `tasks.task.list` pages hold 50 tasks. */
const TASK_PAGE = 50;
/** Bitrix24 task statuses other than 5 (completed); docs `tasks-task-list.md`, REAL_STATUS. */
const NOT_COMPLETED = [1, 2, 3, 4, 6];

export type WatchSpec =
	| { kind: 'taskIds'; taskIds: number[] }
	| { kind: 'filter'; responsibleIsMe: boolean; groupId: number; onlyOpen: boolean; max: number };

/** Reads and checks the Watch parameters before any request. */
export function readWatchSpec(this: IPollFunctions): WatchSpec {
	const node = this.getNode();
	if (this.getNodeParameter('watch', 'taskIds') === 'taskIds') {
		const raw = String(this.getNodeParameter('taskIds', '') ?? '');
		const parts = raw
			.split(/[\s,;]+/)
			.map((part) => part.trim())
			.filter((part) => part !== '');
		if (parts.length === 0) {
			throw new NodeOperationError(node, 'Invalid Task IDs: it is empty', {
				description: 'Enter the IDs of the tasks to watch, separated by commas, like 51, 52.',
			});
		}
		const taskIds = [...new Set(parts.map((part) => parseId(node, part, 'Task IDs', 0)))];
		return { kind: 'taskIds', taskIds };
	}
	const max = Number(this.getNodeParameter('maxTasks', 100));
	if (!Number.isInteger(max) || max < 1) {
		throw new NodeOperationError(
			node,
			'Invalid Max Watched Tasks: it must be a whole number of at least 1',
		);
	}
	const groupId = Number(this.getNodeParameter('groupId', 0));
	if (!Number.isInteger(groupId) || groupId < 0) {
		throw new NodeOperationError(node, 'Invalid Workgroup ID: it must be a whole number, 0 = any');
	}
	return {
		kind: 'filter',
		responsibleIsMe: this.getNodeParameter('responsibleIsMe', true) as boolean,
		groupId,
		onlyOpen: this.getNodeParameter('onlyOpen', true) as boolean,
		max,
	};
}

/** The tasks to poll now: the fixed list, or the newest tasks matching the filter (read again each poll). */
export async function resolveWatchedTasks(
	client: Bitrix24Client,
	spec: WatchSpec,
	node: INode,
): Promise<number[]> {
	if (spec.kind === 'taskIds') return spec.taskIds;
	const filter: IDataObject = {};
	if (spec.responsibleIsMe) filter.RESPONSIBLE_ID = await currentUserId(client, node);
	if (spec.groupId > 0) filter.GROUP_ID = spec.groupId;
	if (spec.onlyOpen) filter.REAL_STATUS = NOT_COMPLETED;
	const ids: number[] = [];
	for (let start = 0; ids.length < spec.max; start += TASK_PAGE) {
		const { result } = await client.call({
			api: 'v2',
			method: 'tasks.task.list',
			body: { filter, order: { ID: 'desc' }, select: ['ID'], start },
		});
		const tasks = (result as IDataObject | null)?.tasks;
		const page = Array.isArray(tasks) ? (tasks as IDataObject[]) : [];
		for (const task of page) {
			const id = Number(task.id ?? task.ID);
			if (Number.isInteger(id) && id > 0 && ids.length < spec.max) ids.push(id);
		}
		if (page.length < TASK_PAGE) break;
	}
	return ids;
}

/** The credential's user: known from a webhook URL, else one `user.current` call. */
async function currentUserId(client: Bitrix24Client, node: INode): Promise<number> {
	const fromWebhook = client.connection.webhook?.userId;
	if (fromWebhook) return Number(fromWebhook);
	const { result } = await client.call({ api: 'v2', method: 'user.current' });
	const id = Number((result as IDataObject | null)?.ID);
	if (!Number.isInteger(id) || id <= 0) {
		throw new NodeOperationError(
			node,
			'Bitrix24 did not say which user the credential belongs to',
			{
				description: 'user.current answered without an ID; "Responsible Is Me" cannot be applied.',
			},
		);
	}
	return id;
}
