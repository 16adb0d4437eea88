import type { IDataObject } from 'n8n-workflow';

import type { ResultRecord, Sandbox } from '../sandbox';

/** What the portal held for one input item before the run. */
export interface ItemFacts {
	resultId: number;
	/** the task the item names (field, or carried by the item); undefined = none */
	statedTask?: number;
	/** the result as it was on the portal before the run; undefined = it did not exist */
	before?: ResultRecord;
}

export interface Verdicts {
	/** reported `deleted: true` (without alreadyDeleted) while the result is still on the portal */
	falseDeleted: number[];
	/** reported `alreadyDeleted` while the result is still on the task the item named */
	falseAlreadyDeleted: number[];
	/** reported `alreadyDeleted` while still on the portal, on another task than the one named (the option trusts the Task ID) */
	alreadyDeletedOnWrongTask: number[];
	/** ours, there before, gone after, but not reported deleted */
	missedDeletes: number[];
	/** an output item that is neither `{ id, deleted: true[, alreadyDeleted] }` nor an error item */
	malformed: number[];
}

/** Compares every output item with what the portal holds now. User 1 runs the node. */
export function judgeDeletes(
	sandbox: Sandbox,
	facts: ItemFacts[],
	out: IDataObject[],
	userId = 1,
): Verdicts {
	const verdicts: Verdicts = {
		falseDeleted: [],
		falseAlreadyDeleted: [],
		alreadyDeletedOnWrongTask: [],
		missedDeletes: [],
		malformed: [],
	};
	facts.forEach((fact, n) => {
		const json = out[n] ?? {};
		const now = sandbox.state.results.get(fact.resultId);
		const reportedDeleted = json.deleted === true && json.id === fact.resultId;
		if (!reportedDeleted && typeof json.error !== 'string') verdicts.malformed.push(fact.resultId);
		if (reportedDeleted && json.alreadyDeleted !== true && now)
			verdicts.falseDeleted.push(fact.resultId);
		if (reportedDeleted && json.alreadyDeleted === true && now) {
			if (now.taskId === fact.statedTask) verdicts.falseAlreadyDeleted.push(fact.resultId);
			else verdicts.alreadyDeletedOnWrongTask.push(fact.resultId);
		}
		if (fact.before?.authorId === userId && !now && !reportedDeleted)
			verdicts.missedDeletes.push(fact.resultId);
	});
	return verdicts;
}
