import type { SeedData } from './types';

/** The demo portal: two users, three tasks, task-chat and other messages (`npm run sandbox`, e2e). */
export const DEMO_PORTAL: Required<Pick<SeedData, 'users' | 'tasks' | 'chatMessages'>> = {
	users: [
		{ id: 1, name: 'Admin', lastName: 'Sandbox', admin: true },
		{ id: 2, name: 'Second', lastName: 'User' },
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
