import type { IDataObject } from 'n8n-workflow';

import type { BitrixFailure } from '../../../errors/translate';
import type { Bitrix24Client } from '../../../transport';

const idOrNull = (value: unknown): number | null => {
	const id = Number(value);
	return value === null || value === undefined || value === '' || !Number.isFinite(id) || id <= 0
		? null
		: id;
};

/**
 * A classic result row (reference §3) in the REST 3.0 item shape (§2.6): `createdBy` → `authorId`,
 * `status` 0/1 → "open"/"closed", `files` → `fileIds`, ids as numbers; `messageId` is null (the
 * classic API does not give it). Kept from the classic row: `commentId` (null for a result without
 * a comment, where Bitrix24 says 0) and `formattedText`.
 */
export function fromClassicRow(row: IDataObject): IDataObject {
	const status = String(row.status);
	return {
		id: Number(row.id),
		taskId: Number(row.taskId),
		text: typeof row.text === 'string' ? row.text : String(row.text ?? ''),
		authorId: Number(row.createdBy),
		createdAt: row.createdAt ?? null,
		updatedAt: row.updatedAt || null,
		status: status === '0' || status === 'open' ? 'open' : 'closed',
		fileIds: Array.isArray(row.files) ? row.files.map(Number) : [],
		messageId: null,
		commentId: idOrNull(row.commentId),
		formattedText: row.formattedText ?? null,
	};
}

/** A failure the node reports itself (a row of the error table), for one item. */
export function nodeFailure(code: string, detail?: string): BitrixFailure {
	return detail === undefined ? { code } : { code, detail };
}

/** Every result of a task over the classic `tasks.task.result.list` (newest first, no paging). */
export async function listClassic(
	client: Bitrix24Client,
	taskId: number,
	itemIndex: number,
): Promise<IDataObject[]> {
	const { result } = await client.call(
		{ api: 'v2', method: 'tasks.task.result.list', body: { taskId } },
		itemIndex,
	);
	if (!Array.isArray(result))
		throw client.errorFor(
			nodeFailure('ERROR_UNEXPECTED_ANSWER', 'the list of task results is not an array'),
			itemIndex,
		);
	return (result as IDataObject[]).map(fromClassicRow);
}
