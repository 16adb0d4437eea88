import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { CLASSIC_PAGE_SIZE } from '../helpers/paginate';
import { Bitrix24Client, type AuthenticationType } from '../transport';

async function classicList(
	ctx: ILoadOptionsFunctions,
	method: string,
	body: IDataObject,
	paginationToken?: string,
): Promise<{ rows: IDataObject[]; start: number; client: Bitrix24Client }> {
	const authentication = ctx.getNodeParameter('authentication', 'webhook') as AuthenticationType;
	const client = await Bitrix24Client.connect(ctx, authentication);
	const start = Math.max(0, Number(paginationToken) || 0);
	const { result } = await client.call({ api: 'v2', method, body: { ...body, start } });
	return { rows: Array.isArray(result) ? (result as IDataObject[]) : [], start, client };
}

const next = (rows: IDataObject[], start: number) =>
	rows.length >= CLASSIC_PAGE_SIZE ? String(start + rows.length) : undefined;

/** The people pickers' list: active users of the portal (classic `user.search`, scope `user`), by name. */
export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const search = filter?.trim();
	const { rows, start, client } = await classicList(
		this,
		'user.search',
		{
			FILTER: { ACTIVE: true, ...(search ? { FIND: search } : {}) },
			sort: 'LAST_NAME',
			order: 'ASC',
		},
		paginationToken,
	);
	const results: INodeListSearchItems[] = rows.map((user) => {
		const name = [user.NAME, user.LAST_NAME]
			.filter((part) => part)
			.join(' ')
			.trim();
		return {
			name: `${name || String(user.EMAIL ?? '')} (#${String(user.ID)})`,
			value: String(user.ID),
			url: `${client.connection.portal}/company/personal/user/${String(user.ID)}/`,
		};
	});
	return { results, paginationToken: next(rows, start) };
}

/** The Workgroup picker's list: workgroups and projects the user can see (`sonet_group.get`), by name. */
export async function searchGroups(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const search = filter?.trim();
	const { rows, start, client } = await classicList(
		this,
		'sonet_group.get',
		{ ORDER: { NAME: 'ASC' }, ...(search ? { FILTER: { '%NAME': search } } : {}) },
		paginationToken,
	);
	const results: INodeListSearchItems[] = rows.map((group) => ({
		name: `${String(group.NAME)} (#${String(group.ID)})`,
		value: String(group.ID),
		url: `${client.connection.portal}/workgroups/group/${String(group.ID)}/`,
	}));
	return { results, paginationToken: next(rows, start) };
}
