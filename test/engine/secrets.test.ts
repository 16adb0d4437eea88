import type { IDataObject } from 'n8n-workflow';

import { oAuth2CredentialData, webhookCredentialData } from '../harness/credentials';
import { startSandbox, type Sandbox } from '../sandbox';
import { logLines, runWorkflow, singleNodeWorkflow, type EngineRun } from '../harness/engine';
import { errorScenarios } from './scenarios';

const WEBHOOK_CODE = 'whMARKcode4242';
const APP_MARKER = 'clientMARKvalue777';

let sandbox: Sandbox;
const secrets: string[] = [WEBHOOK_CODE, APP_MARKER];
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
afterAll(async () => await sandbox.stop());
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
