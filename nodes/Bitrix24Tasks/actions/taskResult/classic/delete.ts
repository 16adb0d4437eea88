import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { failureFromBody, type BitrixFailure } from '../../../errors/translate';
import type { Bitrix24Client } from '../../../transport';
import { MAX_BATCH_COMMANDS } from '../../batch';
import { batchingEnabled } from '../../common.description';
import type { OperationRun, RunItem } from '../../node.type';
import type { DeleteInput } from '../delete.operation';
import { fromClassicRow, nodeFailure } from './rows';

/*
 * Delete over the classic API (reference §3, §9): a result is deleted through the forum comment it was
 * made from (`tasks.task.result.deleteFromComment` really deletes it), found in its task's list.
 * (1) one list per task; (2) every result is checked before anything is sent: on its task, made from a
 * comment, no other result on that comment; (3) one delete per comment, up to 50 per classic `batch`
 * with Batch Requests on; (4) one list per task again:
 * a result is reported deleted only when that list confirms it is gone.
 */

interface Entry extends RunItem<DeleteInput> {
	taskId: number;
	/** items naming the same result and task: deleted once, each gets this entry's outcome */
	twins: number[];
	commentId?: number;
	/** the answer of its delete, when one was sent */
	sent?: Sent;
}

type Sent = { ok: true } | { ok: false; failure: BitrixFailure; mayHaveRun: boolean };

const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** A list failure about one task (no access, bad parameter): the other tasks still go on. */
const aboutOneTask = (failure: BitrixFailure) => failure.code === '0' || failure.code === '100';

async function listTask(
	client: Bitrix24Client,
	taskId: number,
	itemIndex: number,
): Promise<Map<number, IDataObject> | BitrixFailure> {
	const answer = await client.tryCall(
		{ api: 'v2', method: 'tasks.task.result.list', body: { taskId } },
		itemIndex,
	);
	if (!answer.ok) return answer.failure;
	if (!Array.isArray(answer.result))
		return nodeFailure('ERROR_UNEXPECTED_ANSWER', 'the list of task results is not an array');
	const rows = (answer.result as IDataObject[]).map(fromClassicRow);
	return new Map(rows.map((row) => [row.id as number, row]));
}

export async function deleteClassic(
	this: IExecuteFunctions,
	run: OperationRun<DeleteInput>,
): Promise<void> {
	const entries = new Map<string, Entry>();
	for (const item of run.items) {
		const { taskId, id, ignoreAlreadyDeleted } = item.input;
		if (taskId === undefined) {
			const error = new NodeOperationError(
				this.getNode(),
				`Invalid Task ID in item ${item.itemIndex}: it is empty`,
				{
					itemIndex: item.itemIndex,
					description:
						'Over the classic API a result is deleted through its comment, found in the results of its task: set Task ID, or pass items that carry it (id and taskId, as Get Many outputs them).',
				},
			);
			if (!run.continueOnFail) throw error;
			run.outcomes.set(item.itemIndex, error);
			continue;
		}
		const key = `${id}:${taskId}:${ignoreAlreadyDeleted}`;
		const twin = entries.get(key);
		if (twin) twin.twins.push(item.itemIndex);
		else entries.set(key, { ...item, taskId, twins: [item.itemIndex] });
	}
	if (!entries.size) return;
	await new ClassicDelete(run, await run.client()).deleteAll(
		[...entries.values()],
		batchingEnabled(this),
	);
}

class ClassicDelete {
	private deletedCount = 0;
	private halted: { failure: BitrixFailure; entry: Entry } | undefined;

	constructor(
		private readonly run: OperationRun<DeleteInput>,
		private readonly client: Bitrix24Client,
	) {}

