/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console */
// `npm run sandbox [port]`: starts the Bitrix24 sandbox with a demo dataset and stays up until Ctrl-C.
import { DEFAULT_OAUTH_APP, startSandbox } from './index';
import { DEMO_PORTAL } from './demo';
import { DEMO_TASKS_PORTAL } from './tasks.demo';
import type { SeedData } from './types';

export const DEMO_SEED: SeedData = {
	...DEMO_PORTAL,
	// the task resource's people, workgroups, custom fields and tasks 201–204 (users 1, 2, 9 agree with DEMO_PORTAL)
	users: DEMO_TASKS_PORTAL.users,
	groups: DEMO_TASKS_PORTAL.groups,
	taskUserFields: DEMO_TASKS_PORTAL.taskUserFields,
	tasks: [...DEMO_PORTAL.tasks, ...DEMO_TASKS_PORTAL.tasks],
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
};

async function main(): Promise<void> {
	const port = Number(process.argv[2] ?? 0) || 0;
	const sb = await startSandbox({ port, seed: DEMO_SEED });
	const tokens = sb.issueTokens({ userId: 1 });
	console.log(`Bitrix24 sandbox listening on ${sb.url}`);
	console.log(`Webhook URL (v2):   ${sb.webhookUrl(1)}`);
	console.log(`Webhook URL (v3):   ${sb.webhookUrl(1, 'v3')}`);
	console.log(`Admin webhook (v2): ${sb.webhookUrl(9)}  (user 9, a portal admin)`);
	console.log(`OAuth client id:    ${DEFAULT_OAUTH_APP.clientId}`);
	console.log(`OAuth secret:       ${DEFAULT_OAUTH_APP.clientSecret}`);
	console.log(`OAuth token URL:    ${sb.tokenUrl}`);
	console.log(`Demo access token:  ${tokens.access_token}`);
	console.log(`Demo refresh token: ${tokens.refresh_token}`);
	console.log(
		'Demo tasks: 51, 52 (user 1), 53 (user 2 only); chat messages 335, 336 (task chats), 900 (non-task chat)',
	);
	console.log(
		'Task resource: tasks 201-203 (user 1), 204 (users 2, 4); users 1-5, 9; workgroups 7, 8, 10 (hidden); UF_CRM_TASK, UF_AUTO_ORDER_NUMBER, UF_AUTO_BUDGET',
	);
	console.log('Press Ctrl-C to stop.');
	const shutdown = () => {
		void sb.stop().then(() => process.exit(0));
	};
	process.on('SIGINT', shutdown);
	process.on('SIGTERM', shutdown);
}

void main();
