import type { IDataObject, NodeApiError } from 'n8n-workflow';

import { MAX_BATCH_COMMANDS, sendBatch } from '../../Bitrix24Tasks/actions/batch';
import {
	pageBody,
	type GetAllInput,
} from '../../Bitrix24Tasks/actions/taskResult/getAll.operation';
import { V3_ACCESS_DENIED } from '../../Bitrix24Tasks/errors/codes';
import type { BitrixFailure } from '../../Bitrix24Tasks/errors/translate';
import type { ApiCall, Bitrix24Client } from '../../Bitrix24Tasks/transport';

const LIST_METHOD = 'tasks.task.result.list';

/** One task's list query: newer than `afterId` in id order, or its newest `limit` results. */
export interface ListQuery {
	taskId: number;
	afterId?: number;
	newest?: boolean;
	limit: number;
}

export type ListAnswer =
	| { kind: 'rows'; rows: IDataObject[] }
	/** the task is gone or the credential's user lost access: skipped, its cursor kept */
	| { kind: 'inaccessible'; error: NodeApiError }
	/** anything else (rate limit after retries, auth, network): the poll keeps what it has */
	| { kind: 'failed'; error: NodeApiError };

/** The same list body the action node's Get Many sends (so the items are the same too). */
function listCall(query: ListQuery): ApiCall {
	const input: GetAllInput = {
		filter: [['taskId', query.taskId]],
		dateBounds: [],
		sortField: 'id',
		sortDirection: query.newest ? 'DESC' : 'ASC',
		select: [],
	};
	return {
		api: 'v3',
		method: LIST_METHOD,
		body: pageBody(input, { limit: query.limit, offset: 0, afterId: query.afterId }, true),
	};
}

function rowsOf(result: unknown): IDataObject[] {
	const items = (result as IDataObject | null)?.items;
	return Array.isArray(items) ? (items as IDataObject[]) : [];
}

/** 403 access denied on the task, or a task that no longer exists. */
export function isInaccessible(failure: BitrixFailure): boolean {
	if (failure.code === V3_ACCESS_DENIED) return failure.httpCode === 403;
	return failure.httpCode === 404 && /NOTFOUND/i.test(failure.code);
}

async function listOne(client: Bitrix24Client, query: ListQuery): Promise<ListAnswer> {
	const outcome = await client.tryCall(listCall(query));
	if (outcome.ok) return { kind: 'rows', rows: rowsOf(outcome.result) };
	return isInaccessible(outcome.failure)
		? { kind: 'inaccessible', error: outcome.error }
		: { kind: 'failed', error: outcome.error };
}

/**
 * Runs the queries in REST 3.0 batches of up to 50 (one request each). A batch stops at its first
 * failing command and answers with that error alone; when that error is a task without access, the
 * chunk is asked again one task per request so that each task gets its own answer.
 */
export async function listResults(
	client: Bitrix24Client,
	queries: ListQuery[],
	timeLeft: () => boolean,
): Promise<Map<number, ListAnswer>> {
	const answers = new Map<number, ListAnswer>();
	for (let at = 0; at < queries.length; at += MAX_BATCH_COMMANDS) {
		if (at > 0 && !timeLeft()) break;
		const chunk = queries.slice(at, at + MAX_BATCH_COMMANDS);
		if (chunk.length === 1) {
			answers.set(chunk[0].taskId, await listOne(client, chunk[0]));
			continue;
		}
		const { results, outcome } = await sendBatch(client, chunk.map(listCall), 0);
		if (results) {
			chunk.forEach((query, index) =>
				answers.set(query.taskId, { kind: 'rows', rows: rowsOf(results[index]) }),
			);
			continue;
		}
		if (!outcome.ok && !isInaccessible(outcome.failure)) {
			for (const query of chunk)
				answers.set(query.taskId, { kind: 'failed', error: outcome.error });
			return answers;
		}
		for (const query of chunk) {
			const answer = await listOne(client, query);
			answers.set(query.taskId, answer);
			if (answer.kind === 'failed') return answers;
		}
	}
	return answers;
}
