import type { IDataObject } from 'n8n-workflow';

import { Bitrix24Tasks } from '../../nodes/Bitrix24Tasks/Bitrix24Tasks.node';
import { webhookCredentials } from '../harness/credentials';
import { runWorkflow, singleNodeWorkflow } from '../harness/engine';
import { startSandbox, type Sandbox } from '../sandbox';
import { loadOptionsContext } from './loadOptions';

let sandbox: Sandbox;

const tasks = [
	...Array.from({ length: 60 }, (_, i) => ({ id: i + 1, title: `Routine task ${i + 1}` })),
	{ id: 70, title: 'Quarterly report', groupId: 3 },
	{ id: 71, title: 'Annual REPORT draft' },
	{ id: 72, title: 'Someone else’s report', memberIds: [2] },
];

beforeAll(async () => {
	sandbox = await startSandbox({ seed: { tasks, results: [{ id: 5, taskId: 70, text: 'sent' }] } });
});
afterAll(async () => await sandbox.stop());

const searchTasks = new Bitrix24Tasks().methods.listSearch.searchTasks;

describe('From List: the listSearch method, called as the editor does (n8n-core LoadOptionsContext)', () => {
	test('lists the visible tasks newest first, 50 per page, with a token for the next page', async () => {
		const ctx = loadOptionsContext({ operation: 'getAll' }, webhookCredentials(sandbox));
		const first = await searchTasks.call(ctx);
		expect(first.results).toHaveLength(50);
		expect(first.results[0]).toEqual({
			name: 'Annual REPORT draft (#71)',
			value: '71',
			url: `${sandbox.url}/company/personal/user/1/tasks/task/view/71/`,
		});
		expect(first.results[1]).toMatchObject({
			value: '70',
			url: `${sandbox.url}/workgroups/group/3/tasks/task/view/70/`,
		});
		expect(first.results.map((r) => r.value)).not.toContain('72');
		expect(first.paginationToken).toBe('50');

		const second = await searchTasks.call(ctx, undefined, first.paginationToken);
		expect(second.results.map((r) => r.value)).toEqual(
			Array.from({ length: 12 }, (_, i) => String(12 - i)),
		);
		expect(second.paginationToken).toBeUndefined();
	});

	test('searches by title through the classic %TITLE filter', async () => {
		sandbox.reset();
		const result = await searchTasks.call(
			loadOptionsContext({}, webhookCredentials(sandbox)),
			' report ',
		);
		expect(result.results.map((r) => r.value)).toEqual(['71', '70']);
		const call = sandbox.requests.find((r) => r.restMethod === 'tasks.task.list');
		expect(call?.path).toBe('/rest/1/sbx1webhookcode/tasks.task.list');
		expect(call?.body).toMatchObject({ filter: { '%TITLE': 'report' }, start: 0 });
	});

	test('a search without matches is an empty list', async () => {
		const result = await searchTasks.call(
			loadOptionsContext({}, webhookCredentials(sandbox)),
			'no such title',
		);
		expect(result).toEqual({ results: [], paginationToken: undefined });
	});
});

describe('the Task parameter in every mode reaches the portal as the same task ID', () => {
	const run = (taskId: IDataObject | string | number, items?: IDataObject[]) =>
		runWorkflow(singleNodeWorkflow({ operation: 'getAll', taskId }), {
			credentials: webhookCredentials(sandbox),
			items,
		});

	test.each([
		[
			'From List',
			{ __rl: true, mode: 'list', value: '70', cachedResultName: 'Quarterly report (#70)' },
		],
		['By ID', { __rl: true, mode: 'id', value: '70' }],
		[
			'By URL (workgroup link)',
			{
				__rl: true,
				mode: 'url',
				value: 'https://portal.bitrix24.com/workgroups/group/3/tasks/task/view/70/',
			},
		],
		[
			'By URL (personal link)',
			{
				__rl: true,
				mode: 'url',
				value: 'https://portal.bitrix24.com/company/personal/user/1/tasks/task/view/70/',
			},
		],
		['By ID with an expression', { __rl: true, mode: 'id', value: '={{ 69 + 1 }}' }],
		['old workflow JSON: a plain number', 70],
		['old workflow JSON: an expression', '={{ $json.task }}'],
	])('%s', async (_, taskId) => {
		sandbox.reset();
		const { output, error } = await run(taskId, [{ task: 70 }]);
		expect(error).toBeUndefined();
		expect(output('Bitrix24 Tasks').map((i) => i.json.id)).toEqual([5]);
		const call = sandbox.requests.find((r) => r.restMethod === 'tasks.task.result.list');
		expect((call?.body as { filter: unknown[] }).filter[0]).toEqual(['taskId', 70]);
	});

	test('a pasted link that is not a task link: n8n refuses to run the node and shows the hint', async () => {
		sandbox.reset();
		await expect(
			run({ __rl: true, mode: 'url', value: 'https://portal.bitrix24.com/workgroups/group/3/' }),
		).rejects.toThrow(
			/Paste a task link like https:\/\/your-portal\.bitrix24\.com\/company\/personal\/user\/1\/tasks\/task\/view\/51\//,
		);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('a link from an expression that is not a task link fails before any request, with the hint', async () => {
		sandbox.reset();
		const { error } = await run({ __rl: true, mode: 'url', value: '={{ $json.link }}' }, [
			{ link: 'https://portal.bitrix24.com/company/personal/user/1/tasks/task/view/70/' },
			{ link: 'https://portal.bitrix24.com/workgroups/group/3/' },
		]);
		expect(error?.message).toBe('Invalid Task ID in item 1: the link is not a Bitrix24 task link');
		expect(error?.description).toContain(
			'https://your-portal.bitrix24.com/workgroups/group/3/tasks/task/view/51/',
		);
		expect(sandbox.requests).toHaveLength(0);
	});
});
