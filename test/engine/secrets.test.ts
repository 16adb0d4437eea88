import type { IDataObject } from 'n8n-workflow';

import { oAuth2CredentialData, webhookCredentialData } from '../harness/credentials';
import { EventTriggerHarness } from '../harness/webhook';
import { startSandbox, type Sandbox } from '../sandbox';
import { logLines, runWorkflow, singleNodeWorkflow, type EngineRun } from '../harness/engine';
import { errorScenarios } from './scenarios';

const WEBHOOK_CODE = 'whMARKcode4242';
const APP_MARKER = 'clientMARKvalue777';
const EVENT_MARKER = 'evtMARKtoken5150';

let sandbox: Sandbox;
const secrets: string[] = [WEBHOOK_CODE, APP_MARKER, EVENT_MARKER];
const observed: string[] = [];

/** Everything an error carries, including non-enumerable properties (cause, stack) and nested causes. */
function serialise(value: unknown, seen = new Set<unknown>(), depth = 0): string {
	if (value === null || typeof value !== 'object') return String(value);
	if (seen.has(value) || depth > 8) return '';
	seen.add(value);
	const parts: string[] = [];
	for (const key of Object.getOwnPropertyNames(value)) {
		let child: unknown;
		try {
			child = (value as Record<string, unknown>)[key];
		} catch {
			continue;
		}
		if (typeof child === 'function') continue;
		parts.push(`${key}=${serialise(child, seen, depth + 1)}`);
	}
	return parts.join(' ');
}

function collect(run: EngineRun): void {
	observed.push(serialise(run.error));
	observed.push(serialise(run.run.data.resultData.runData));
}

beforeAll(async () => {
	sandbox = await startSandbox({
		webhooks: [{ userId: 1, code: WEBHOOK_CODE, scopes: ['task', 'tasks', 'user'] }],
		oauthApps: [{ clientId: 'local.secret.app', clientSecret: APP_MARKER }],
		seed: { tasks: [{ id: 51, title: 'Report', memberIds: [1] }] },
	});
});
const triggers: EventTriggerHarness[] = [];
afterAll(async () => {
	for (const trigger of triggers) await trigger.close();
	await sandbox.stop();
});
afterEach(() => sandbox.clearFaults());

function oauthCredential(): IDataObject {
	const tokens = sandbox.issueTokens({ clientId: 'local.secret.app', expired: true });
	secrets.push(tokens.access_token, tokens.refresh_token);
	return oAuth2CredentialData(sandbox, tokens, {
		clientId: 'local.secret.app',
		clientSecret: APP_MARKER,
	});
}

describe.each(errorScenarios)('$name', (scenario) => {
	test.each([false, true])('webhook, continueOnFail=%p', async (continueOnFail) => {
		if (scenario.fault)
			sandbox.injectFault(scenario.fault, {
				restMethod: 'tasks.task.result.delete',
				...scenario.match,
			});
		const credential = scenario.credential?.(sandbox) ?? webhookCredentialData(sandbox);
		credential.webhookUrl = String(credential.webhookUrl).replace('sbx1webhookcode', WEBHOOK_CODE);
		const run = await runWorkflow(
			singleNodeWorkflow(
				{
					operation: 'delete',
					resultId: scenario.resultId ?? 999,
					options: scenario.options ?? {},
				},
				{ continueOnFail },
			),
			{ credentials: { bitrix24WebhookApi: credential } },
		);
		collect(run);
		expect(run.error !== undefined).toBe(!continueOnFail);
	});

	test('OAuth2 with an expired token', async () => {
		if (scenario.credential) return; // credential-specific scenarios are webhook-only
		if (scenario.fault)
			sandbox.injectFault(scenario.fault, {
				restMethod: 'tasks.task.result.delete',
				...scenario.match,
				afterMatches: 1,
			});
		const run = await runWorkflow(
			singleNodeWorkflow(
				{
					operation: 'delete',
					resultId: scenario.resultId ?? 999,
					options: scenario.options ?? {},
				},
				{ credential: 'oAuth2' },
			),
			{ credentials: { bitrix24OAuth2Api: oauthCredential() } },
		);
		collect(run);
		expect(run.error).toBeDefined();
	});
});