	async deleteAll(entries: Entry[], batching: boolean): Promise<void> {
		const before = await this.listTasks(entries);
		const toSend = this.halted ? [] : entries.filter((entry) => this.check(entry, before));
		if (!this.run.continueOnFail && this.halted) return this.finish(entries);
		const byComment = new Map<number, Entry[]>();
		for (const entry of toSend)
			byComment.set(entry.commentId!, [...(byComment.get(entry.commentId!) ?? []), entry]);
		const groups = [...byComment.values()];
		if (batching && groups.length > 1) await this.sendBatches(groups);
		else
			for (const group of groups) {
				if (this.halted) break;
				this.record(group, await this.sendOne(group[0]));
			}
		const sent = toSend.filter((entry) => entry.sent);
		const after = await this.listTasks(sent);
		for (const entry of sent) this.settle(entry, after.get(entry.taskId));
		this.finish(entries);
	}

	/** The delete of one comment, on its own. */
	private async sendOne(entry: Entry): Promise<Sent> {
		const answer = await this.client.tryCall(
			{
				api: 'v2',
				method: 'tasks.task.result.deleteFromComment',
				body: { commentId: entry.commentId },
				write: true,
			},
			entry.itemIndex,
		);
		return answer.ok ? { ok: true } : answer;
	}

	/**
	 * Up to 50 deletes per classic `batch` without `halt`: every command runs and answers for itself in
	 * `result_error` (reference §7.1). A batch without an answer may have run in part: the list after
	 * it settles each result.
	 */
	private async sendBatches(groups: Entry[][]): Promise<void> {
		for (let start = 0; start < groups.length && !this.halted; start += MAX_BATCH_COMMANDS) {
			const chunk = groups.slice(start, start + MAX_BATCH_COMMANDS);
			const cmd = Object.fromEntries(
				chunk.map((group, n) => [
					`d${n}`,
					`tasks.task.result.deleteFromComment?commentId=${group[0].commentId}`,
				]),
			);
			const answer = await this.client.tryCall(
				{ api: 'v2', method: 'batch', body: { halt: 0, cmd }, write: true },
				chunk[0][0].itemIndex,
			);
			if (!answer.ok) {
				for (const group of chunk) this.record(group, answer);
				continue;
			}
			const errors = (answer.result as IDataObject | null)?.result_error;
			chunk.forEach((group, n) => {
				const error = isObject(errors) ? errors[`d${n}`] : undefined;
				// alone, the classic result methods answer their errors with HTTP 400 (§3)
				const failure = isObject(error)
					? failureFromBody(aboutOneTask({ code: String(error.error) }) ? 400 : 200, error)
					: undefined;
				this.record(group, failure ? { ok: false, failure, mayHaveRun: false } : { ok: true });
			});
		}
	}

	/** The answer for every item of one comment; a failure not about its task stops the run. */
	private record(group: Entry[], sent: Sent): void {
		for (const entry of group) entry.sent = sent;
		if (!sent.ok && (!this.run.continueOnFail || !aboutOneTask(sent.failure)))
			this.halt(sent.failure, group[0]);
	}

	/** One list per task; a failure that is not about its task stops the run. */
	private async listTasks(
		entries: Entry[],
	): Promise<Map<number, Map<number, IDataObject> | BitrixFailure>> {
		const lists = new Map<number, Map<number, IDataObject> | BitrixFailure>();
		for (const entry of entries) {
			if (lists.has(entry.taskId)) continue;
			const list = await listTask(this.client, entry.taskId, entry.itemIndex);
			lists.set(entry.taskId, list);
			if (!(list instanceof Map) && !aboutOneTask(list)) {
				this.halt(list, entry);
				break;
			}
		}
		return lists;
	}

