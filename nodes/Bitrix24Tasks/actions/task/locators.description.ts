import type { INodeProperties } from 'n8n-workflow';

import {
	GROUP_URL_HINT,
	GROUP_URL_REGEX,
	USER_URL_HINT,
	USER_URL_REGEX,
} from '../../helpers/entityLocator';

const idMode = (placeholder: string, what: string) => ({
	displayName: 'ID',
	name: 'id',
	type: 'string' as const,
	placeholder,
	validation: [
		{
			type: 'regex' as const,
			properties: {
				// these pickers are optional: empty is allowed
				regex: '^\\s*\\d*\\s*$',
				errorMessage: `The ${what} ID is a whole number, like ${placeholder.replace('e.g. ', '')}`,
			},
		},
	],
});

/** A person of the portal: picked from a searchable list, pasted as a profile link, or given by ID. */
export function userLocator(
	displayName: string,
	name: string,
	description: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a user...',
				typeOptions: { searchListMethod: 'searchUsers', searchable: true },
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: 'https://your-portal.bitrix24.com/company/personal/user/5/',
				validation: [
					{ type: 'regex', properties: { regex: USER_URL_REGEX, errorMessage: USER_URL_HINT } },
				],
				extractValue: { type: 'regex', regex: USER_URL_REGEX },
			},
			idMode('e.g. 5', 'user'),
		],
	};
}

/** A workgroup or project: picked from a searchable list, pasted as a link, or given by ID. */
export const groupLocator: INodeProperties = {
	displayName: 'Workgroup',
	name: 'groupId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description: 'The workgroup or project the task belongs to; empty: none',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a workgroup...',
			typeOptions: { searchListMethod: 'searchGroups', searchable: true },
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://your-portal.bitrix24.com/workgroups/group/7/',
			validation: [
				{ type: 'regex', properties: { regex: GROUP_URL_REGEX, errorMessage: GROUP_URL_HINT } },
			],
			extractValue: { type: 'regex', regex: GROUP_URL_REGEX },
		},
		idMode('e.g. 7', 'workgroup'),
	],
};
