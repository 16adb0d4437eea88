import type { IDataObject } from 'n8n-workflow';

import { TASK_PRIORITIES, TASK_STATUSES } from './taskFields';

/** Flat ID fields `tasks.task.get` never emits, read from its relation objects (reference §3.3). */
const RELATION_IDS: Array<[flat: string, relation: string]> = [
	['creatorId', 'creator'],
	['responsibleId', 'responsible'],
	['groupId', 'group'],
];

/** The relation paths to select so that a REST 3.0 task carries the flat IDs users filter and map on. */
export const RELATION_ID_SELECT = RELATION_IDS.map(([, relation]) => `${relation}.id`);

const toInt = (value: unknown): number | null => {
	const n = Number(value);
	return value === null || value === undefined || value === '' || !Number.isFinite(n) ? null : n;
};

/**
 * A REST 3.0 task item (`tasks.task.add`/`.get`) with `creatorId`, `responsibleId` and `groupId`
 * added: from the relation objects, else (`tasks.task.add` answers without them) from the fields
 * the portal just accepted.
 */
export function v3TaskOutput(item: unknown, accepted: IDataObject = {}): IDataObject {
	const task = { ...((item ?? {}) as IDataObject) };
	for (const [flat, relation] of RELATION_IDS) {
		if (flat in task) continue;
		const nested = task[relation] as IDataObject | null | undefined;
		const id = nested === undefined ? accepted[flat] : nested?.id;
		if (id === undefined && nested === undefined) continue;
		task[flat] = toInt(id) ?? (flat === 'groupId' ? 0 : null);
	}
	return task;
}

/**
 * A REST 3.0 `tasks.task.list` row in the node's task shape: a task without a workgroup has
 * `groupId: 0`, as Create, Get, Update and the classic list give it (REST 3.0 lists it as null).
 */
export function v3ListOutput(row: IDataObject): IDataObject {
	return 'groupId' in row && row.groupId === null ? { ...row, groupId: 0 } : row;
}

/** REST 3.0 list field → classic `tasks.task.list` select name and answer key (classic keeps the answer camelCase). */
export const CLASSIC_FIELDS: Record<string, { select: string; key: string }> = {
	id: { select: 'ID', key: 'id' },
	title: { select: 'TITLE', key: 'title' },
	description: { select: 'DESCRIPTION', key: 'description' },
	creatorId: { select: 'CREATED_BY', key: 'createdBy' },
	responsibleId: { select: 'RESPONSIBLE_ID', key: 'responsibleId' },
	groupId: { select: 'GROUP_ID', key: 'groupId' },
	parentId: { select: 'PARENT_ID', key: 'parentId' },
	status: { select: 'STATUS', key: 'status' },
	priority: { select: 'PRIORITY', key: 'priority' },
	deadline: { select: 'DEADLINE', key: 'deadline' },
	startPlan: { select: 'START_DATE_PLAN', key: 'startDatePlan' },
	endPlan: { select: 'END_DATE_PLAN', key: 'endDatePlan' },
	created: { select: 'CREATED_DATE', key: 'createdDate' },
	changed: { select: 'CHANGED_DATE', key: 'changedDate' },
	closed: { select: 'CLOSED_DATE', key: 'closedDate' },
	chatId: { select: 'CHAT_ID', key: 'chatId' },
};

const INT_FIELDS = new Set(['id', 'creatorId', 'responsibleId', 'groupId', 'parentId', 'chatId']);

/** Classic numeric status 1…7 (1 = new, shown as pending) → REST 3.0 status name. */
const CLASSIC_STATUS: Record<string, string> = {
	'1': 'pending',
	'2': 'pending',
	'3': 'in_progress',
	'4': 'supposedly_completed',
	'5': 'completed',
	'6': 'deferred',
	'7': 'declined',
};

/** REST 3.0 status name → the classic `REAL_STATUS` values that mean it. */
export const CLASSIC_STATUS_CODES: Record<string, number[]> = {};
for (const [code, name] of Object.entries(CLASSIC_STATUS))
	(CLASSIC_STATUS_CODES[name] ??= []).push(Number(code));

/** A classic `tasks.task.list` row in the shape of a REST 3.0 list item, with only the `fields` asked for. */
export function classicTaskOutput(row: IDataObject, fields: string[]): IDataObject {
	const task: IDataObject = {};
	for (const field of fields) {
		const spec = CLASSIC_FIELDS[field];
		if (!spec) continue;
		const value = row[spec.key] ?? row[spec.select];
		if (INT_FIELDS.has(field)) task[field] = toInt(value) ?? (field === 'groupId' ? 0 : null);
		else if (field === 'status') task[field] = CLASSIC_STATUS[String(value)] ?? String(value ?? '');
		else if (field === 'priority')
			task[field] = TASK_PRIORITIES[Number(value)] ?? String(value ?? '');
		else task[field] = value === '' || value === undefined ? null : value;
	}
	return task;
}

export { TASK_STATUSES };