describe('Event Trigger with the application token in its credential', () => {
	async function eventTrigger(auth: 'webhook' | 'oAuth2'): Promise<EventTriggerHarness> {
		const credential =
			auth === 'oAuth2'
				? oauthCredential()
				: webhookCredentialData(sandbox, {
						webhookUrl: sandbox.webhookUrl().replace('sbx1webhookcode', WEBHOOK_CODE),
					});
		credential.applicationToken = EVENT_MARKER;
		const trigger = new EventTriggerHarness(
			{ events: ['ONTASKADD'], options: { fetchTask: true } },
			{ [auth === 'oAuth2' ? 'bitrix24OAuth2Api' : 'bitrix24WebhookApi']: credential },
			auth,
		);
		await trigger.listen();
		triggers.push(trigger);
		return trigger;
	}

	test.each(['webhook', 'oAuth2'] as const)(
		'%s: accepted, failed-fetch, forged and unbindable calls leak no token',
		async (auth) => {
			const trigger = await eventTrigger(auth);
			if (auth === 'oAuth2') {
				sandbox.injectFault(
					{ kind: 'status', status: 500, body: { error: 'ERROR_CORE', error_description: 'boom' } },
					{ restMethod: 'event.bind' },
				);
				const bindError = await trigger.activate().then(
					() => undefined,
					(thrown: unknown) => thrown,
				);
				expect(bindError).toBeInstanceOf(Error);
				observed.push(serialise(bindError));
				await trigger.activate();
				expect(sandbox.events.bindings.map((binding) => binding.handler)).toEqual([trigger.url]);
			}
			sandbox.injectFault(
				{ kind: 'status', status: 500, body: { error: 'ERROR_CORE', error_description: 'down' } },
				{ restMethod: 'tasks.task.get' },
			);
			const statuses = [];
			for (const token of [EVENT_MARKER, `${EVENT_MARKER}x`, undefined])
				statuses.push(
					(await sandbox.events.post(trigger.url, 'ONTASKADD', { after: { ID: 51 } }, { token }))
						.status,
				);
			expect(statuses).toEqual([200, 401, 401]);
			expect(trigger.executions).toHaveLength(1);
			expect(trigger.executions[0][0].taskError).toEqual(expect.any(String));
			observed.push(JSON.stringify(trigger.executions), serialise(trigger.errors));
			const exported = trigger.exportedWorkflowJson();
			expect(exported).toContain('"events":["ONTASKADD"]');
			observed.push(exported);
		},
	);

	test('activation without a token fails with an error that names no secret', async () => {
		const trigger = new EventTriggerHarness(
			{ events: ['ONTASKADD'] },
			{ bitrix24OAuth2Api: { ...oauthCredential(), applicationToken: '' } },
			'oAuth2',
		);
		const error = await trigger.activate().then(
			() => undefined,
			(thrown: unknown) => thrown,
		);
		expect((error as Error).message).toBe('Set the Application Token in the credential');
		observed.push(serialise(error));
	});
});

test('no secret appears in any error, output item or log line the runs above produced', () => {
	expect(observed.length).toBeGreaterThan(errorScenarios.length * 2);
	const haystack = [...observed, ...logLines].join('\n');
	expect(haystack.length).toBeGreaterThan(10_000);
	for (const secret of secrets) {
		expect({ secret, found: haystack.includes(secret) }).toEqual({ secret, found: false });
		expect(haystack.includes(encodeURIComponent(secret))).toBe(false);
	}
});

test('the scan would see a secret hidden in a non-enumerable cause', () => {
	const error = new Error('request failed', {
		cause: { config: { url: `https://p/rest/1/${WEBHOOK_CODE}/x` } },
	});
	expect(serialise(error)).toContain(WEBHOOK_CODE);
});
