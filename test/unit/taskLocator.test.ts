import { NodeOperationError } from 'n8n-workflow';

import { parseTaskId, taskIdFromUrl } from '../../nodes/Bitrix24Tasks/helpers/taskLocator';
import { testNode } from './node';

describe('taskIdFromUrl', () => {
	test.each([
		['https://portal.bitrix24.com/company/personal/user/1/tasks/task/view/51/', '51'],
		['https://portal.bitrix24.com/company/personal/user/1/tasks/task/view/51', '51'],
		['https://portal.bitrix24.com/workgroups/group/3/tasks/task/view/51/', '51'],
		[
			'https://portal.bitrix24.com/workgroups/group/3/tasks/task/view/51/?IFRAME=Y&MID=12#com',
			'51',
		],
		['http://b24.example.local:8080/crm/company/personal/user/7/tasks/task/edit/1234/', '1234'],
		['  https://portal.bitrix24.de/company/personal/user/1/tasks/task/view/9/  ', '9'],
	])('%s → %s', (url, id) => {
		expect(taskIdFromUrl(url)).toBe(id);
	});

	test.each([
		'https://portal.bitrix24.com/company/personal/user/1/tasks/',
		'https://portal.bitrix24.com/workgroups/group/3/',
		'https://portal.bitrix24.com/tasks/task/view/abc/',
		'portal.bitrix24.com/company/personal/user/1/tasks/task/view/51/',
		'51',
		'',
	])('rejects %s', (url) => {
		expect(taskIdFromUrl(url)).toBeUndefined();
	});
});

describe('parseTaskId', () => {
	const rl = (mode: string, value: unknown) => ({ __rl: true, mode, value });

	test('accepts resource locator values in every mode', () => {
		expect(parseTaskId(testNode, rl('list', '51'), 0)).toBe(51);
		expect(parseTaskId(testNode, rl('id', ' 52 '), 0)).toBe(52);
		expect(parseTaskId(testNode, rl('id', 53), 0)).toBe(53);
		expect(
			parseTaskId(
				testNode,
				rl('url', 'https://p.bitrix24.com/workgroups/group/3/tasks/task/view/54/'),
				0,
			),
		).toBe(54);
	});

	test('accepts plain values from workflows written before the picker', () => {
		expect(parseTaskId(testNode, 51, 0)).toBe(51);
		expect(parseTaskId(testNode, '51', 0)).toBe(51);
		expect(
			parseTaskId(
				testNode,
				'https://p.bitrix24.com/company/personal/user/1/tasks/task/view/55/',
				0,
			),
		).toBe(55);
	});

	test('names the item and the field', () => {
		expect(() => parseTaskId(testNode, rl('id', 'abc'), 3)).toThrow(
			'Invalid Task ID in item 3: it is not a whole number',
		);
		expect(() => parseTaskId(testNode, rl('list', ''), 1)).toThrow(
			'Invalid Task ID in item 1: it is empty',
		);
		expect(() => parseTaskId(testNode, 0, 0)).toThrow(NodeOperationError);
	});

	test('a link that is not a task link gets the hint', () => {
		let error: NodeOperationError | undefined;
		try {
			parseTaskId(testNode, rl('url', 'https://p.bitrix24.com/company/personal/user/1/tasks/'), 2);
		} catch (e) {
			error = e as NodeOperationError;
		}
		expect(error?.message).toBe('Invalid Task ID in item 2: the link is not a Bitrix24 task link');
		expect(error?.description).toContain('/tasks/task/view/51/');
	});
});
