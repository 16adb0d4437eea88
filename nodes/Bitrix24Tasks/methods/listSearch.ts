import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { CLASSIC_PAGE_SIZE } from '../helpers/paginate';
import { Bitrix24Client, type AuthenticationType } from '../transport';
import type { Connection } from '../transport/connection';

function taskUrl(connection: Connection, task: IDataObject): string | undefined {
	const groupId = Number(task.groupId);
	if (groupId > 0)
		return `${connection.portal}/workgroups/group/${groupId}/tasks/task/view/${String(task.id)}/`;
	const userId = connection.webhook?.userId;
	return userId
		? `${connection.portal}/company/personal/user/${userId}/tasks/task/view/${String(task.id)}/`
		: undefined;
}

/** The Task picker's list: tasks the credential's user can see, newest first, searched by title. */
export async function searchTasks(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const authentication = this.getNodeParameter('authentication', 'webhook') as AuthenticationType;
	const client = await Bitrix24Client.connect(this, authentication);
	const start = Math.max(0, Number(paginationToken) || 0);
	const body: IDataObject = { order: { ID: 'desc' }, select: ['ID', 'TITLE', 'GROUP_ID'], start };
	const search = filter?.trim();
	if (search) body.filter = { '%TITLE': search };
	const { result } = await client.call({ api: 'v2', method: 'tasks.task.list', body });
	const tasks = ((result as IDataObject | null)?.tasks ?? []) as IDataObject[];
	const results: INodeListSearchItems[] = tasks.map((task) => ({
		name: `${String(task.title)} (#${String(task.id)})`,
		value: String(task.id),
		url: taskUrl(client.connection, task),
	}));
	return {
		results,
		paginationToken: tasks.length >= CLASSIC_PAGE_SIZE ? String(start + tasks.length) : undefined,
	};
}
