import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isLocator } from './taskLocator';
import { parseId } from './validate';

/** A portal link to a user's profile or any page under it, e.g. https://portal/company/personal/user/5/ */
export const USER_URL_REGEX =
	'^https?://[^/\\s]+(?:/[^\\s?#]*)?/company/personal/user/(\\d+)(?:[/?#].*)?$';
export const USER_URL_HINT =
	'Paste a user link like https://your-portal.bitrix24.com/company/personal/user/5/';

/** A portal link to a workgroup or any page under it, e.g. https://portal/workgroups/group/7/ */
export const GROUP_URL_REGEX =
	'^https?://[^/\\s]+(?:/[^\\s?#]*)?/workgroups/group/(\\d+)(?:[/?#].*)?$';
export const GROUP_URL_HINT =
	'Paste a workgroup link like https://your-portal.bitrix24.com/workgroups/group/7/';

/** What a pasted link must look like: its pattern (first group = the ID), a hint, and what it names. */
export interface LinkKind {
	regex: string;
	hint: string;
	name: string;
}

export const USER_LINK: LinkKind = { regex: USER_URL_REGEX, hint: USER_URL_HINT, name: 'user' };
export const GROUP_LINK: LinkKind = {
	regex: GROUP_URL_REGEX,
	hint: GROUP_URL_HINT,
	name: 'workgroup',
};

/** True when a locator (or plain value) was left empty. */
export function isEmptyLocator(value: unknown): boolean {
	const raw = isLocator(value) ? value.value : value;
	return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
}

/**
 * Reads an ID from a resource locator (list, ID or URL mode) or a plain value: digits, or a portal
 * link of the given kind.
 */
export function parseLocatorId(
	node: INode,
	value: unknown,
	itemIndex: number,
	field: string,
	link: LinkKind,
): number {
	const mode = isLocator(value) ? value.mode : undefined;
	const raw = isLocator(value) ? value.value : value;
	if (mode === 'url' || (typeof raw === 'string' && /^\s*https?:\/\//i.test(raw))) {
		const id =
			typeof raw === 'string' ? new RegExp(link.regex, 'i').exec(raw.trim())?.[1] : undefined;
		if (id === undefined) {
			throw new NodeOperationError(
				node,
				`Invalid ${field} in item ${itemIndex}: the link is not a Bitrix24 ${link.name} link`,
				{ itemIndex, description: link.hint },
			);
		}
		return parseId(node, id, field, itemIndex);
	}
	return parseId(node, raw, field, itemIndex);
}
