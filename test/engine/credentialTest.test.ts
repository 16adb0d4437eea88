import type { IHttpRequestOptions } from 'n8n-workflow';

import { Bitrix24WebhookApi } from '../../credentials/Bitrix24WebhookApi.credentials';
import { startSandbox, type Sandbox } from '../sandbox';

/**
 * n8n's "Test" button sends the credential's `test.request` through its `authenticate` (seen in the
 * real n8n, see test/e2e/README.md); the engine harness has no such path, so this test does the same.
 */
let sandbox: Sandbox;
const credential = new Bitrix24WebhookApi();

beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => await sandbox.stop());

async function runCredentialTest(webhookUrl: string) {
	const request = await credential.authenticate(
		{ webhookUrl },
		{ ...(credential.test.request as IHttpRequestOptions) },
	);
	const response = await fetch(request.url, { method: request.method ?? 'GET' });
	return {
		url: request.url,
		status: response.status,
		body: (await response.json()) as Record<string, unknown>,
	};
}

test.each([
	['classic form', (s: Sandbox) => s.webhookUrl()],
	[
		'REST 3.0 form with a method after it',
		(s: Sandbox) => `${s.webhookUrl(1, 'v3')}tasks.task.result.list`,
	],
])('the Test button calls profile on the portal (%s)', async (_name, url) => {
	const { url: called, status, body } = await runCredentialTest(url(sandbox));
	expect(called).toBe(`${sandbox.url}/rest/1/sbx1webhookcode/profile`);
	expect(status).toBe(200);
	expect((body.result as Record<string, unknown>).ID).toBe('1');
});

test('a wrong webhook code fails the test with Bitrix24\u2019s answer', async () => {
	const { status, body } = await runCredentialTest(
		sandbox.webhookUrl().replace('sbx1webhookcode', 'nope1234'),
	);
	expect(status).toBe(401);
	expect(body.error).toBe('NO_AUTH_FOUND');
	const rule = credential.test.rules?.[0];
	expect(rule?.type).toBe('responseSuccessBody');
});
