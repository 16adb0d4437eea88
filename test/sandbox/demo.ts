import type { SeedData } from './types';

/**
 * The demo portal: user 1 (the default webhook, an ordinary user: deletes only its own results), user 2,
 * admin user 9 (the second webhook, ADMIN_WEBHOOK: may delete any result, §9), three tasks, task-chat
 * and other messages (`npm run sandbox`, e2e).
 */
export const DEMO_PORTAL: Required<Pick<SeedData, 'users' | 'tasks' | 'chatMessages'>> = {
	users: [
		{ id: 1, name: 'Owner', lastName: 'Sandbox' },
		{ id: 2, name: 'Second', lastName: 'User' },
		{ id: 9, name: 'Admin', lastName: 'Sandbox', admin: true },
	],
	tasks: [
		{ id: 51, title: 'Prepare the quarterly report', memberIds: [1, 2], chatId: 1051 },
		{ id: 52, title: 'Call the supplier', memberIds: [1], chatId: 1052 },
		{ id: 53, title: 'Private task of user 2', memberIds: [2], chatId: 1053 },
	],
	chatMessages: [
		{ id: 335, taskId: 51, authorId: 1, text: 'Report uploaded to the drive' },
		{ id: 336, taskId: 52, authorId: 1, text: 'Delivery on Monday' },
		{ id: 900, taskId: null, authorId: 1, text: 'Message from a general chat' },
	],
};
