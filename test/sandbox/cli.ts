/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console */
// `npm run sandbox [port]`: starts the Bitrix24 sandbox with a demo dataset and stays up until Ctrl-C.
import { DEFAULT_OAUTH_APP, startSandbox } from './index';
import type { SeedData } from './types';

export const DEMO_SEED: SeedData = {
	users: [
		{ id: 1, name: 'Admin', lastName: 'Sandbox', admin: true },
		{ id: 2, name: 'Second', lastName: 'User' },
	],
	tasks: [
		{ id: 51, title: 'Prepare the quarterly report', memberIds: [1, 2], chatId: 1051 },
		{ id: 52, title: 'Call the supplier', memberIds: [1], chatId: 1052 },
		{ id: 53, title: 'Private task of user 2', memberIds: [2], chatId: 1053 },
	],
	results: [
		{
			taskId: 51,
			text: 'Draft sent to finance',
			authorId: 1,
			createdAt: '2026-11-29T10:00:00+00:00',
		},
		{
			taskId: 51,
			text: 'Final version approved',
			authorId: 2,
			createdAt: '2026-11-29T11:00:00+00:00',
			status: 'closed',
		},
		{
			taskId: 52,
			text: 'Supplier confirmed the delivery',
			authorId: 1,
			createdAt: '2026-11-29T12:00:00+00:00',
		},
	],
	chatMessages: [
		{ id: 335, taskId: 51, authorId: 1, text: 'Report uploaded to the drive' },
		{ id: 336, taskId: 52, authorId: 1, text: 'Delivery on Monday' },
		{ id: 900, taskId: null, authorId: 1, text: 'Message from a general chat' },
	],
};

async function main(): Promise<void> {
	const port = Number(process.argv[2] ?? 0) || 0;
	const sb = await startSandbox({ port, seed: DEMO_SEED });
	const tokens = sb.issueTokens({ userId: 1 });
	console.log(`Bitrix24 sandbox listening on ${sb.url}`);
	console.log(`Webhook URL (v2):   ${sb.webhookUrl(1)}`);
	console.log(`Webhook URL (v3):   ${sb.webhookUrl(1, 'v3')}`);
	console.log(`OAuth client id:    ${DEFAULT_OAUTH_APP.clientId}`);
	console.log(`OAuth secret:       ${DEFAULT_OAUTH_APP.clientSecret}`);
	console.log(`OAuth token URL:    ${sb.tokenUrl}`);
	console.log(`Demo access token:  ${tokens.access_token}`);
	console.log(`Demo refresh token: ${tokens.refresh_token}`);
	console.log(
		'Demo tasks: 51, 52 (user 1), 53 (user 2 only); chat messages 335, 336 (task chats), 900 (non-task chat)',
	);
	console.log('Press Ctrl-C to stop.');
	const shutdown = () => {
		void sb.stop().then(() => process.exit(0));
	};
	process.on('SIGINT', shutdown);
	process.on('SIGTERM', shutdown);
}

void main();
