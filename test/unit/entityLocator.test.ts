import {
	GROUP_LINK,
	isEmptyLocator,
	parseLocatorId,
	USER_LINK,
} from '../../nodes/Bitrix24Tasks/helpers/entityLocator';
import { testNode } from './node';

const rl = (mode: string, value: unknown) => ({ __rl: true, mode, value });

describe('people and workgroup locators', () => {
	test.each([
		[rl('url', 'https://portal.bitrix24.com/company/personal/user/5/'), USER_LINK, 5],
		[rl('url', 'https://portal.bitrix24.com/company/personal/user/5/tasks/'), USER_LINK, 5],
		['  https://b24.example.local:8080/company/personal/user/12?x=1  ', USER_LINK, 12],
		[rl('url', 'https://portal.bitrix24.com/workgroups/group/7/'), GROUP_LINK, 7],
		[
			rl('url', 'https://portal.bitrix24.com/workgroups/group/7/tasks/task/view/51/'),
			GROUP_LINK,
			7,
		],
		[rl('id', ' 9 '), USER_LINK, 9],
		[rl('list', '3'), GROUP_LINK, 3],
		[4, USER_LINK, 4],
	])('%j → %s', (value, link, id) => {
		expect(parseLocatorId(testNode, value, 0, 'Responsible Person', link)).toBe(id);
	});

	test.each([
		[
			rl('url', 'https://portal.bitrix24.com/workgroups/group/7/'),
			USER_LINK,
			'the link is not a Bitrix24 user link',
		],
		[
			rl('url', 'https://portal.bitrix24.com/company/personal/user/5/'),
			GROUP_LINK,
			'the link is not a Bitrix24 workgroup link',
		],
		[rl('id', 'five'), USER_LINK, 'it is not a whole number'],
		[rl('id', '0'), USER_LINK, 'it must be greater than 0'],
	])('%j is refused, naming the item and the field', (value, link, why) => {
		expect(() => parseLocatorId(testNode, value, 3, 'Field X', link)).toThrow(
			`Invalid Field X in item 3: ${why}`,
		);
	});

	test('empty locators and values are recognised as not set', () => {
		expect(isEmptyLocator(rl('list', ''))).toBe(true);
		expect(isEmptyLocator(rl('id', '  '))).toBe(true);
		expect(isEmptyLocator(undefined)).toBe(true);
		expect(isEmptyLocator(rl('id', '5'))).toBe(false);
		expect(isEmptyLocator(0)).toBe(false);
	});
});
