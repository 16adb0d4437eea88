/* eslint-disable @n8n/community-nodes/no-restricted-globals */
import {
	ADMIN_WEBHOOK,
	DEFAULT_WEBHOOK,
	startSandbox,
	type Sandbox,
	type SandboxOptions,
	type SeedData,
} from './index';

const V3 = 'BITRIX_REST_V3_EXCEPTION_';

const SEED: SeedData = {
	tasks: [
		{ id: 51, title: 'Quarterly report', memberIds: [1, 2], groupId: 7 },
		{ id: 52, title: 'Call supplier', memberIds: [1] },
		{ id: 53, title: 'Private of user 2', memberIds: [2] },
	],
	results: [
		{ id: 10, taskId: 51, text: 'first', authorId: 1, createdAt: '2026-11-29T10:00:00+00:00' },
		{
			id: 11,
			taskId: 51,
			text: 'second',
			authorId: 2,
			createdAt: '2026-11-29T11:00:00+00:00',
			status: 'closed',
		},
		{
			id: 12,
			taskId: 51,
			text: 'third',
			authorId: 1,
			createdAt: '2026-11-29T12:00:00+00:00',
			messageId: 335,
		},
		{ id: 13, taskId: 52, text: 'other task', authorId: 1, createdAt: '2026-11-29T09:00:00+00:00' },
		{ id: 14, taskId: 53, text: 'hidden', authorId: 2 },
	],
	chatMessages: [
		{ id: 335, taskId: 51, authorId: 1, text: 'Report uploaded' },
		{ id: 336, taskId: 53, authorId: 2, text: 'not visible for user 1' },
		{ id: 900, taskId: null, authorId: 1, text: 'general chat' },
	],
};

interface Reply {
	status: number;
	headers: Headers;
	body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
	text: string;
}

async function http(url: string, init: RequestInit = {}): Promise<Reply> {
	const res = await fetch(url, init);
	const text = await res.text();
	let body: unknown = undefined;
	try {
		body = JSON.parse(text);
	} catch {
		body = undefined;
	}
	return { status: res.status, headers: res.headers, body, text };
}

function postJson(
	url: string,
	body: unknown,
	headers: Record<string, string> = {},
): Promise<Reply> {
	return http(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
}

let sb: Sandbox;
const v3 = (method: string, body: unknown, headers?: Record<string, string>, userId = 1) =>
	postJson(sb.webhookUrl(userId, 'v3') + method, body, headers);
const v2 = (method: string, body: unknown = {}) => postJson(sb.webhookUrl(1) + method, body);

async function withSandbox(opts: SandboxOptions, fn: (s: Sandbox) => Promise<void>): Promise<void> {
	const s = await startSandbox({ seed: SEED, ...opts });
	try {
		await fn(s);
	} finally {
		await s.stop();
	}
}

const TWO_HOOKS = [
	{ userId: 1, code: 'sbx1webhookcode', scopes: ['task', 'tasks', 'user'] },
	{ userId: 2, code: 'sbx2webhookcode', scopes: ['task', 'tasks', 'user'] },
	ADMIN_WEBHOOK,
];

beforeEach(async () => {
	sb = await startSandbox({ seed: SEED, webhooks: TWO_HOOKS });
});
afterEach(async () => {
	await sb.stop();
});

describe('routing and webhook auth', () => {
	it('serves v2 and v3 webhook URLs and records requests', async () => {
		expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(sb.webhookUrl()).toBe(`${sb.url}/rest/1/sbx1webhookcode/`);
		expect(sb.webhookUrl(1, 'v3')).toBe(`${sb.url}/rest/api/1/sbx1webhookcode/`);
		const p = await v2('profile.json');
		expect(p.status).toBe(200);
		expect(p.body.result).toEqual({
			ID: '1',
			ADMIN: false,
			NAME: 'Owner',
			LAST_NAME: '',
			PERSONAL_GENDER: '',
			TIME_ZONE: '',
		});
		expect(p.headers.get('content-type')).toContain('application/json');
		const l = await v3('tasks.task.result.list', { filter: [['taskId', 51]] });
		expect(l.status).toBe(200);
		expect(
			sb.requests.map((r) => [r.apiVersion, r.restMethod, r.auth.kind, r.auth.userId, r.status]),
		).toEqual([
			['v2', 'profile', 'webhook', 1, 200],
			['v3', 'tasks.task.result.list', 'webhook', 1, 200],
		]);
	});

	it('rejects a wrong webhook code with the v2 and v3 bodies', async () => {
		const a = await postJson(`${sb.url}/rest/1/wrongcode/profile`, {});
		expect(a.status).toBe(401);
		expect(a.body).toEqual({
			error: 'NO_AUTH_FOUND',
			error_description: 'Wrong authorization data',
		});
		const b = await postJson(`${sb.url}/rest/api/1/wrongcode/tasks.task.result.list`, {
			filter: [['taskId', 51]],
		});
		expect(b.status).toBe(401);
		expect(b.body).toEqual({
			error: { code: `${V3}ACCESSDENIEDEXCEPTION`, message: 'Access denied.' },
		});
	});

	it('answers method-not-found per API version', async () => {
		const unknown = await v2('no.such.method');
		expect(unknown.status).toBe(404);
		expect(unknown.body).toEqual({
			error: 'ERROR_METHOD_NOT_FOUND',
			error_description: 'Method not found!',
		});
		const v3only = await v2('tasks.task.result.add', { fields: { taskId: 51, text: 'x' } });
		expect(v3only.status).toBe(404);
		expect(v3only.body.error).toBe('ERROR_METHOD_NOT_FOUND');
		const suffix = await v3('tasks.task.result.list.json', { filter: [['taskId', 51]] });
		expect(suffix.status).toBe(404);
		expect(suffix.body.error.code).toBe(`${V3}METHODNOTFOUNDEXCEPTION`);
		const unknown3 = await v3('tasks.task.nothing', {});
		expect(unknown3.status).toBe(404);
		expect(unknown3.body.error.code).toBe(`${V3}METHODNOTFOUNDEXCEPTION`);
		const upper = await v3('TASKS.TASK.RESULT.LIST', { filter: [['taskId', 51]] });
		expect(upper.status).toBe(200);
	});

	it('v3 is POST+JSON only', async () => {
		const get = await http(`${sb.webhookUrl(1, 'v3')}tasks.task.result.delete?id=10`);
		expect(get.status).toBe(400);
		expect(get.body.error.code).toBe(`${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`);
		const form = await http(`${sb.webhookUrl(1, 'v3')}tasks.task.result.delete`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'id=10',
		});
		expect(form.status).toBe(400);
		expect(form.body.error.code).toBe(`${V3}INVALIDJSONEXCEPTION`);
		const bad = await v3('tasks.task.result.delete', '{"id":');
		expect(bad.body.error.code).toBe(`${V3}INVALIDJSONEXCEPTION`);
		expect(sb.state.results.has(10)).toBe(true);
	});

	it('v3Enabled=false answers 404 ERROR_METHOD_NOT_FOUND on /rest/api/', async () => {
		await withSandbox({ v3Enabled: false }, async (s) => {
			const r = await postJson(`${s.webhookUrl(1, 'v3')}tasks.task.result.list`, {
				filter: [['taskId', 51]],
			});
			expect(r.status).toBe(404);
			expect(r.body).toEqual({
				error: 'ERROR_METHOD_NOT_FOUND',
				error_description: 'Method not found!',
			});
		});
	});

	it('checks webhook scopes', async () => {
		await withSandbox({ webhooks: [{ userId: 1, code: 'c', scopes: ['task'] }] }, async (s) => {
			const a = await postJson(`${s.url}/rest/api/1/c/tasks.task.result.list`, {
				filter: [['taskId', 51]],
			});
			expect(a.status).toBe(403);
			expect(a.body.error.code).toBe(`${V3}INSUFFICIENTSCOPEEXCEPTION`);
			const b = await postJson(`${s.url}/rest/1/c/user.current`, {});
			expect(b.status).toBe(403);
			expect(b.body).toEqual({
				error: 'insufficient_scope',
				error_description:
					'The request requires higher privileges than provided by the webhook token',
			});
			expect((await postJson(`${s.url}/rest/1/c/profile`, {})).status).toBe(200);
			expect((await postJson(`${s.url}/rest/1/c/tasks.task.list`, {})).status).toBe(200);
		});
	});
});

