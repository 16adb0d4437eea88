import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseDateTime } from '../../helpers/dateTime';
import { GROUP_LINK, isEmptyLocator, parseLocatorId, USER_LINK } from '../../helpers/entityLocator';
import { parseTaskId } from '../../helpers/taskLocator';
import { parseId, parseText } from '../../helpers/validate';

export const TASK_PRIORITIES = ['low', 'average', 'high'] as const;
export const TASK_STATUSES = [
	'pending',
	'in_progress',
	'supposedly_completed',
	'completed',
	'deferred',
	'declined',
] as const;

type Kind =
	| 'text'
	| 'longText'
	| 'user'
	| 'group'
	| 'task'
	| 'date'
	| 'bool'
	| 'seconds'
	| 'priority'
	| 'status'
	| 'crmItems';

/** The REST 3.0 task fields (TaskDto, reference §4) the node writes, with their editor labels. */
export const WRITABLE_FIELDS: Record<string, { label: string; kind: Kind }> = {
	title: { label: 'Title', kind: 'text' },
	description: { label: 'Description', kind: 'longText' },
	responsibleId: { label: 'Responsible Person', kind: 'user' },
	creatorId: { label: 'Created By', kind: 'user' },
	groupId: { label: 'Workgroup', kind: 'group' },
	parentId: { label: 'Parent Task', kind: 'task' },
	deadline: { label: 'Deadline', kind: 'date' },
	startPlan: { label: 'Planned Start', kind: 'date' },
	endPlan: { label: 'Planned End', kind: 'date' },
	priority: { label: 'Priority', kind: 'priority' },
	status: { label: 'Status', kind: 'status' },
	needsControl: { label: 'Review After Completion', kind: 'bool' },
	allowsChangeDeadline: { label: 'Responsible Can Change Deadline', kind: 'bool' },
	allowsTimeTracking: { label: 'Time Tracking', kind: 'bool' },
	matchesWorkTime: { label: 'Skip Weekends and Holidays', kind: 'bool' },
	requireResult: { label: 'Require Result', kind: 'bool' },
	estimatedTime: { label: 'Time Estimate (Seconds)', kind: 'seconds' },
	crmItemIds: { label: 'CRM Items', kind: 'crmItems' },
};

const CRM_ITEM = /^(?:L|D|C|CO|SI|T[0-9a-f]+)_\d+$/i;

function fail(node: INode, itemIndex: number, label: string, why: string, description: string) {
	return new NodeOperationError(node, `Invalid ${label} in item ${itemIndex}: ${why}`, {
		itemIndex,
		description,
	});
}

function isBlank(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

/** One field's value as REST 3.0 expects it; undefined = leave the field out. */
function convert(ctx: IExecuteFunctions, name: string, value: unknown, itemIndex: number): unknown {
	const node = ctx.getNode();
	const { label, kind } = WRITABLE_FIELDS[name];
	switch (kind) {
		case 'text':
			return parseText(node, value, label, itemIndex);
		case 'longText':
			return value === undefined || value === null ? undefined : String(value);
		case 'user':
			return isEmptyLocator(value)
				? undefined
				: parseLocatorId(node, value, itemIndex, label, USER_LINK);
		case 'group':
			if (isEmptyLocator(value)) return undefined;
			// 0 takes the task out of its workgroup
			if (String((value as IDataObject)?.value ?? value).trim() === '0') return 0;
			return parseLocatorId(node, value, itemIndex, label, GROUP_LINK);
		case 'task':
			return isBlank(value) ? undefined : parseTaskId(node, value, itemIndex, label);
		case 'date':
			return isBlank(value)
				? undefined
				: parseDateTime(node, value, label, itemIndex, ctx.getTimezone());
		case 'bool':
			if (typeof value === 'boolean') return value;
			throw fail(node, itemIndex, label, 'it is not true or false', 'Use true or false.');
		case 'seconds': {
			const n = Number(value);
			if (value === '' || !Number.isInteger(n) || n < 0)
				throw fail(
					node,
					itemIndex,
					label,
					'it is not a whole number of seconds',
					'Use 0 or more, like 3600.',
				);
			return n;
		}
		case 'priority':
		case 'status': {
			const allowed: readonly string[] = kind === 'priority' ? TASK_PRIORITIES : TASK_STATUSES;
			const text = String(value ?? '')
				.trim()
				.toLowerCase();
			if (!allowed.includes(text))
				throw fail(
					node,
					itemIndex,
					label,
					`"${String(value)}" is not a task ${kind}`,
					`Use one of: ${allowed.join(', ')}.`,
				);
			return text;
		}
		case 'crmItems': {
			const parts = (Array.isArray(value) ? value : String(value ?? '').split(','))
				.map((part) => String(part).trim())
				.filter((part) => part !== '');
			const bad = parts.find((part) => !CRM_ITEM.test(part));
			if (bad !== undefined)
				throw fail(
					node,
					itemIndex,
					label,
					`"${bad}" is not a CRM item`,
					'Use CRM item codes like D_12 (deal), C_3 (contact), CO_5 (company), L_7 (lead), separated by commas.',
				);
			return parts;
		}
	}
}

/** The `fields` of `tasks.task.add` / `.update` from parameter values keyed by REST 3.0 field name. */
export function buildTaskFields(
	ctx: IExecuteFunctions,
	values: IDataObject,
	itemIndex: number,
): IDataObject {
	const fields: IDataObject = {};
	for (const [name, value] of Object.entries(values)) {
		if (!(name in WRITABLE_FIELDS)) continue;
		const converted = convert(ctx, name, value, itemIndex);
		if (converted !== undefined) fields[name] = converted as IDataObject[string];
	}
	if (
		typeof fields.startPlan === 'string' &&
		typeof fields.endPlan === 'string' &&
		Date.parse(fields.endPlan) < Date.parse(fields.startPlan)
	)
		throw fail(
			ctx.getNode(),
			itemIndex,
			'Planned End',
			'it is before Planned Start',
			'Bitrix24 needs the planned end after the planned start.',
		);
	return fields;
}

/** A task ID parameter (locator, number or task link). */
export function taskIdParam(ctx: IExecuteFunctions, itemIndex: number): number {
	return parseTaskId(ctx.getNode(), ctx.getNodeParameter('taskId', itemIndex), itemIndex);
}

export { parseId };

/** The Custom Fields collection as `UF_*` entries of `fields`. */
export function customFieldValues(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const collection = ctx.getNodeParameter('customFields', itemIndex, {}) as {
		field?: Array<{ name?: unknown; value?: unknown }>;
	};
	const out: IDataObject = {};
	for (const { name, value } of collection.field ?? []) {
		const key = String(name ?? '').trim();
		if (!/^UF_[A-Z0-9_]+$/i.test(key))
			throw fail(
				ctx.getNode(),
				itemIndex,
				'Custom Fields',
				`"${key}" is not a custom field name`,
				'Custom task fields are named like UF_CRM_TASK or UF_AUTO_123456; pick one from the list.',
			);
		if (key in out)
			throw fail(
				ctx.getNode(),
				itemIndex,
				'Custom Fields',
				`"${key}" is set twice`,
				'Set each field once.',
			);
		out[key] = value as IDataObject[string];
	}
	return out;
}
