import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import {
	Bitrix24Client,
	DEFAULT_TRANSPORT_OPTIONS,
	type AuthenticationType,
	type TransportOptions,
} from '../../Bitrix24Tasks/transport';
import { listResults, type ListAnswer, type ListQuery } from './resultLists';
import { readWatchSpec, resolveWatchedTasks } from './watchedTasks';

/** Rows asked per task per round; a full page makes the task go again in the next round. */
const ROUND_PAGE = 200;
/** The share of n8n's poll budget a poll may use before it leaves the rest to the next tick. */
const BUDGET_SHARE = 0.8;
const DEFAULT_BUDGET_MS = 5 * 60 * 1000;
/** The next tick is the retry: a poll gives up early instead of waiting out a full rate or operating limit. */
const POLL_TRANSPORT: TransportOptions = {
	...DEFAULT_TRANSPORT_OPTIONS,
	maxRetries: 2,
	maxOperatingWaitSec: 0,
};

/** What the trigger keeps in the node's static data. */
export interface PollState {
	/** task ID → the highest result ID already emitted (or seen when the task was first watched) */
	cursors?: Record<string, number>;
	/** tasks whose last list call was refused: asked one by one, outside the batches */
	inaccessible?: number[];
}

/** Polls of one trigger node that are still running in this process (n8n may start overlapping ticks). */
const running = new Set<string>();

export async function pollTaskResults(
	this: IPollFunctions,
): Promise<INodeExecutionData[][] | null> {
	const key = `${this.getWorkflow().id ?? ''}:${this.getNode().id}`;
	if (running.has(key)) {
		this.logger.debug(
			'Bitrix24 Tasks Trigger: the previous poll is still running; skipping this one',
		);
		return null;
	}
	running.add(key);
	try {
		return await poll.call(this);
	} finally {
		running.delete(key);
	}
}

async function poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const spec = readWatchSpec.call(this);
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const authentication = this.getNodeParameter('authentication', 'webhook') as AuthenticationType;
	const client = await Bitrix24Client.connect(this, authentication, POLL_TRANSPORT);
	const taskIds = await resolveWatchedTasks(client, spec, this.getNode());
	const budget =
		typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : DEFAULT_BUDGET_MS;
	const deadline = Date.now() + budget * BUDGET_SHARE;
	const timeLeft = () => Date.now() < deadline;

	if (this.getMode() === 'manual') return await latestResult(client, taskIds, timeLeft);

	const state = this.getWorkflowStaticData('node') as PollState;
	const cursors: Record<string, number> = { ...(state.cursors ?? {}) };
	const refused = new Set(state.inaccessible ?? []);
	const includeExisting = options.includeExisting === true;
	const emitted: IDataObject[] = [];
	let failure: Error | undefined;

	// tasks watched for the first time start from their newest result, unless existing ones are wanted
	const unseen = taskIds.filter((id) => cursors[id] === undefined);
	if (includeExisting) for (const id of unseen) cursors[id] = 0;
	else if (unseen.length) {
		const answers = await ask(
			client,
			unseen.map((taskId) => ({ taskId, newest: true, limit: 1 })),
			refused,
			timeLeft,
		);
		for (const [taskId, answer] of answers) {
			if (answer.kind === 'rows') cursors[taskId] = Number(answer.rows[0]?.id ?? 0);
			else if (answer.kind === 'failed') failure ??= answer.error;
		}
	}

	const seededNow = new Set(includeExisting ? [] : unseen);
	let pending = taskIds.filter((id) => cursors[id] !== undefined && !seededNow.has(id));
	while (pending.length && !failure && timeLeft()) {
		const queries = pending.map((taskId) => ({
			taskId,
			afterId: cursors[taskId],
			limit: ROUND_PAGE,
		}));
		const answers = await ask(client, queries, refused, timeLeft);
		const again: number[] = [];
		for (const [taskId, answer] of answers) {
			if (answer.kind === 'failed') {
				failure ??= answer.error;
				continue;
			}
			if (answer.kind !== 'rows') continue;
			const fresh = answer.rows.filter((row) => Number(row.id) > cursors[taskId]);
			if (fresh.length === 0) continue;
			emitted.push(...fresh);
			cursors[taskId] = Math.max(...fresh.map((row) => Number(row.id)));
			if (answer.rows.length >= ROUND_PAGE) again.push(taskId);
		}
		pending = again;
	}

	// the cursors move only over what this poll returns; a failed task keeps its cursor for the next tick
	// written only when changed: n8n then knows there is something to save
	const inaccessible = [...refused].filter((id) => taskIds.includes(id));
	if (JSON.stringify(cursors) !== JSON.stringify(state.cursors ?? {})) state.cursors = cursors;
	if (JSON.stringify(inaccessible) !== JSON.stringify(state.inaccessible ?? []))
		state.inaccessible = inaccessible;
	if (failure) {
		if (emitted.length === 0) throw failure;
		this.logger.warn(
			`Bitrix24 Tasks Trigger: part of the poll failed (${failure.message}); the rest is retried next poll`,
		);
	}
	if (emitted.length === 0) return null;
	emitted.sort((a, b) => Number(a.id) - Number(b.id));
	return [this.helpers.returnJsonArray(emitted)];
}

/**
 * Lists the queries; tasks refused before go one by one (outside the batches, so one task without
 * access cannot stop a batch every poll). Updates `refused` from the answers.
 */
async function ask(
	client: Bitrix24Client,
	queries: ListQuery[],
	refused: Set<number>,
	timeLeft: () => boolean,
): Promise<Map<number, ListAnswer>> {
	const batched = queries.filter((query) => !refused.has(query.taskId));
	const alone = queries.filter((query) => refused.has(query.taskId));
	const answers = await listResults(client, batched, timeLeft);
	if (![...answers.values()].some((answer) => answer.kind === 'failed')) {
		for (const query of alone) {
			const one = await listResults(client, [query], timeLeft);
			for (const [taskId, answer] of one) answers.set(taskId, answer);
			if (one.get(query.taskId)?.kind === 'failed') break;
		}
	}
	for (const [taskId, answer] of answers) {
		if (answer.kind === 'inaccessible') refused.add(taskId);
		else if (answer.kind === 'rows') refused.delete(taskId);
	}
	return answers;
}

/** "Fetch Test Event": the newest result of the watched tasks; the cursors are left alone. */
async function latestResult(
	client: Bitrix24Client,
	taskIds: number[],
	timeLeft: () => boolean,
): Promise<INodeExecutionData[][] | null> {
	const answers = await listResults(
		client,
		taskIds.map((taskId) => ({ taskId, newest: true, limit: 1 })),
		timeLeft,
	);
	let latest: IDataObject | undefined;
	for (const answer of answers.values()) {
		if (answer.kind === 'failed') throw answer.error;
		if (answer.kind !== 'rows') continue;
		const row = answer.rows[0];
		if (row && (!latest || Number(row.id) > Number(latest.id))) latest = row;
	}
	return latest ? [[{ json: latest }]] : null;
}
