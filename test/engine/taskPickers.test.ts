import { Bitrix24Tasks } from '../../nodes/Bitrix24Tasks/Bitrix24Tasks.node';
import { webhookCredentials } from '../harness/credentials';
import { runWorkflow, singleNodeWorkflow } from '../harness/engine';
import { startSandbox, type Sandbox } from '../sandbox';
import { loadOptionsContext } from './loadOptions';

// The Task resource's pickers: people and workgroups (resource locators with search), custom fields.
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({
		seed: {
			users: [
				{ id: 1, name: 'Anna', lastName: 'Webhook' },
				{ id: 2, name: 'Boris', lastName: 'Doer', workPosition: 'Courier' },
				{ id: 3, name: 'Bella', lastName: 'Archived', active: false },
				...Array.from({ length: 55 }, (_, n) => ({
					id: 100 + n,
					name: `Temp${n}`,
					lastName: `Worker${n}`,
				})),
			],
			groups: [
				{ id: 7, name: 'Sales', memberIds: [1] },
				{ id: 8, name: 'Sales Europe', memberIds: [2], visible: true },
				{ id: 9, name: 'Secret board', ownerId: 2, memberIds: [2], visible: false },
			],
			taskUserFields: [
				{ fieldName: 'UF_ORDER_NO', userTypeId: 'string', label: 'Order number' },
				{ fieldName: 'UF_WEIGHT', userTypeId: 'double' },
			],
		},
	});
});
afterAll(async () => await sandbox.stop());
beforeEach(() => sandbox.reset());

const { listSearch, loadOptions } = new Bitrix24Tasks().methods;
const ctx = () =>
	loadOptionsContext({ resource: 'task', operation: 'create' }, webhookCredentials(sandbox));

test('people: active users searched by name, with their profile link; 50 per page', async () => {
	const found = await listSearch.searchUsers.call(ctx(), 'bor');
	expect(found.results).toEqual([
		{ name: 'Boris Doer (#2)', value: '2', url: `${sandbox.url}/company/personal/user/2/` },
	]);
	expect((await listSearch.searchUsers.call(ctx(), 'bella')).results).toEqual([]);

	const first = await listSearch.searchUsers.call(ctx());
	expect(first.results).toHaveLength(50);
	expect(first.paginationToken).toBe('50');
	const second = await listSearch.searchUsers.call(ctx(), undefined, first.paginationToken);
	expect(second.results).toHaveLength(57 - 50);
	expect(second.paginationToken).toBeUndefined();
	expect(sandbox.requests.every((r) => r.restMethod === 'user.search')).toBe(true);
});

test('workgroups: the ones the user can see, searched by name, with their link', async () => {
	const all = await listSearch.searchGroups.call(ctx());
	expect(all.results.map((r) => r.value)).toEqual(['7', '8']);
	const found = await listSearch.searchGroups.call(ctx(), 'europe');
	expect(found.results).toEqual([
		{ name: 'Sales Europe (#8)', value: '8', url: `${sandbox.url}/workgroups/group/8/` },
	]);
});

test('custom fields: the UF_ fields of tasks, by label', async () => {
	const options = await loadOptions.getTaskCustomFields.call(ctx());
	expect(options.map((o) => o.value)).toEqual(['UF_ORDER_NO', 'UF_WEIGHT']);
	expect(options[0]).toEqual({
		name: 'Order number',
		value: 'UF_ORDER_NO',
		description: 'UF_ORDER_NO (string)',
	});
});

test('a value picked from a list is the ID the create sends', async () => {
	const picked = (await listSearch.searchUsers.call(ctx(), 'boris')).results[0];
	const group = (await listSearch.searchGroups.call(ctx(), 'sales')).results[0];
	sandbox.reset();
	const { output, error } = await runWorkflow(
		singleNodeWorkflow({
			resource: 'task',
			operation: 'create',
			title: 'Picked',
			responsibleId: { __rl: true, mode: 'list', value: picked.value },
			groupId: { __rl: true, mode: 'list', value: group.value },
		}),
		{ credentials: webhookCredentials(sandbox) },
	);
	expect(error).toBeUndefined();
	const stored = sandbox.state.tasks.get(output('Bitrix24 Tasks')[0].json.id as number);
	expect(stored).toMatchObject({ responsibleId: 2, groupId: 7 });
});