	/** Whether the result can be deleted through its comment; otherwise the entry gets its error. */
	private check(
		entry: Entry,
		lists: Map<number, Map<number, IDataObject> | BitrixFailure>,
	): boolean {
		const { id, ignoreAlreadyDeleted } = entry.input;
		const list = lists.get(entry.taskId);
		if (list === undefined) return false;
		if (!(list instanceof Map)) return this.fail(entry, list);
		const row = list.get(id);
		if (!row) {
			if (ignoreAlreadyDeleted) return this.deleted(entry, true);
			return this.fail(
				entry,
				nodeFailure('RESULT_NOT_ON_TASK', `result ${id} is not on task ${entry.taskId}`),
			);
		}
		if (!row.commentId) {
			return this.fail(
				entry,
				nodeFailure(
					'RESULT_WITHOUT_COMMENT',
					`result ${id} of task ${entry.taskId} was made in the new task card (commentId 0)`,
				),
			);
		}
		const others = [...list.values()]
			.filter((other) => other.commentId === row.commentId && other.id !== id)
			.map((other) => other.id as number);
		const asked = new Set(this.run.items.map(({ input }) => input.id));
		const notAsked = others.filter((other) => !asked.has(other));
		if (notAsked.length) {
			return this.fail(
				entry,
				nodeFailure(
					'COMMENT_HAS_OTHER_RESULTS',
					`comment ${String(row.commentId)} also carries result${notAsked.length > 1 ? 's' : ''} ${notAsked.join(', ')}`,
				),
			);
		}
		entry.commentId = row.commentId as number;
		return true;
	}

	/** Deleted only when the task's list after the delete no longer has the result. */
	private settle(entry: Entry, list: Map<number, IDataObject> | BitrixFailure | undefined): void {
		const sent = entry.sent!;
		if (list instanceof Map && !list.has(entry.input.id)) {
			this.deleted(entry);
			return;
		}
		if (!sent.ok) {
			this.fail(entry, sent.failure, sent.mayHaveRun && !(list instanceof Map));
			return;
		}
		if (list instanceof Map) {
			this.fail(
				entry,
				nodeFailure(
					'DELETE_NOT_CONFIRMED',
					`result ${entry.input.id} is still on task ${entry.taskId}`,
				),
			);
			return;
		}
		// answered, but the list that would confirm it failed
		this.fail(entry, list ?? nodeFailure('DELETE_NOT_CONFIRMED'), true);
	}

	private deleted(entry: Entry, alreadyDeleted = false): false {
		if (!alreadyDeleted) this.deletedCount++;
		const json: IDataObject = alreadyDeleted
			? { id: entry.input.id, deleted: true, alreadyDeleted: true }
			: { id: entry.input.id, deleted: true };
		for (const itemIndex of entry.twins) this.run.outcomes.set(itemIndex, [{ ...json }]);
		return false;
	}

	private fail(entry: Entry, failure: BitrixFailure, mayHaveRun = false): false {
		for (const itemIndex of entry.twins)
			this.run.outcomes.set(itemIndex, this.client.errorFor(failure, itemIndex, { mayHaveRun }));
		if (!this.run.continueOnFail) this.halt(failure, entry);
		return false;
	}

	private halt(failure: BitrixFailure, entry: Entry): void {
		this.halted ??= { failure, entry };
	}

	/** Without Continue On Fail the first failure is thrown, saying how many results were deleted before it. */
	private finish(entries: Entry[]): void {
		if (!this.halted) return;
		const { failure, entry: failed } = this.halted;
		const count = `${this.deletedCount} of ${entries.length} results were deleted`;
		if (!this.run.continueOnFail) {
			const outcome = this.run.outcomes.get(failed.itemIndex);
			const error =
				outcome instanceof Error ? outcome : this.client.errorFor(failure, failed.itemIndex);
			if (entries.length > 1)
				(error as { description?: string }).description = [
					`${count} before this error.`,
					(error as { description?: string }).description,
				]
					.filter(Boolean)
					.join('\n\n');
			throw error;
		}
		for (const entry of entries) {
			if (this.run.outcomes.has(entry.itemIndex)) continue;
			for (const itemIndex of entry.twins) {
				const error = this.client.errorFor(failure, itemIndex);
				error.description = `Not sent: the run stopped at this error (${count} before it).\n\n${error.description ?? ''}`;
				this.run.outcomes.set(itemIndex, error);
			}
		}
	}
}
