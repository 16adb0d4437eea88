import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { V3_ACCESS_DENIED } from '../../errors/codes';
import type { BitrixFailure } from '../../errors/translate';
import { MAX_PAGE_SIZE } from '../../helpers/paginate';
import { MAX_ID, parseId } from '../../helpers/validate';
import type { ApiCall, Bitrix24Client, CallOutcome } from '../../transport';
import { MAX_BATCH_COMMANDS, sendBatch, withIdempotencyKey } from '../batch';
import { batchingEnabled, batchRequestsField, optionsCollection } from '../common.description';
import type { OperationRun, RunItem } from '../node.type';
import { resultIdField } from './fields';

/** From this many deletes sent one request each, the output pane says why and how to batch them. */
export const ONE_BY_ONE_HINT_FROM = 20;

const properties: INodeProperties[] = [
	{
		...resultIdField,
		description:
			"ID of the task result to delete: the result's own ID (e.g. 17), not the task's ID. Deleting is permanent. Only the author of a result (or a portal administrator) can delete it.",
	},
	{
		displayName: 'Task ID',
		name: 'resultTaskId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 51 or {{ $json.taskId }}',
		description:
			'The task the result belongs to. Empty: taken from the input item when the item is that result (its ID is the Result ID and it has a taskId, as Get Many outputs it). With the task known, the node deletes up to 50 results per request; without it, one request per result. A wrong Task ID never makes a result look deleted: each result is first checked on its task, and one not found there is sent on its own. Required over the classic API (portals without REST 3.0 task results), where a result is deleted through its comment, found on its task.',
	},
	optionsCollection([
		batchRequestsField,
		{
			displayName: 'Ignore Already Deleted',
			name: 'ignoreAlreadyDeleted',
			type: 'boolean',
			default: false,
			description:
				'Whether to report success (alreadyDeleted: true) when Bitrix24 refuses the delete and the result is not on its task. Bitrix24 answers "access denied" both for a result that is gone and for one you may not delete, so the node looks at the task\u2019s results; needs the result\u2019s task (Task ID, or an input item that carries it). A real permission problem still fails.',
		},
		{
			displayName: 'Task ID (Old Location)',
			name: 'taskId',
			type: 'string',
			default: '',
			description:
				'Kept for workflows made before Task ID became a field of its own: use the Task ID field instead. When both are set, the field wins.',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['taskResult'], operation: ['delete'] } },
	properties,
);

export interface DeleteInput {
	id: number;
	taskId?: number;
	ignoreAlreadyDeleted: boolean;
}

const isBlank = (value: unknown) => value === '' || value === undefined || value === null;

/** The task of an input item that is the result itself (`id` = Result ID, plus `taskId`), as Get Many outputs it. */
function taskOfResultItem(json: IDataObject | undefined, resultId: number): number | undefined {
	if (!json || Number(json.id) !== resultId) return undefined;
	const taskId = typeof json.taskId === 'string' ? Number(json.taskId.trim()) : json.taskId;
	return typeof taskId === 'number' && Number.isInteger(taskId) && taskId > 0 && taskId <= MAX_ID
		? taskId
		: undefined;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): DeleteInput {
	const node = this.getNode();
	const id = parseId(node, this.getNodeParameter('resultId', itemIndex), 'Result ID', itemIndex);
	// one read of the collection: each read of an expression parameter costs n8n a data proxy
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const ignoreAlreadyDeleted = options.ignoreAlreadyDeleted === true;
	const field = this.getNodeParameter('resultTaskId', itemIndex, '') as unknown;
	const explicit = isBlank(field) ? options.taskId : field;
	const taskId = isBlank(explicit)
		? taskOfResultItem(this.getInputData()[itemIndex]?.json, id)
		: parseId(node, explicit, 'Task ID', itemIndex);
	if (ignoreAlreadyDeleted && taskId === undefined) {
		throw new NodeOperationError(node, `Invalid Task ID in item ${itemIndex}: it is empty`, {
			itemIndex,
			description:
				'"Ignore Already Deleted" needs the task of the result, to check that the result is really gone: set Task ID, or pass items that carry it (id and taskId, as Get Many outputs them).',
		});
	}
	return { id, ignoreAlreadyDeleted, ...(taskId === undefined ? {} : { taskId }) };
}

/*
 * Bulk delete, and what its outputs promise:
 * - `deleted: true` only when the portal confirmed that delete: a success answer for its command (or a
 *   replay of one), or the result was listed on its task before its command was sent and is missing after.
 * - `alreadyDeleted: true` only after the portal refused a delete that was sent for it ("access denied":
 *   Bitrix24's answer both for a result that is gone and for one the caller may not delete) and the
 *   result is not listed on its task.
 * A result that is not listed on its stated task is sent on its own, never assumed gone. The one case no
 * request can settle: another author's result on another task, with a wrong Task ID and "Ignore Already
 * Deleted", is reported already deleted (results can be listed only per task).
 *
 * The flow: (1) one list per task shows which results are there and which the caller may delete;
 * (2) those go in batches of up to 50; a batch that stops is settled from the task's list, its error
 * belongs to the first result still there; (3) every other result is sent on its own, for its own
 * answer; (4) after a failure that is not about one result (auth, network, limits), the results not
 * yet sent get that error; without Continue On Fail the first failure ends the run, and its error
 * says how many results were deleted before it.
 */

/** What the task's list showed for a result. */
type Presence =
	/** listed, and the caller may delete it (`rights.remove`) */
	| 'deletable'
	/** listed, and the portal says the caller may not delete it */
	| 'refused'
	/** not listed on the stated task: gone, never there, or on another task */
	| 'absent'
	/** not checked, or its task's list failed */
	| 'unknown';

/** A failed request: what failed, and whether the delete may have run unseen. */
interface Failed {
	failure: BitrixFailure;
	mayHaveRun: boolean;
	attempts?: string[];
}

interface Entry extends RunItem<DeleteInput> {
	/** items naming the same result and task: sent once, each gets this entry's outcome */
	twins: number[];
	/** what the task's list showed before anything was sent */
	before: Presence;
}

const request = (input: DeleteInput): ApiCall => ({
	api: 'v3',
	method: 'tasks.task.result.delete',
	body: { id: input.id },
	write: true,
});

/** The one output of a result reported gone. */
const output = (input: DeleteInput, alreadyDeleted = false): IDataObject[] => [
	alreadyDeleted
		? { id: input.id, deleted: true, alreadyDeleted: true }
		: { id: input.id, deleted: true },
];

/** A failure about one result (validation, access): the others may still succeed. */
function aboutOneResult(failure: BitrixFailure): boolean {
	return (
		[400, 403, 404, 422].includes(failure.httpCode ?? 0) &&
		failure.code.startsWith('BITRIX_REST_V3_EXCEPTION_')
	);
}

const listedBefore = (entry: Entry) => entry.before === 'deletable' || entry.before === 'refused';

export async function execute(
	this: IExecuteFunctions,
	run: OperationRun<DeleteInput>,
): Promise<void> {
	const entries = groupTwins(run.items);
	if (!entries.length) return;
	const client = await run.client();
	const flow = new BulkDelete(this, run, client);
	await flow.deleteAll(entries, batchingEnabled(this));
}

function groupTwins(items: Array<RunItem<DeleteInput>>): Entry[] {
	const byKey = new Map<string, Entry>();
	for (const item of items) {
		const key = `${item.input.id}:${item.input.taskId ?? ''}:${item.input.ignoreAlreadyDeleted}`;
		const entry = byKey.get(key);
		if (entry) entry.twins.push(item.itemIndex);
		else byKey.set(key, { ...item, twins: [item.itemIndex], before: 'unknown' });
	}
	return [...byKey.values()];
}

class BulkDelete {
	private deletedCount = 0;
	/** the failure that ends the run, and the item it came from */
	private halted: { failure: BitrixFailure; entry: Entry } | undefined;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly run: OperationRun<DeleteInput>,
		private readonly client: Bitrix24Client,
	) {}

	async deleteAll(entries: Entry[], batchingOn: boolean): Promise<void> {
		const withTask = batchingOn ? entries.filter(({ input }) => input.taskId !== undefined) : [];
		if (withTask.length > 1) await this.check(withTask);
		const batchable = withTask.filter((entry) => entry.before === 'deletable');
		if (batchable.length > 1) await this.sendBatches(batchable);
		const alone = entries.filter((entry) => !this.settled(entry));
		for (const entry of alone) {
			if (this.halted) break;
			await this.sendAlone(entry);
		}
		// not on a portal without REST 3.0 results: API Version Auto then runs the items again (apiVersion.ts)
		if (!this.client.v3MethodMissing) this.hintOneByOne(alone, batchingOn);
		this.finish(entries);
	}

	/** (1) Which results are on their task, and which of them the caller may delete. */
	private async check(entries: Entry[]): Promise<void> {
		const { presence, failure } = await this.presenceOnTasks(entries);
		entries.forEach((entry, n) => (entry.before = presence[n]));
		if (failure) this.halt(failure, entries[0]);
	}

	/** (2) Batches of deletable results; a stopped batch is settled from the task's list. */
	private async sendBatches(queue: Entry[]): Promise<void> {
		let faults = 0;
		// a batch of one is no better than the result sent alone
		while (queue.length > 1 && !this.halted) {
			const chunk = queue.splice(0, MAX_BATCH_COMMANDS);
			const { results, outcome } = await sendBatch(
				this.client,
				chunk.map(({ input }) => request(input)),
				chunk[0].itemIndex,
			);
			if (results) {
				for (const entry of chunk) this.deleted(entry);
				continue;
			}
			const failed: Failed = outcome.ok
				? {
						failure: { code: 'ERROR_UNEXPECTED_ANSWER', detail: 'no result per batch command' },
						mayHaveRun: true,
					}
				: outcome;
			const aboutOne = aboutOneResult(failed.failure);
			if (!failed.mayHaveRun && !aboutOne) {
				// refused as a whole (auth, rate limit): no command ran
				this.halt(failed.failure, chunk[0]);
				break;
			}
			// the commands before the failing one ran, the rest did not: only the task's list tells which
			const { presence, failure: listFailure } = await this.presenceOnTasks(chunk);
			const stillThere: Entry[] = [];
			chunk.forEach((entry, n) => {
				if (presence[n] === 'absent') this.deleted(entry);
				else if (presence[n] === 'unknown') this.fail(entry, { ...failed, mayHaveRun: true });
				else stillThere.push(entry);
			});
			const progress = stillThere.length < chunk.length;
			if (listFailure) this.halt(listFailure, chunk[0]);
			if (this.halted) break;
			if (!aboutOne) {
				if (faults++ < this.client.maxRetries) queue.unshift(...stillThere);
				else this.halt(failed.failure, stillThere[0] ?? chunk[0]);
				continue;
			}
			// the error is the failing command's own: it belongs to the first result still there when
			// the portal says the caller may not delete it
			const head = stillThere[0];
			if (head && presence[chunk.indexOf(head)] === 'refused') {
				this.fail(head, { ...failed, mayHaveRun: false });
				queue.unshift(...stillThere.slice(1));
			} else if (progress) {
				queue.unshift(...stillThere);
			} else {
				// the portal refused the batch itself: the rest go one by one, each for its own answer
				break;
			}
		}
	}

	/** (3) One result on its own, with its Idempotency-Key: a retry is replayed, never repeated. */
	private async sendAlone(entry: Entry): Promise<void> {
		const { input, itemIndex } = entry;
		const sent = await this.client.tryCall(
			withIdempotencyKey(this.client, request(input), itemIndex),
			itemIndex,
		);
		if (sent.ok) return this.deleted(entry);
		const refused = sent.failure.code === V3_ACCESS_DENIED && sent.failure.httpCode === 403;
		// there before, and now refused or unanswered: gone since (by this delete or another) = deleted
		if ((refused && entry.before === 'deletable') || (sent.mayHaveRun && listedBefore(entry))) {
			const now = await this.presenceNow(entry);
			if (now === 'absent') return this.deleted(entry);
			return this.fail(entry, { ...sent, mayHaveRun: sent.mayHaveRun && now === 'unknown' });
		}
		if (refused && input.ignoreAlreadyDeleted) {
			const now = entry.before === 'unknown' ? await this.presenceNow(entry) : entry.before;
			if (now === 'absent') return this.deleted(entry, true);
		}
		this.fail(entry, sent);
	}

	/** (4) Results not sent because the run stopped get its error; without Continue On Fail it is thrown. */
	private finish(entries: Entry[]): void {
		if (!this.halted) return;
		const { failure, entry: failed } = this.halted;
		const count = `${this.deletedCount} of ${entries.length} results`;
		if (!this.run.continueOnFail) {
			const error = this.run.outcomes.get(failed.itemIndex);
			const thrown =
				error instanceof Error ? error : this.client.errorFor(failure, failed.itemIndex);
			if (entries.length > 1) {
				(thrown as { description?: string }).description = [
					`${count} were deleted before this error. Fix the cause, then run the workflow again with "Ignore Already Deleted" on (it needs the Task ID): the results deleted already are then reported as already deleted.`,
					(thrown as { description?: string }).description,
				]
					.filter(Boolean)
					.join('\n\n');
			}
			throw thrown;
		}
		for (const entry of entries) {
			if (this.settled(entry)) continue;
			for (const itemIndex of entry.twins) {
				const error = this.client.errorFor(failure, itemIndex);
				error.description = `Not sent: the run stopped at this error (${count} were deleted before it).\n\n${error.description ?? ''}`;
				this.run.outcomes.set(itemIndex, error);
			}
		}
	}

	private settled(entry: Entry): boolean {
		return this.run.outcomes.has(entry.itemIndex);
	}

	private deleted(entry: Entry, alreadyDeleted = false): void {
		if (!alreadyDeleted) this.deletedCount++;
		for (const itemIndex of entry.twins)
			this.run.outcomes.set(itemIndex, output(entry.input, alreadyDeleted));
	}

	private fail(entry: Entry, { failure, mayHaveRun, attempts }: Failed): void {
		for (const itemIndex of entry.twins)
			this.run.outcomes.set(
				itemIndex,
				this.client.errorFor(failure, itemIndex, { mayHaveRun, attempts }),
			);
		if (!this.run.continueOnFail || !aboutOneResult(failure)) this.halt(failure, entry);
	}

	private halt(failure: BitrixFailure, entry: Entry): void {
		this.halted ??= { failure, entry };
	}

	/** Where one result is now; a list failure that is not about its task ends the run. */
	private async presenceNow(entry: Entry): Promise<Presence> {
		const { presence, failure } = await this.presenceOnTasks([entry]);
		if (failure) this.halt(failure, entry);
		return presence[0];
	}

	/**
	 * Where each result is now, from `tasks.task.result.list`: REST 3.0 has no "get result by ID" and
	 * lists one task per call, up to 1,000 IDs each. A list that fails about its task leaves its
	 * results `unknown`; any other failure stops the listing and is returned.
	 */
	private async presenceOnTasks(
		entries: Entry[],
	): Promise<{ presence: Presence[]; failure?: BitrixFailure }> {
		const byTask = new Map<number, Set<number>>();
		for (const { input } of entries) {
			if (input.taskId === undefined) continue;
			byTask.set(input.taskId, (byTask.get(input.taskId) ?? new Set()).add(input.id));
		}
		const seen = new Map<string, Presence>();
		let failure: BitrixFailure | undefined;
		for (const [taskId, idSet] of byTask) {
			const ids = [...idSet];
			for (let start = 0; start < ids.length && !failure; start += MAX_PAGE_SIZE) {
				const chunk = ids.slice(start, start + MAX_PAGE_SIZE);
				const answer: CallOutcome = await this.client.tryCall({
					api: 'v3',
					method: 'tasks.task.result.list',
					body: {
						filter: [
							['taskId', taskId],
							['id', 'in', chunk],
						],
						select: ['id', 'rights'],
						order: { id: 'ASC' },
						pagination: { limit: MAX_PAGE_SIZE },
					},
				});
				const items = answer.ok ? (answer.result as IDataObject | null)?.items : undefined;
				if (!Array.isArray(items)) {
					if (!answer.ok && !aboutOneResult(answer.failure)) failure = answer.failure;
					continue;
				}
				for (const id of chunk) seen.set(`${taskId}:${id}`, 'absent');
				for (const item of items as IDataObject[]) {
					const rights = item.rights as IDataObject | undefined;
					seen.set(
						`${taskId}:${Number(item.id)}`,
						rights?.remove === false ? 'refused' : 'deletable',
					);
				}
			}
		}
		return {
			presence: entries.map(({ input }) => seen.get(`${input.taskId}:${input.id}`) ?? 'unknown'),
			failure,
		};
	}

	/** The output pane says why many results went one request each, and how to batch them. */
	private hintOneByOne(alone: Entry[], batchingOn: boolean): void {
		const unbatched = batchingOn ? alone.filter(({ input }) => input.taskId === undefined) : alone;
		if (unbatched.length < ONE_BY_ONE_HINT_FROM || typeof this.ctx.addExecutionHints !== 'function')
			return;
		const why = batchingOn
			? 'their task is unknown (Task ID is empty and the input items do not carry id and taskId)'
			: '"Batch Requests" is off';
		const fix = batchingOn
			? `set Task ID (e.g. {{ $json.taskId }}) to delete up to ${MAX_BATCH_COMMANDS} per request`
			: `turn "Batch Requests" on and set Task ID to delete up to ${MAX_BATCH_COMMANDS} per request`;
		this.ctx.addExecutionHints({
			message: `${unbatched.length} results were deleted one request each, because ${why}: ${fix}.`,
			type: 'info',
			location: 'outputPane',
		});
	}
}
