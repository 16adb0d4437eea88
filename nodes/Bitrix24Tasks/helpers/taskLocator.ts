import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseId } from './validate';

/**
 * A task link as the portal shows it: personal (`/company/personal/user/1/tasks/task/view/51/`),
 * workgroup (`/workgroups/group/3/tasks/task/view/51/`) or any other section ending in
 * `/tasks/task/view|edit/<id>`. Used by the editor's URL mode (validation + extraction).
 */
export const TASK_URL_REGEX =
	'^https?://[^/\\s]+(?:/[^\\s?#]*)?/tasks/task/(?:view|edit)/(\\d+)(?:[/?#].*)?$';

export const TASK_URL_HINT =
	'Paste a task link like https://your-portal.bitrix24.com/company/personal/user/1/tasks/task/view/51/ or https://your-portal.bitrix24.com/workgroups/group/3/tasks/task/view/51/';

/** The task ID in a task link, or undefined when the text is not a task link. */
export function taskIdFromUrl(url: string): string | undefined {
	return new RegExp(TASK_URL_REGEX, 'i').exec(url.trim())?.[1];
}

export interface LocatorValue {
	__rl: true;
	mode?: string;
	value?: unknown;
}

/** A resource locator value (`{ __rl, mode, value }`), as opposed to a plain value. */
export function isLocator(value: unknown): value is LocatorValue {
	return typeof value === 'object' && value !== null && (value as LocatorValue).__rl === true;
}

/**
 * Reads the Task parameter: a resource locator (`{ __rl, mode, value }` in list, ID or URL mode) or,
 * in workflows written before the picker existed, a plain number or string.
 */
export function parseTaskId(
	node: INode,
	value: unknown,
	itemIndex: number,
	field = 'Task ID',
): number {
	const mode = isLocator(value) ? value.mode : undefined;
	const raw = isLocator(value) ? value.value : value;
	const looksLikeUrl = typeof raw === 'string' && /^\s*https?:\/\//i.test(raw);
	if (mode === 'url' || looksLikeUrl) {
		const id = typeof raw === 'string' ? taskIdFromUrl(raw) : undefined;
		if (id === undefined) {
			throw new NodeOperationError(
				node,
				`Invalid ${field} in item ${itemIndex}: the link is not a Bitrix24 task link`,
				{
					itemIndex,
					description: TASK_URL_HINT,
				},
			);
		}
		return parseId(node, id, field, itemIndex);
	}
	return parseId(node, raw, field, itemIndex);
}
