import type { IDataObject } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../sandbox';
import { oAuth2CredentialData, oAuth2Credentials } from '../harness/credentials';
import { ResultSeeder } from '../harness/seed';
import { runWorkflow, singleNodeWorkflow, TestCredentialsHelper } from '../harness/engine';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: { tasks: [{ id: 51, title: 'Report', memberIds: [1] }] } });
});
afterAll(async () => await sandbox.stop());
afterEach(() => sandbox.clearFaults());

const results = new ResultSeeder(() => sandbox, 2000);
const seedResults = (count: number) => results.many(count, { text: 'to delete' });

const workflow = (parameters: IDataObject = {}, continueOnFail = false) =>
	singleNodeWorkflow(
		{ operation: 'delete', resultId: '={{ $json.resultId }}', ...parameters },
		{ credential: 'oAuth2', continueOnFail },
	);
const deletes = () => sandbox.requests.filter((r) => r.restMethod === 'tasks.task.result.delete');

test('deletes with the access token in ?auth= and a body without the token', async () => {
	const [id] = seedResults(1);
	const tokens = sandbox.issueTokens();
	sandbox.reset();
	const { output, error } = await runWorkflow(workflow(), {
		credentials: oAuth2Credentials(sandbox, tokens),
		items: [{ resultId: id }],
	});
	expect(error).toBeUndefined();
	expect(output('Bitrix24 Tasks')[0].json).toEqual({ id, deleted: true });
	const [call] = deletes();
	expect(call.path).toBe('/rest/api/tasks.task.result.delete');
	expect(call.query.auth).toBe(tokens.access_token);
	expect(call.body).toEqual({ id });
	expect(sandbox.state.results.has(id)).toBe(false);
});

test('REST 3.0 expiry (401 ACCESSDENIED): one refresh, the retry uses the new token, the token is persisted', async () => {
	const [id] = seedResults(1);
	const tokens = sandbox.issueTokens({ expired: true });
	sandbox.reset();
	const { output, error, credentials } = await runWorkflow(workflow(), {
		credentials: oAuth2Credentials(sandbox, tokens),
		items: [{ resultId: id }],
	});
	expect(error).toBeUndefined();
	expect(output('Bitrix24 Tasks')[0].json).toEqual({ id, deleted: true });
	expect(sandbox.counters.tokenRefreshes).toBe(1);
	const [expired, retried] = deletes();
	expect(expired.status).toBe(401);
	expect(retried.status).toBe(200);
	expect(retried.query.auth).not.toBe(tokens.access_token);
	expect(retried.rawBody).toBe(expired.rawBody);
	expect(credentials.savedTokens).toHaveLength(1);
	const saved = credentials.savedTokens[0].data.oauthTokenData as IDataObject;
	expect(saved.access_token).toBe(retried.query.auth);
	expect(saved.refresh_token).not.toBe(tokens.refresh_token);
	expect(saved.member_id).toBe(tokens.member_id);
});

test('classic expiry (expired_token) is refreshed the same way', async () => {
	const [id] = seedResults(1);
	const tokens = sandbox.issueTokens();
	sandbox.reset();
	sandbox.injectFault(
		{
			kind: 'status',
			status: 401,
			body: { error: 'expired_token', error_description: 'The access token provided has expired.' },
		},
		{ restMethod: 'tasks.task.result.delete' },
	);
	const { output, error } = await runWorkflow(workflow(), {
		credentials: oAuth2Credentials(sandbox, tokens),
		items: [{ resultId: id }],
	});
	expect(error).toBeUndefined();
	expect(output('Bitrix24 Tasks')[0].json).toEqual({ id, deleted: true });
	expect(sandbox.counters.tokenRefreshes).toBe(1);
});

test('many items with an expired token share one refresh', async () => {
	const ids = seedResults(6);
	const tokens = sandbox.issueTokens({ expired: true });
	sandbox.reset();
	const { output, error, credentials } = await runWorkflow(workflow(), {
		credentials: oAuth2Credentials(sandbox, tokens),
		items: ids.map((resultId) => ({ resultId })),
	});
	expect(error).toBeUndefined();
	expect(output('Bitrix24 Tasks').map((i) => i.json)).toEqual(
		ids.map((id) => ({ id, deleted: true })),
	);
	expect(sandbox.counters.tokenRefreshes).toBe(1);
	expect(credentials.savedTokens).toHaveLength(1);
	expect(deletes()).toHaveLength(ids.length + 1);
});

test('a second 401 after the refresh is a real credential error, not a loop', async () => {
	const [id] = seedResults(1);
	const tokens = sandbox.issueTokens({ expired: true });
	sandbox.reset();
	sandbox.injectFault(
		{
			kind: 'status',
			status: 401,
			body: {
				error: {
					code: 'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION',
					message: 'Access denied.',
				},
			},
		},
		{ restMethod: 'tasks.task.result.delete', afterMatches: 1 },
	);
	const { error } = await runWorkflow(workflow(), {
		credentials: oAuth2Credentials(sandbox, tokens),
		items: [{ resultId: id }],
	});
	expect(error?.message).toMatch(/^Access denied by Bitrix24/);
	expect((error as unknown as { httpCode: string }).httpCode).toBe('401');
	expect(sandbox.counters.tokenRefreshes).toBe(1);
	expect(deletes()).toHaveLength(2);
});

test('a revoked refresh token tells the user to reconnect the credential', async () => {
	const [id] = seedResults(1);
	const tokens = sandbox.issueTokens({ expired: true });
	sandbox.revokeRefreshTokens();
	const { error, output } = await runWorkflow(workflow({}, true), {
		credentials: oAuth2Credentials(sandbox, tokens),
		items: [{ resultId: id }],
	});
	expect(error).toBeUndefined();
	const [item] = output('Bitrix24 Tasks');
	expect(item.json.code).toBe('invalid_grant');
	expect(item.json.error).toBe('The Bitrix24 refresh token is no longer valid');
	expect(sandbox.state.results.has(id)).toBe(true);
});

test('an OAuth2 credential that was never connected fails with a clear message', async () => {
	const { error } = await runWorkflow(workflow(), {
		credentials: oAuth2Credentials(sandbox, sandbox.issueTokens(), { oauthTokenData: undefined }),
		items: [{ resultId: 1 }],
	});
	expect(error?.message).toBe('The Bitrix24 OAuth2 credential is not connected');
});

test('two executions refreshing the same OAuth2 credential at once: one refresh, both succeed', async () => {
	const [a, b] = seedResults(2);
	const store = new TestCredentialsHelper({
		bitrix24OAuth2Api: oAuth2CredentialData(sandbox, sandbox.issueTokens({ expired: true })),
	});
	sandbox.reset();
	const run = (resultId: number) =>
		runWorkflow(workflow(), { credentialsHelper: store, items: [{ resultId }] });
	const [first, second] = await Promise.all([run(a), run(b)]);
	expect(first.error).toBeUndefined();
	expect(second.error).toBeUndefined();
	expect(sandbox.counters.tokenRefreshes).toBe(1);
	expect(sandbox.state.results.has(a)).toBe(false);
	expect(sandbox.state.results.has(b)).toBe(false);
});
