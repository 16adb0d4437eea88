import { eventProperties } from '../../nodes/Bitrix24TasksEventTrigger/description';
import { eventTriggerCredentials } from '../harness/credentials';
import { EventTriggerHarness } from '../harness/webhook';
import { startSandbox, type Sandbox } from '../sandbox';
import { APP_APPLICATION_TOKEN, OUTGOING_WEBHOOK_TOKEN } from '../sandbox/events';

let sandbox: Sandbox;
const harnesses: EventTriggerHarness[] = [];

beforeAll(async () => {
	sandbox = await startSandbox({
		seed: { tasks: [{ id: 51, title: 'Quarterly report', memberIds: [1, 2] }] },
	});
});

afterAll(async () => {
	for (const harness of harnesses) await harness.close();
	await sandbox.stop();
});

beforeEach(() => sandbox.reset());

async function outgoingWebhookTrigger(
	parameters = {},
	/** null: a credential without the field */
	applicationToken: string | null = OUTGOING_WEBHOOK_TOKEN,
): Promise<EventTriggerHarness> {
	const harness = new EventTriggerHarness(
		{ events: ['ONTASKADD', 'ONTASKCOMMENTADD'], ...parameters },
		eventTriggerCredentials(sandbox, 'webhook', applicationToken ?? undefined),
	);
	await harness.listen();
	harnesses.push(harness);
	return harness;
}

test('an event with the right application token starts one execution; ids are numbers, no token in the output', async () => {
	const trigger = await outgoingWebhookTrigger();
	const delivery = await sandbox.events.post(
		trigger.url,
		'ONTASKADD',
		{ after: { ID: 51 } },
		{ token: OUTGOING_WEBHOOK_TOKEN, handlerId: 975 },
	);
	expect(delivery.status).toBe(200);
	expect(trigger.executions).toHaveLength(1);
	const [item] = trigger.executions[0];
	expect(item).toMatchObject({
		event: 'ONTASKADD',
		taskId: 51,
		fieldsBefore: null,
		fieldsAfter: { ID: 51 },
		eventHandlerId: 975,
		portal: new URL(sandbox.url).host,
	});
	const text = JSON.stringify(item);
	expect(text).not.toContain(OUTGOING_WEBHOOK_TOKEN);
	expect(text).not.toContain('sbxeventaccesstoken');
});

test('a forged or missing application token is refused with 401 and starts nothing', async () => {
	const trigger = await outgoingWebhookTrigger();
	const forged = await sandbox.events.post(
		trigger.url,
		'ONTASKADD',
		{ after: { ID: 51 } },
		{ token: 'guess' },
	);
	const missing = await sandbox.events.post(trigger.url, 'ONTASKADD', { after: { ID: 51 } });
	const prefix = await sandbox.events.post(
		trigger.url,
		'ONTASKADD',
		{ after: { ID: 51 } },
		{ token: OUTGOING_WEBHOOK_TOKEN.slice(0, -1) },
	);
	expect([forged.status, missing.status, prefix.status]).toEqual([401, 401, 401]);
	expect(trigger.executions).toHaveLength(0);
});

test.each([
	['empty', ''],
	['blank', '   '],
	['absent (a credential saved before the field existed)', null],
])(
	"with the credential's Application Token %s, every call is refused with 401",
	async (_case, configured) => {
		const trigger = await outgoingWebhookTrigger({}, configured);
		const statuses = [];
		for (const token of ['', ' ', OUTGOING_WEBHOOK_TOKEN, undefined])
			statuses.push(
				(await sandbox.events.post(trigger.url, 'ONTASKADD', { after: { ID: 51 } }, { token }))
					.status,
			);
		expect(statuses).toEqual([401, 401, 401, 401]);
		expect(trigger.executions).toHaveLength(0);
	},
);

test('the token is read from the credential: changing the credential changes what is accepted', async () => {
	const trigger = await outgoingWebhookTrigger({}, 'first-token-value');
	const post = async (token: string) =>
		(await sandbox.events.post(trigger.url, 'ONTASKADD', { after: { ID: 51 } }, { token })).status;
	expect(await post('first-token-value')).toBe(200);
	trigger.credentials.data.bitrix24WebhookApi.applicationToken = 'second-token-value';
	expect([await post('first-token-value'), await post('second-token-value')]).toEqual([401, 200]);
	expect(trigger.executions).toHaveLength(2);
});

test.each(['webhook', 'oAuth2'] as const)(
	'%s: activation fails with a clear error while the credential has no Application Token, and sends nothing',
	async (auth) => {
		const trigger = new EventTriggerHarness(
			{ events: ['ONTASKADD'] },
			eventTriggerCredentials(sandbox, auth, ''),
			auth,
		);
		await expect(trigger.activate()).rejects.toThrow('Set the Application Token in the credential');
		await expect(trigger.hook('create')).rejects.toThrow(
			'Set the Application Token in the credential',
		);
		expect(sandbox.requests).toHaveLength(0);
		expect(sandbox.events.calls).toHaveLength(0);
	},
);