describe('OAuth', () => {
	it('accepts the token via query, body and Bearer and records tokenVia', async () => {
		const t = sb.issueTokens();
		expect(t).toMatchObject({
			client_endpoint: `${sb.url}/rest/`,
			domain: '127.0.0.1',
			scope: 'task,tasks,user',
			user_id: 1,
			status: 'L',
			expires_in: 3600,
		});
		expect((await postJson(`${sb.url}/rest/profile?auth=${t.access_token}`, {})).status).toBe(200);
		expect(
			(await postJson(`${sb.url}/rest/profile.json`, { access_token: t.access_token })).status,
		).toBe(200);
		const form = await http(`${sb.url}/rest/profile`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: `auth=${t.access_token}`,
		});
		expect(form.status).toBe(200);
		const bearer = await postJson(
			`${sb.url}/rest/api/tasks.task.result.list`,
			{ filter: [['taskId', 51]] },
			{ Authorization: `Bearer ${t.access_token}` },
		);
		expect(bearer.status).toBe(200);
		expect(sb.requests.map((r) => r.auth)).toEqual([
			{ kind: 'oauth', tokenVia: 'query', userId: 1 },
			{ kind: 'oauth', tokenVia: 'body', userId: 1 },
			{ kind: 'oauth', tokenVia: 'body', userId: 1 },
			{ kind: 'oauth', tokenVia: 'bearer', userId: 1 },
		]);
	});

	it('missing, invalid and expired tokens: v2 codes vs v3 401 ACCESSDENIED', async () => {
		const missing = await postJson(`${sb.url}/rest/profile`, {});
		expect(missing.status).toBe(401);
		expect(missing.body.error).toBe('NO_AUTH_FOUND');
		const invalid = await postJson(`${sb.url}/rest/profile`, { auth: 'nope' });
		expect(invalid.status).toBe(401);
		expect(invalid.body).toEqual({
			error: 'invalid_token',
			error_description: 'The access token provided is invalid.',
		});
		const t = sb.issueTokens({ expired: true });
		const expired = await postJson(`${sb.url}/rest/profile`, { auth: t.access_token });
		expect(expired.status).toBe(401);
		expect(expired.body).toEqual({
			error: 'expired_token',
			error_description: 'The access token provided has expired.',
		});
		const exp3 = await postJson(
			`${sb.url}/rest/api/tasks.task.result.list?auth=${t.access_token}`,
			{ filter: [['taskId', 51]] },
		);
		expect(exp3.status).toBe(401);
		expect(exp3.body.error.code).toBe(`${V3}ACCESSDENIEDEXCEPTION`);
		const fresh = sb.issueTokens();
		sb.expireAccessTokens();
		expect(
			(await postJson(`${sb.url}/rest/profile`, { auth: fresh.access_token })).body.error,
		).toBe('expired_token');
	});

	it('refresh rotates both tokens; reused / revoked refresh tokens give invalid_grant', async () => {
		const t = sb.issueTokens({ userId: 2 });
		const form = (p: Record<string, string>) =>
			http(sb.tokenUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams(p).toString(),
			});
		const base = {
			grant_type: 'refresh_token',
			client_id: 'local.sandbox.app',
			client_secret: 'sandbox-client-secret',
		};
		const r1 = await form({ ...base, refresh_token: t.refresh_token });
		expect(r1.status).toBe(200);
		expect(r1.body.access_token).not.toBe(t.access_token);
		expect(r1.body.refresh_token).not.toBe(t.refresh_token);
		expect(r1.body).toMatchObject({
			user_id: 2,
			server_endpoint: `${sb.url}/oauth/rest/`,
			member_id: expect.any(String),
		});
		expect(r1.body.expires).toBeGreaterThan(Date.now() / 1000);
		expect(sb.counters.tokenRefreshes).toBe(1);
		const reused = await form({ ...base, refresh_token: t.refresh_token });
		expect(reused.status).toBe(400);
		expect(reused.body.error).toBe('invalid_grant');
		const badClient = await http(
			`${sb.tokenUrl}?${new URLSearchParams({ ...base, client_secret: 'x', refresh_token: r1.body.refresh_token })}`,
		);
		expect(badClient.status).toBe(401);
		expect(badClient.body.error).toBe('invalid_client');
		// GET with query works too; the new access token authenticates
		const r2 = await http(
			`${sb.tokenUrl}?${new URLSearchParams({ ...base, refresh_token: r1.body.refresh_token })}`,
		);
		expect(r2.status).toBe(200);
		expect(
			(await postJson(`${sb.url}/rest/profile`, { auth: r2.body.access_token })).body.result.ID,
		).toBe('2');
		sb.revokeRefreshTokens();
		expect((await form({ ...base, refresh_token: r2.body.refresh_token })).body.error).toBe(
			'invalid_grant',
		);
		const code = sb.issueAuthCode();
		const ac = await form({
			grant_type: 'authorization_code',
			client_id: base.client_id,
			client_secret: base.client_secret,
			code,
		});
		expect(ac.status).toBe(200);
		expect(sb.requests.filter((r) => r.apiVersion === 'oauth')).toHaveLength(6);
	});
});

