import type { SeedData } from './types';

/**
 * People, workgroups, task custom fields and tasks with full details for the Task resource
 * (issue 18). Task ids 201+ so they never clash with the result demo's tasks 51–53. User 1 is the
 * default webhook (ordinary user), user 9 the admin webhook.
 */
export const DEMO_TASKS_PORTAL: Required<
	Pick<SeedData, 'users' | 'groups' | 'taskUserFields' | 'tasks'>
> = {
	users: [
		{
			id: 1,
			name: 'Owner',
			lastName: 'Sandbox',
			email: 'owner@example.com',
			workPosition: 'Manager',
		},
		{
			id: 2,
			name: 'Second',
			lastName: 'User',
			email: 'second@example.com',
			workPosition: 'Engineer',
		},
		{
			id: 3,
			name: 'Maria',
			lastName: 'Ivanova',
			email: 'maria@example.com',
			workPosition: 'Accountant',
		},
		{ id: 4, name: 'John', lastName: 'Smith', email: 'john@example.com', workPosition: 'Tester' },
		{ id: 5, name: 'Retired', lastName: 'Person', email: 'old@example.com', active: false },
		{ id: 9, name: 'Admin', lastName: 'Sandbox', admin: true, email: 'admin@example.com' },
	],
	groups: [
		{ id: 7, name: 'Sales Project', ownerId: 1, memberIds: [1, 2, 3], project: true },
		{ id: 8, name: 'Marketing', ownerId: 2, memberIds: [2, 4] },
		{ id: 10, name: 'Secret board', ownerId: 9, memberIds: [9], visible: false },
	],
	taskUserFields: [
		{ id: 1, fieldName: 'UF_CRM_TASK', userTypeId: 'string', multiple: true, label: 'CRM items' },
		{ id: 2, fieldName: 'UF_AUTO_ORDER_NUMBER', userTypeId: 'string', label: 'Order number' },
		{ id: 3, fieldName: 'UF_AUTO_BUDGET', userTypeId: 'double', label: 'Budget' },
	],
	tasks: [
		{
			id: 201,
			title: 'Ship order #1001',
			description: 'Pack and ship',
			createdBy: 1,
			responsibleId: 2,
			auditors: [3],
			groupId: 7,
			chatId: 1201,
			deadline: '2026-01-10T18:00:00+03:00',
			priority: 'high',
			status: 3,
			created: '2026-01-02T09:00:00+03:00',
			uf: { UF_AUTO_ORDER_NUMBER: '1001' },
		},
		{
			id: 202,
			title: 'Prepare invoice',
			createdBy: 1,
			responsibleId: 1,
			chatId: 1202,
			deadline: '2099-12-31T18:00:00+03:00',
			status: 2,
			created: '2026-01-03T09:00:00+03:00',
		},
		{
			id: 203,
			title: 'Closed task',
			createdBy: 2,
			responsibleId: 1,
			chatId: 1203,
			status: 5,
			created: '2026-01-04T09:00:00+03:00',
			closed: '2026-01-05T09:00:00+03:00',
		},
		{
			id: 204,
			title: 'Private task of user 2',
			createdBy: 2,
			responsibleId: 4,
			groupId: 8,
			chatId: 1204,
			deadline: '2026-01-01T12:00:00+03:00',
			created: '2026-01-04T10:00:00+03:00',
		},
	],
};