test('the node has no token parameter: the workflow as n8n exports it holds no token', async () => {
	expect(eventProperties.map((property) => property.name)).not.toContain('applicationToken');
	const trigger = await outgoingWebhookTrigger({ options: { fetchTask: true } });
	const accepted = await sandbox.events.post(
		trigger.url,
		'ONTASKADD',
		{ after: { ID: 51 } },
		{ token: OUTGOING_WEBHOOK_TOKEN },
	);
	expect(accepted.status).toBe(200);
	const exported = trigger.exportedWorkflowJson();
	expect(exported).toContain('"events":["ONTASKADD","ONTASKCOMMENTADD"]');
	expect(exported).toContain('"credentials":{"bitrix24WebhookApi"');
	expect(exported).not.toContain(OUTGOING_WEBHOOK_TOKEN);
	expect(exported).not.toMatch(/applicationToken/i);
});

test('an event that is not chosen is acknowledged with 200 and starts nothing', async () => {
	const trigger = await outgoingWebhookTrigger();
	const delivery = await sandbox.events.post(
		trigger.url,
		'ONTASKDELETE',
		{ before: { ID: 51 } },
		{ token: OUTGOING_WEBHOOK_TOKEN },
	);
	expect(delivery.status).toBe(200);
	expect(trigger.executions).toHaveLength(0);
});

test('a task chat message (new card OnTaskCommentAdd) gives task, comment and message ids', async () => {
	const trigger = await outgoingWebhookTrigger();
	await sandbox.events.post(
		trigger.url,
		'ONTASKCOMMENTADD',
		{ after: { ID: 0, TASK_ID: 51, MESSAGE_ID: 1458 } },
		{ token: OUTGOING_WEBHOOK_TOKEN },
	);
	expect(trigger.executions[0][0]).toMatchObject({
		event: 'ONTASKCOMMENTADD',
		taskId: 51,
		commentId: 0,
		messageId: 1458,
	});
});

test('Fetch Full Task reads the task with tasks.task.get before the workflow starts', async () => {
	const trigger = await outgoingWebhookTrigger({ options: { fetchTask: true } });
	await sandbox.events.post(
		trigger.url,
		'ONTASKADD',
		{ after: { ID: 51 } },
		{ token: OUTGOING_WEBHOOK_TOKEN },
	);
	expect(trigger.executions[0][0].task).toMatchObject({ id: '51', title: 'Quarterly report' });
	expect(sandbox.requests.map((request) => request.restMethod)).toEqual(['tasks.task.get']);
});

test('an inbound-webhook trigger registers nothing on activation (the user sets up the outgoing webhook)', async () => {
	const trigger = await outgoingWebhookTrigger();
	await trigger.activate();
	await trigger.hook('delete');
	expect(sandbox.requests).toHaveLength(0);
});

describe('OAuth2: the trigger binds its events on activation and unbinds them on deactivation', () => {
	let trigger: EventTriggerHarness;

	beforeAll(async () => {
		trigger = new EventTriggerHarness(
			{ events: ['ONTASKADD', 'ONTASKUPDATE'] },
			eventTriggerCredentials(sandbox, 'oAuth2', APP_APPLICATION_TOKEN),
			'oAuth2',
		);
		await trigger.listen();
		harnesses.push(trigger);
	});

	test('activation asks event.get, then binds each chosen event to the production URL', async () => {
		await trigger.activate('activate');
		expect(sandbox.events.calls.map((call) => [call.method, call.event ?? null])).toEqual([
			['event.get', null],
			['event.bind', 'ONTASKADD'],
			['event.bind', 'ONTASKUPDATE'],
		]);
		expect(sandbox.events.bindings.map((b) => [b.event, b.handler])).toEqual([
			['ONTASKADD', trigger.url],
			['ONTASKUPDATE', trigger.url],
		]);
	});

	test('a restart (init) finds the bindings with event.get and binds nothing twice', async () => {
		await trigger.activate('init');
		expect(sandbox.events.calls.map((call) => call.method)).toEqual(['event.get']);
		expect(sandbox.events.bindings).toHaveLength(2);
	});

	test('a binding that exists already counts as done', async () => {
		expect(await trigger.hook('create')).toBe(true);
		expect(
			sandbox.events.calls.filter((call) => call.method === 'event.bind' && !call.ok),
		).toHaveLength(2);
		expect(sandbox.events.bindings).toHaveLength(2);
	});

	test('the portal delivers a bound event with the app token: one execution', async () => {
		const before = trigger.executions.length;
		const deliveries = await sandbox.events.fire('ONTASKUPDATE', {
			before: { ID: 51 },
			after: { ID: 51 },
		});
		expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
		expect(trigger.executions.length - before).toBe(1);
		expect(trigger.executions.at(-1)![0]).toMatchObject({ event: 'ONTASKUPDATE', taskId: 51 });
	});

	test('deactivation unbinds every event it bound', async () => {
		expect(await trigger.hook('delete')).toBe(true);
		expect(sandbox.events.calls.map((call) => [call.method, call.event, call.ok])).toEqual([
			['event.unbind', 'ONTASKADD', true],
			['event.unbind', 'ONTASKUPDATE', true],
		]);
		expect(sandbox.events.bindings).toHaveLength(0);
		expect(await trigger.hook('checkExists')).toBe(false);
	});
});

test('the sandbox refuses event methods from an inbound webhook (WRONG_AUTH_TYPE), as the portal does', async () => {
	const response = await fetch(`${sandbox.webhookUrl()}event.bind`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({
			event: 'ONTASKADD',
			handler: 'https://n8n.example.com/webhook/x/webhook',
		}),
	});
	expect(response.status).toBe(401);
	expect(((await response.json()) as { error: string }).error).toBe('WRONG_AUTH_TYPE');
});