describe('v3 tasks.task.result.add / addfromchatmessage', () => {
	it('adds a result (ids continue after seeded max)', async () => {
		const r = await v3('tasks.task.result.add', {
			fields: { taskId: 52, text: 'Done\u0000 ✅ مرحبا' },
		});
		expect(r.status).toBe(200);
		expect(r.body.result.item).toMatchObject({
			id: 15,
			taskId: 52,
			text: 'Done\u0000 ✅ مرحبا',
			authorId: 1,
			status: 'open',
			fileIds: [],
			messageId: null,
			updatedAt: null,
			rights: { edit: true, remove: true },
		});
		expect(r.body.result.item.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
		expect(r.body.time).toMatchObject({
			operating: 0,
			start: expect.any(Number),
			date_start: expect.any(String),
		});
		expect(sb.state.results.get(15)?.text).toBe('Done\u0000 ✅ مرحبا');
	});

	it('validates add', async () => {
		const noFields = await v3('tasks.task.result.add', {});
		expect(noFields.status).toBe(400);
		expect(noFields.body.error).toEqual({
			code: `${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`,
			message: expect.any(String),
			validation: [{ field: 'fields', message: 'Required field `fields` is not specified' }],
		});
		const empty = await v3('tasks.task.result.add', { fields: {} });
		expect(empty.body.error.code).toBe(`${V3}VALIDATION_DTOVALIDATIONEXCEPTION`);
		expect(empty.body.error.validation.map((v: { field: string }) => v.field)).toEqual([
			'taskId',
			'text',
		]);
		const files = await v3('tasks.task.result.add', {
			fields: { taskId: 51, text: 'x', fileIds: [1] },
		});
		expect(files.body.error.validation).toEqual([
			{ field: 'fileIds', message: 'Field `fileIds` is not available for filling' },
		]);
		const str = await v3('tasks.task.result.add', { fields: { taskId: '51', text: 'x' } });
		expect(str.body.error.code).toBe(`${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`);
		expect(str.body.error.validation[0].field).toBe('taskId');
		const neg = await v3('tasks.task.result.add', { fields: { taskId: -1, text: 'x' } });
		expect(neg.body.error.validation[0].message).toBe('Task id must be positive');
		const missing = await v3('tasks.task.result.add', { fields: { taskId: 999, text: 'x' } });
		expect(missing.status).toBe(400);
		expect(missing.body.error.validation).toEqual([{ field: 'taskId', message: 'Task not found' }]);
		const denied = await v3('tasks.task.result.add', { fields: { taskId: 53, text: 'x' } });
		expect(denied.status).toBe(403);
		expect(denied.body.error.code).toBe(`${V3}ACCESSDENIEDEXCEPTION`);
		expect(denied.body.error.validation[0].field).toBe('taskId');
		const unknown = await v3('tasks.task.result.add', {
			fields: { taskId: 51, text: 'x', foo: 1 },
		});
		expect(unknown.body.error.code).toBe(`${V3}UNKNOWNDTOPROPERTYEXCEPTION`);
		expect(sb.state.results.size).toBe(5);
	});

	it('accepts very long text (undocumented cap) and a 3 MB body', async () => {
		const text = 'x'.repeat(3 * 1024 * 1024);
		const r = await v3('tasks.task.result.add', { fields: { taskId: 51, text } });
		expect(r.status).toBe(200);
		expect(sb.state.results.get(r.body.result.item.id)?.text.length).toBe(text.length);
	});

	it('adds from a task chat message', async () => {
		const r = await v3(
			'tasks.task.result.addfromchatmessage',
			{ fields: { messageId: 335 } },
			undefined,
			2,
		);
		expect(r.status).toBe(200);
		expect(r.body.result.item).toMatchObject({
			taskId: 51,
			text: 'Report uploaded',
			messageId: 335,
			authorId: 2,
		});
		const notTask = await v3('tasks.task.result.addfromchatmessage', {
			fields: { messageId: 900 },
		});
		expect(notTask.status).toBe(400);
		expect(notTask.body.error.validation[0].message).toBe('Message is not from task chat');
		const extra = await v3('tasks.task.result.addfromchatmessage', {
			fields: { messageId: 335, text: 'x' },
		});
		expect(extra.body.error.code).toBe(`${V3}UNKNOWNDTOPROPERTYEXCEPTION`);
		const none = await v3('tasks.task.result.addfromchatmessage', { fields: {} });
		expect(none.body.error.code).toBe(`${V3}VALIDATION_DTOVALIDATIONEXCEPTION`);
		const noAccess = await v3('tasks.task.result.addfromchatmessage', {
			fields: { messageId: 336 },
		});
		expect(noAccess.status).toBe(403);
		const noMsg = await v3('tasks.task.result.addfromchatmessage', { fields: { messageId: 1 } });
		expect(noMsg.status).toBe(403);
	});
});

describe('v3 update / delete', () => {
	it('updates own result and sets updatedAt; others get 403', async () => {
		const r = await v3('tasks.task.result.update', { id: 10, fields: { text: 'edited' } });
		expect(r.status).toBe(200);
		expect(r.body.result.item).toMatchObject({ id: 10, text: 'edited' });
		expect(r.body.result.item.updatedAt).toEqual(expect.any(String));
		expect((await v3('tasks.task.result.update', { id: 11, fields: { text: 'x' } })).status).toBe(
			403,
		);
		const gone = await v3('tasks.task.result.update', { id: 9999, fields: { text: 'x' } });
		expect(gone.status).toBe(403);
		expect(gone.body.error.code).toBe(`${V3}ACCESSDENIEDEXCEPTION`);
		const noText = await v3('tasks.task.result.update', { id: 10, fields: {} });
		expect(noText.body.error.code).toBe(`${V3}VALIDATION_DTOVALIDATIONEXCEPTION`);
		const other = await v3('tasks.task.result.update', {
			id: 10,
			fields: { text: 'x', status: 'closed' },
		});
		expect(other.body.error.code).toBe(`${V3}VALIDATION_DTOVALIDATIONEXCEPTION`);
		const noId = await v3('tasks.task.result.update', { fields: { text: 'x' } });
		expect(noId.body.error.code).toBe(`${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`);
	});

	it('deletes own result; missing / foreign → 403; validation errors', async () => {
		const ok = await v3('tasks.task.result.delete', { id: 10 });
		expect(ok.status).toBe(200);
		expect(ok.body.result).toEqual({ result: true });
		expect(sb.state.results.has(10)).toBe(false);
		const again = await v3('tasks.task.result.delete', { id: 10 });
		expect(again.status).toBe(403);
		expect(again.body.error.code).toBe(`${V3}ACCESSDENIEDEXCEPTION`);
		expect((await v3('tasks.task.result.delete', { id: 11 })).status).toBe(403);
		const missing = await v3('tasks.task.result.delete', {});
		expect(missing.status).toBe(400);
		expect(missing.body.error.code).toBe(`${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`);
		expect(missing.body.error.validation).toEqual([
			{ message: 'At least one required field must be filled: id, filter' },
			{ message: 'Required field `id` is missing' },
		]);
		const both = await v3('tasks.task.result.delete', { id: 12, filter: [['id', 12]] });
		expect(both.body.error.validation).toEqual([
			{ message: 'Only one of the values must be provided: id, filter' },
		]);
		const str = await v3('tasks.task.result.delete', { id: 'abc' });
		expect(str.body.error.validation[0]).toEqual({
			field: 'id',
			message: expect.stringContaining('Field `id` requires `int` data type'),
		});
		expect(sb.state.results.has(12)).toBe(true);
	});

	it('non-admin (user 1): missing, never-existing, foreign and id ≤ 0 → 403; the result stays', async () => {
		expect((await v3('tasks.task.result.delete', { id: 10 })).status).toBe(200);
		for (const id of [10, 987654, 11, 14, 0, -5]) {
			const r = await v3('tasks.task.result.delete', { id });
			expect([id, r.status, r.body.error.code]).toEqual([id, 403, `${V3}ACCESSDENIEDEXCEPTION`]);
		}
		expect(sb.state.results.has(11)).toBe(true);
		expect(sb.state.results.has(14)).toBe(true);
	});

	it('admin (user 9): deletes any result, also on a task it cannot see; gone or never existed → 200 true; id ≤ 0 → 403', async () => {
		expect(sb.state.users.get(9)?.admin).toBe(true);
		expect(sb.state.users.get(1)?.admin).toBe(false);
		const asAdmin = (id: number) => v3('tasks.task.result.delete', { id }, undefined, 9);
		for (const id of [11, 14, 10]) {
			const r = await asAdmin(id);
			expect([id, r.status, r.body.result]).toEqual([id, 200, { result: true }]);
			expect(sb.state.results.has(id)).toBe(false);
		}
		// gone (just deleted) and never existed: the access check passes and the service returns quietly
		for (const id of [11, 987654]) {
			const r = await asAdmin(id);
			expect([id, r.status, r.body]).toEqual([
				id,
				200,
				{ result: { result: true }, time: expect.any(Object) },
			]);
		}
		for (const id of [0, -1]) {
			const r = await asAdmin(id);
			expect([id, r.status, r.body.error.code]).toEqual([id, 403, `${V3}ACCESSDENIEDEXCEPTION`]);
		}
		// inside a batch the admin's delete of a missing result succeeds too and the batch goes on
		const b = await v3(
			'batch',
			[
				{ method: 'tasks.task.result.delete', query: { id: 987655 } },
				{ method: 'tasks.task.result.delete', query: { id: 12 } },
			],
			undefined,
			9,
		);
		expect(b.status).toBe(200);
		expect(b.body.result).toEqual([{ result: true }, { result: true }]);
		expect(sb.state.results.has(12)).toBe(false);
		// a non-admin's batch stops at the missing one with its 403
		const n = await v3('batch', [
			{ method: 'tasks.task.result.delete', query: { id: 13 } },
			{ method: 'tasks.task.result.delete', query: { id: 987656 } },
		]);
		expect([n.status, n.body.error.code]).toEqual([403, `${V3}ACCESSDENIEDEXCEPTION`]);
		expect(sb.state.results.has(13)).toBe(false);
	});

	it('admin (user 9): update stays author-only — missing or foreign → 403', async () => {
		sb.seed({ results: [{ id: 40, taskId: 51, text: 'by admin', authorId: 9 }] });
		const upd = (id: number) =>
			v3('tasks.task.result.update', { id, fields: { text: 'x' } }, undefined, 9);
		for (const id of [10, 11, 987654, 0]) {
			const r = await upd(id);
			expect([id, r.status, r.body.error.code]).toEqual([id, 403, `${V3}ACCESSDENIEDEXCEPTION`]);
		}
		expect(sb.state.results.get(10)?.text).toBe('first');
		expect((await upd(40)).status).toBe(200);
	});

	it('rights in list items: remove is true for the author and for admins, edit for the author only', async () => {
		sb.seed({ tasks: [{ id: 51, title: 'Quarterly report', memberIds: [1, 2, 9], groupId: 7 }] });
		const rights = async (userId: number) => {
			const r = await v3(
				'tasks.task.result.list',
				{ filter: [['taskId', 51]], select: ['id', 'rights'], order: { id: 'ASC' } },
				undefined,
				userId,
			);
			return r.body.result.items.map((i: { id: number; rights: unknown }) => [i.id, i.rights]);
		};
		expect(await rights(1)).toEqual([
			[10, { edit: true, remove: true }],
			[11, { edit: false, remove: false }],
			[12, { edit: true, remove: true }],
		]);
		expect(await rights(9)).toEqual([
			[10, { edit: false, remove: true }],
			[11, { edit: false, remove: true }],
			[12, { edit: false, remove: true }],
		]);
	});

	it('an admin webhook is configured by default beside user 1, and through options with seeded users', async () => {
		await withSandbox({}, async (s) => {
			expect(s.webhookUrl()).toBe(`${s.url}/rest/1/${DEFAULT_WEBHOOK.code}/`);
			expect(s.webhookUrl(9)).toBe(`${s.url}/rest/9/${ADMIN_WEBHOOK.code}/`);
			const p = await postJson(`${s.webhookUrl(9)}profile`, {});
			expect(p.body.result).toMatchObject({ ID: '9', ADMIN: true, NAME: 'Admin' });
		});
		await withSandbox(
			{
				webhooks: [DEFAULT_WEBHOOK, { userId: 7, code: 'boss7' }],
				seed: {
					...SEED,
					users: [
						{ id: 1, name: 'Owner' },
						{ id: 7, name: 'Boss', admin: true },
					],
				},
			},
			async (s) => {
				const r = await postJson(`${s.webhookUrl(7, 'v3')}tasks.task.result.delete`, { id: 11 });
				expect(r.status).toBe(200);
				expect(s.state.results.has(11)).toBe(false);
				const u = await postJson(`${s.webhookUrl(1, 'v3')}tasks.task.result.delete`, { id: 14 });
				expect(u.status).toBe(403);
			},
		);
	});

	it('OAuth2 tokens of an admin user act as that admin', async () => {
		const t = sb.issueTokens({ userId: 9 });
		const r = await postJson(`${sb.url}/rest/api/tasks.task.result.delete?auth=${t.access_token}`, {
			id: 987654,
		});
		expect([r.status, r.body.result]).toEqual([200, { result: true }]);
		const u = sb.issueTokens({ userId: 1 });
		const d = await postJson(`${sb.url}/rest/api/tasks.task.result.delete?auth=${u.access_token}`, {
			id: 987654,
		});
		expect(d.status).toBe(403);
	});
});

describe('v3 tasks.task.result.list', () => {
	const list = (q: unknown) => v3('tasks.task.result.list', q);
	const ids = (r: Reply) => r.body.result.items.map((i: { id: number }) => i.id);

	it('default order, select and rights', async () => {
		const r = await list({ filter: [['taskId', 51]] });
		expect(r.status).toBe(200);
		expect(ids(r)).toEqual([10, 11, 12]);
		expect(Object.keys(r.body.result.items[0]).sort()).toEqual([
			'authorId',
			'createdAt',
			'fileIds',
			'id',
			'messageId',
			'rights',
			'status',
			'taskId',
			'text',
			'updatedAt',
		]);
		expect(r.body.result.items[1].rights).toEqual({ edit: false, remove: false });
		expect(r.body.result).not.toHaveProperty('total');
		const sel = await list({ filter: [['taskId', 51]], select: ['id', 'author'] });
		expect(sel.body.result.items[1]).toEqual({
			id: 11,
			author: { id: 2, name: 'Second', lastName: '' },
		});
	});

	it('filters: operators, in, between, or-groups', async () => {
		expect(
			ids(
				await list({
					filter: [
						['taskId', 51],
						['authorId', 1],
					],
				}),
			),
		).toEqual([10, 12]);
		expect(
			ids(
				await list({
					filter: [
						['taskId', 51],
						['id', '>', 10],
					],
				}),
			),
		).toEqual([11, 12]);
		expect(
			ids(
				await list({
					filter: [
						['taskId', 51],
						['id', [10, 12]],
					],
				}),
			),
		).toEqual([10, 12]);
		expect(
			ids(
				await list({
					filter: [
						['taskId', 51],
						['id', 'between', [11, 12]],
					],
				}),
			),
		).toEqual([11, 12]);
		expect(
			ids(
				await list({
					filter: [
						['taskId', 51],
						['status', '!=', 'open'],
					],
				}),
			),
		).toEqual([11]);
		expect(
			ids(
				await list({
					filter: [
						['taskId', 51],
						{
							logic: 'or',
							conditions: [
								['id', 10],
								['messageId', 335],
							],
						},
					],
				}),
			),
		).toEqual([10, 12]);
	});

	it('createdAt, updatedAt and text are not filterable (sortable dates only, reference §7.3)', async () => {
		for (const field of ['createdAt', 'updatedAt', 'text']) {
			const r = await list({
				filter: [
					['taskId', 51],
					[field, '>=', '2026-11-29T11:00:00+00:00'],
				],
			});
			expect(r.status).toBe(400);
			expect(r.body.error.code).toBe(`${V3}INVALIDFILTEREXCEPTION`);
		}
	});

	it('the task condition must be a plain top-level taskId = N: one task per call', async () => {
		for (const filter of [
			[['taskId', [51, 52]]],
			[['taskId', 'in', [51]]],
			[['taskId', '>', 50]],
			[{ logic: 'or', conditions: [['taskId', 51]] }],
		]) {
			const r = await list({ filter });
			expect(r.status).toBe(400);
			expect(r.body.error.code).toBe(`${V3}VALIDATION_REQUESTFILTERVALIDATIONEXCEPTION`);
		}
	});

	it('order, pagination, clamping', async () => {
		expect(ids(await list({ filter: [['taskId', 51]], order: { createdAt: 'DESC' } }))).toEqual([
			12, 11, 10,
		]);
		expect(ids(await list({ filter: [['taskId', 51]], pagination: { limit: 2 } }))).toEqual([
			10, 11,
		]);
		expect(
			ids(await list({ filter: [['taskId', 51]], pagination: { limit: 2, offset: 2 } })),
		).toEqual([12]);
		expect(
			ids(await list({ filter: [['taskId', 51]], pagination: { limit: 1, page: 2, offset: 0 } })),
		).toEqual([11]);
		sb.seed({ results: Array.from({ length: 1100 }, (_, i) => ({ taskId: 52, text: `r${i}` })) });
		expect(ids(await list({ filter: [['taskId', 52]] }))).toHaveLength(50);
		expect(ids(await list({ filter: [['taskId', 52]], pagination: { limit: 5000 } }))).toHaveLength(
			1000,
		);
	});

	it('maxPageSize caps silently below the requested limit', async () => {
		await withSandbox({ maxPageSize: 2 }, async (s) => {
			const r = await postJson(`${s.webhookUrl(1, 'v3')}tasks.task.result.list`, {
				filter: [['taskId', 51]],
				pagination: { limit: 10 },
			});
			expect(r.status).toBe(200);
			expect(r.body.result.items.map((i: { id: number }) => i.id)).toEqual([10, 11]);
		});
	});

	it('list validation errors', async () => {
		const code = async (q: unknown) => (await list(q)).body.error.code;
		expect(await code({})).toBe(`${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`);
		expect(await code({ filter: [['authorId', 1]] })).toBe(
			`${V3}VALIDATION_REQUESTFILTERVALIDATIONEXCEPTION`,
		);
		expect(
			await code({
				filter: [
					['taskId', 51],
					['id', 'like', 1],
				],
			}),
		).toBe(`${V3}UNKNOWNFILTEROPERATOREXCEPTION`);
		expect(
			await code({
				filter: [
					['taskId', 51],
					['foo', 1],
				],
			}),
		).toBe(`${V3}UNKNOWNDTOPROPERTYEXCEPTION`);
		expect(await code({ filter: [['taskId', 51]], select: ['foo'] })).toBe(
			`${V3}UNKNOWNDTOPROPERTYEXCEPTION`,
		);
		expect(await code({ filter: [['taskId', 51]], order: { id: 'UP' } })).toBe(
			`${V3}INVALIDORDEREXCEPTION`,
		);
		expect(await code({ filter: [['taskId', 51]], pagination: { limit: 0 } })).toBe(
			`${V3}INVALIDPAGINATIONEXCEPTION`,
		);
		expect(await code({ filter: [['taskId', 51]], pagination: { limit: 'ten' } })).toBe(
			`${V3}INVALIDPAGINATIONEXCEPTION`,
		);
		expect(await code({ filter: [['taskId', '51']] })).toBe(
			`${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`,
		);
		expect(await code({ filter: 'taskId=51' })).toBe(`${V3}INVALIDFILTEREXCEPTION`);
		const denied = await list({ filter: [['taskId', 53]] });
		expect(denied.status).toBe(403);
		expect(denied.body.error.code).toBe(`${V3}ACCESSDENIEDEXCEPTION`);
	});
});

describe('v3 batch', () => {
	const batch = (body: unknown) => v3('batch', body);

	it('runs commands in order and returns each result', async () => {
		const r = await batch([
			{
				method: 'tasks.task.result.add',
				query: { fields: { taskId: 52, text: 'a' } },
				as: 'first',
			},
			{
				method: 'tasks.task.result.update',
				query: { id: { $ref: 'first.item.id' }, fields: { text: 'b' } },
			},
			{ method: 'tasks.task.result.list', query: { filter: [['taskId', 52]] } },
		]);
		expect(r.status).toBe(200);
		expect(r.body.result).toHaveLength(3);
		expect(r.body.result[1].item).toMatchObject({ id: 15, text: 'b' });
		expect(r.body.result[2].items.map((i: { id: number }) => i.id)).toEqual([13, 15]);
		expect(r.body.time).toBeDefined();
		expect(sb.counters.executedCommands).toBe(3);
	});

	it('the first failing command becomes the whole response; earlier commands stay committed', async () => {
		const r = await batch([
			{ method: 'tasks.task.result.add', query: { fields: { taskId: 52, text: 'kept' } } },
			{ method: 'tasks.task.result.delete', query: { id: 11 } },
			{ method: 'tasks.task.result.add', query: { fields: { taskId: 52, text: 'never' } } },
		]);
		expect(r.status).toBe(403);
		expect(r.body.error.code).toBe(`${V3}ACCESSDENIEDEXCEPTION`);
		const texts = [...sb.state.results.values()].map((x) => x.text);
		expect(texts).toContain('kept');
		expect(texts).not.toContain('never');
	});

	it('the error names no command: the body is that command’s ordinary error only', async () => {
		const r = await batch([
			{ method: 'tasks.task.result.add', query: { fields: { taskId: 52, text: 'first' } } },
			{ method: 'tasks.task.result.delete', query: { id: 11 } },
		]);
		expect(Object.keys(r.body)).toEqual(['error']);
		for (const key of Object.keys(r.body.error))
			expect(['code', 'message', 'validation']).toContain(key);
		expect(JSON.stringify(r.body)).not.toMatch(/index|alias|"as"|command/i);
	});

	it('an unknown method anywhere in the batch is found before any command runs', async () => {
		const before = sb.state.results.size;
		const r = await batch([
			{ method: 'tasks.task.result.add', query: { fields: { taskId: 52, text: 'not run' } } },
			{ method: 'tasks.task.result.nosuch', query: {} },
		]);
		expect(r.body.error.code).toBe(`${V3}METHODNOTFOUNDEXCEPTION`);
		expect(sb.state.results.size).toBe(before);
	});

	it('faults inside the batch: a 500 or a dropped connection at command k keeps commands before k', async () => {
		const add = (text: string) => ({
			method: 'tasks.task.result.add',
			query: { fields: { taskId: 52, text } },
		});
		const texts = () => [...sb.state.results.values()].map((x) => x.text);
		sb.injectFault(
			{
				kind: 'status',
				status: 500,
				body: {
					error: { code: `${V3}INTERNAL_INTERNALEXCEPTION`, message: 'Something went wrong' },
				},
			},
			{ restMethod: 'tasks.task.result.add', inBatch: true, afterMatches: 1 },
		);
		const r = await batch([add('f500-a'), add('f500-b'), add('f500-c')]);
		expect(r.status).toBe(500);
		expect(texts()).toContain('f500-a');
		expect(texts()).not.toContain('f500-b');
		expect(texts()).not.toContain('f500-c');
		sb.injectFault(
			{ kind: 'reset' },
			{ restMethod: 'tasks.task.result.add', inBatch: true, afterMatches: 2 },
		);
		await expect(batch([add('drop-a'), add('drop-b'), add('drop-c')])).rejects.toThrow();
		expect(texts()).toEqual(expect.arrayContaining(['drop-a', 'drop-b']));
		expect(texts()).not.toContain('drop-c');
		// a fault for commands never fires on a plain request of that method
		sb.injectFault({ kind: 'reset' }, { restMethod: 'tasks.task.result.add', inBatch: true });
		expect(
			(await v3('tasks.task.result.add', { fields: { taskId: 52, text: 'plain' } })).status,
		).toBe(200);
		sb.clearFaults();
	});

	it('rejects malformed batches', async () => {
		expect((await batch({ cmd: { a: 'profile' } })).body.error.code).toBe(
			`${V3}INVALIDSELECTEXCEPTION`,
		);
		expect((await batch([{ method: 'tasks.task.result.list' }])).body.error.code).toBe(
			`${V3}INVALIDSELECTEXCEPTION`,
		);
		const big = await batch(
			Array.from({ length: 51 }, () => ({
				method: 'tasks.task.result.list',
				query: { filter: [['taskId', 51]] },
			})),
		);
		expect(big.status).toBe(400);
		expect(big.body.error.code).toBe('ERROR_BATCH_LENGTH_EXCEEDED');
	});
});

describe('Idempotency-Key', () => {
	it('replays the stored response without executing', async () => {
		const body = JSON.stringify({ fields: { taskId: 51, text: 'once' } });
		const a = await v3('tasks.task.result.add', body, { 'Idempotency-Key': 'k-1' });
		const b = await v3('tasks.task.result.add', body, { 'Idempotency-Key': 'k-1' });
		expect(a.status).toBe(200);
		expect(b.status).toBe(200);
		expect(b.text).toBe(a.text);
		expect(a.headers.get('idempotency-key')).toBe('k-1');
		expect(b.headers.get('idempotency-key')).toBe('k-1');
		expect(b.headers.get('idempotent-replayed')).toBe('true');
		expect(a.headers.get('idempotent-replayed')).toBeNull();
		expect([...sb.state.results.values()].filter((r) => r.text === 'once')).toHaveLength(1);
		expect(sb.counters.idempotentReplays).toBe(1);
		const reuse = await v3(
			'tasks.task.result.add',
			{ fields: { taskId: 51, text: 'other' } },
			{ 'Idempotency-Key': 'k-1' },
		);
		expect(reuse.status).toBe(422);
		expect(reuse.body.error.code).toBe(`${V3}IDEMPOTENCYKEYREUSEDEXCEPTION`);
		const bad = await v3('tasks.task.result.add', body, { 'Idempotency-Key': 'x'.repeat(256) });
		expect(bad.status).toBe(400);
		expect(bad.body.error.code).toBe(`${V3}INVALIDIDEMPOTENCYKEYEXCEPTION`);
	});

	it('does not store errors; replays a delete; hashes the raw body only (token in query)', async () => {
		const err = await v3('tasks.task.result.delete', { id: 11 }, { 'Idempotency-Key': 'd' });
		expect(err.status).toBe(403);
		const t1 = sb.issueTokens();
		const url = (tok: string) => `${sb.url}/rest/api/tasks.task.result.delete?auth=${tok}`;
		const first = await postJson(url(t1.access_token), { id: 12 }, { 'Idempotency-Key': 'del-12' });
		expect(first.body.result).toEqual({ result: true });
		const t2 = sb.issueTokens();
		const replay = await postJson(
			url(t2.access_token),
			{ id: 12 },
			{ 'Idempotency-Key': 'del-12' },
		);
		expect(replay.status).toBe(200);
		expect(replay.headers.get('idempotent-replayed')).toBe('true');
	});
});

describe('rate limits', () => {
	it('leaky bucket: 503 QUERY_LIMIT_EXCEEDED after the burst, then drains', async () => {
		await withSandbox({ rateLimit: { drainPerSec: 10, burst: 3 } }, async (s) => {
			const call = () => postJson(`${s.webhookUrl()}profile`, {});
			const statuses = [];
			for (let i = 0; i < 4; i++) statuses.push((await call()).status);
			expect(statuses).toEqual([200, 200, 200, 503]);
			const r = await call();
			expect(r.body).toEqual({
				error: 'QUERY_LIMIT_EXCEEDED',
				error_description: 'Too many requests',
			});
			expect(s.counters.rateLimited).toBe(2);
			// token requests are not counted
			expect((await http(s.tokenUrl, { method: 'POST' })).status).toBe(400);
			await new Promise((res) => setTimeout(res, 250));
			expect((await call()).status).toBe(200);
			s.setRateLimit(false);
			for (let i = 0; i < 5; i++) expect((await call()).status).toBe(200);
		});
	});

	it('operating limit: 429 on v2 and v3 per method, other methods keep working', async () => {
		await withSandbox({ operating: { limitSec: 2, costPerCallSec: 1 } }, async (s) => {
			const p = () => postJson(`${s.webhookUrl()}profile`, {});
			expect((await p()).body.time.operating).toBe(1);
			expect((await p()).body.time.operating).toBe(2);
			const blocked = await p();
			expect(blocked.status).toBe(429);
			expect(blocked.body).toEqual({
				error: 'OPERATION_TIME_LIMIT',
				error_description: 'Method is blocked due to operation time limit.',
			});
			expect((await postJson(`${s.webhookUrl()}user.current`, {})).status).toBe(200);
			const l = () =>
				postJson(`${s.webhookUrl(1, 'v3')}tasks.task.result.list`, { filter: [['taskId', 51]] });
			await l();
			const second = await l();
			expect(second.body.time.operating_reset_at).toBeGreaterThan(Date.now() / 1000);
			const b3 = await l();
			expect(b3.status).toBe(429);
			expect(b3.body.error).toEqual({
				code: `${V3}RATELIMITEXCEPTION`,
				message: 'Request was blocked because the limit was exceeded.',
			});
			expect(s.counters.operatingLimited).toBe(2);
		});
	});
});

describe('faults', () => {
	const list = () => v3('tasks.task.result.list', { filter: [['taskId', 51]] });
	const add = (text: string) => v3('tasks.task.result.add', { fields: { taskId: 51, text } });

	it('status, html, rawBody, redirect', async () => {
		sb.injectFault(
			{
				kind: 'status',
				status: 500,
				body: { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' },
			},
			{ restMethod: 'TASKS.TASK.RESULT.LIST' },
		);
		expect((await v2('profile')).status).toBe(200); // other method: untouched
		const s = await list();
		expect(s.status).toBe(500);
		expect(s.body.error).toBe('INTERNAL_SERVER_ERROR');
		expect((await list()).status).toBe(200); // times: 1
		sb.injectFault({ kind: 'html' });
		const h = await list();
		expect(h.status).toBe(503);
		expect(h.headers.get('content-type')).toContain('text/html');
		sb.injectFault({ kind: 'rawBody', status: 200, body: 'not json', contentType: 'text/plain' });
		expect((await list()).text).toBe('not json');
		sb.injectFault({ kind: 'redirect', location: `${sb.url}/moved/` });
		const res = await fetch(`${sb.webhookUrl()}profile`, { redirect: 'manual' });
		expect(res.status).toBe(302);
		expect(res.headers.get('location')).toBe(`${sb.url}/moved/`);
		await res.text();
		expect(sb.counters.faultsInjected).toEqual({ status: 1, html: 1, rawBody: 1, redirect: 1 });
		expect(sb.requests.filter((r) => r.faulted).map((r) => r.faulted)).toEqual([
			'status',
			'html',
			'rawBody',
			'redirect',
		]);
	});

	it('reset commits nothing; resetAfterCommit commits; truncatedJson', async () => {
		sb.injectFault({ kind: 'reset' });
		await expect(add('reset')).rejects.toThrow();
		expect([...sb.state.results.values()].some((r) => r.text === 'reset')).toBe(false);
		sb.injectFault({ kind: 'resetAfterCommit' });
		await expect(add('committed')).rejects.toThrow();
		expect([...sb.state.results.values()].some((r) => r.text === 'committed')).toBe(true);
		sb.injectFault({ kind: 'truncatedJson' });
		const t = await list();
		expect(t.status).toBe(200);
		expect(t.body).toBeUndefined();
		expect(t.text.startsWith('{"result":')).toBe(true);
	});

	it('delay, afterMatches, probability (deterministic)', async () => {
		sb.injectFault({ kind: 'delay', ms: 150 });
		const t0 = Date.now();
		expect((await list()).status).toBe(200);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
		sb.injectFault({ kind: 'status', status: 502, body: 'bad gateway' }, { afterMatches: 2 });
		expect([
			(await list()).status,
			(await list()).status,
			(await list()).status,
			(await list()).status,
		]).toEqual([200, 200, 502, 200]);
		const run = async () => {
			const s = await startSandbox({ seed: SEED, randomSeed: 7 });
			s.injectFault({ kind: 'status', status: 500, body: {} }, { probability: 0.5 });
			const out: number[] = [];
			for (let i = 0; i < 12; i++)
				out.push((await postJson(`${s.webhookUrl()}profile`, {})).status);
			await s.stop();
			return out;
		};
		const a = await run();
		expect(await run()).toEqual(a);
		expect(a).toContain(500);
		expect(a).toContain(200);
		sb.clearFaults();
		sb.reset();
		expect(sb.requests).toHaveLength(0);
		expect(sb.counters.faultsInjected).toEqual({});
	});

	it('latencyMs delays every response', async () => {
		await withSandbox({ latencyMs: 100 }, async (s) => {
			const t0 = Date.now();
			await postJson(`${s.webhookUrl()}profile`, {});
			expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
		});
	});
});

describe('classic methods', () => {
	it('tasks.task.list with filter/select/order and paging', async () => {
		const r = await v2('tasks.task.list', {
			filter: { '%TITLE': 'report' },
			select: ['ID', 'TITLE'],
		});
		expect(r.body.result.tasks).toEqual([{ id: '51', title: 'Quarterly report' }]);
		expect(r.body.total).toBe(1);
		const all = await http(`${sb.webhookUrl()}tasks.task.list?order[ID]=desc`);
		expect(all.body.result.tasks.map((t: { id: string }) => t.id)).toEqual(['52', '51']);
		expect(all.body.result.tasks[1]).toMatchObject({ groupId: '7', status: '2' });
		const byId = await http(`${sb.webhookUrl()}tasks.task.list?filter[ID]=52`);
		expect(byId.body.result.tasks.map((t: { id: string }) => t.id)).toEqual(['52']);
		sb.seed({ tasks: Array.from({ length: 60 }, (_, i) => ({ id: 100 + i, title: `t${i}` })) });
		const page = await v2('tasks.task.list', {});
		expect(page.body.result.tasks).toHaveLength(50);
		expect(page.body).toMatchObject({ total: 62, next: 50 });
		const p2 = await v2('tasks.task.list', { start: 50 });
		expect(p2.body.result.tasks).toHaveLength(12);
		expect(p2.body.next).toBeUndefined();
	});

	it('tasks.task.get and classic tasks.task.result.list', async () => {
		expect((await v2('tasks.task.get', { taskId: 51 })).body.result.task).toMatchObject({
			id: '51',
			title: 'Quarterly report',
		});
		const no = await v2('tasks.task.get', { taskId: 53 });
		expect(no.status).toBe(400);
		expect(no.body.error).toBe('ERROR_CORE');
		const rl = await http(`${sb.webhookUrl()}tasks.task.result.list?taskId=51`);
		expect(rl.body.result).toHaveLength(3);
		expect(rl.body.result[1]).toMatchObject({
			id: 11,
			createdBy: 2,
			status: 1,
			text: 'second',
			files: [],
		});
		const denied = await v2('tasks.task.result.list', { taskId: 53 });
		expect(denied.body).toEqual({ error: '0', error_description: 'Access denied.' });
		const bad = await v2('tasks.task.result.list', { taskId: 'abc' });
		expect(bad.status).toBe(400);
		expect(bad.body.error).toBe('100');
	});

	it('classic batch: per-command results and errors, halt, 50-command cap', async () => {
		const r = await http(`${sb.webhookUrl()}batch`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				halt: '0',
				'cmd[me]': 'profile',
				'cmd[list]': 'tasks.task.list?filter[ID]=51',
				'cmd[bad]': 'tasks.task.result.add?fields[taskId]=51',
				'cmd[rl]': 'tasks.task.result.list?taskId=51',
			}).toString(),
		});
		expect(r.status).toBe(200);
		expect(Object.keys(r.body.result.result)).toEqual(['me', 'list', 'rl']);
		expect(r.body.result.result.list.tasks[0].id).toBe('51');
		expect(r.body.result.result_error.bad.error).toBe('ERROR_METHOD_NOT_FOUND');
		expect(r.body.result.result_total).toEqual({ list: 1 });
		expect(r.body.result.result_next).toEqual([]);
		expect(Object.keys(r.body.result.result_time)).toEqual(['me', 'list', 'rl']);
		const halted = await v2('batch', {
			halt: 1,
			cmd: { a: 'tasks.task.get?taskId=53', b: 'profile' },
		});
		expect(halted.body.result.result).toEqual([]);
		expect(Object.keys(halted.body.result.result_error)).toEqual(['a']);
		const cmd: Record<string, string> = {};
		for (let i = 0; i < 52; i++) cmd[`c${i}`] = 'profile';
		const big = await v2('batch', { cmd });
		expect(Object.keys(big.body.result.result)).toHaveLength(50);
		expect(big.body.result.result_error.c51).toEqual({
			error: 'ERROR_BATCH_LENGTH_EXCEEDED',
			error_description: 'Max batch length exceeded',
		});
	});
});

describe('transport', () => {
	it('handles many concurrent keep-alive requests', async () => {
		const replies = await Promise.all(
			Array.from({ length: 100 }, (_, i) =>
				v3('tasks.task.result.add', { fields: { taskId: 52, text: `c${i}` } }),
			),
		);
		expect(replies.every((r) => r.status === 200)).toBe(true);
		expect(new Set(replies.map((r) => r.body.result.item.id)).size).toBe(100);
		expect(sb.requests).toHaveLength(100);
	});

	it('stop() closes promptly with a pending delayed reply', async () => {
		const s = await startSandbox();
		s.injectFault({ kind: 'delay', ms: 60_000 });
		const pending = fetch(`${s.webhookUrl()}profile`).catch(() => 'closed');
		await new Promise((res) => setTimeout(res, 50));
		const t0 = Date.now();
		await s.stop();
		expect(await pending).toBe('closed');
		expect(Date.now() - t0).toBeLessThan(1000);
	});
});
