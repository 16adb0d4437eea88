import { ADMIN_WEBHOOK, DEFAULT_WEBHOOK, startSandbox, type Sandbox } from './index';

// A portal without REST 3.0 task results (tasks module < 26.0.0): the classic result methods work,
// the REST 3.0 ones do not exist (reference §3, §9, §11).
let sb: Sandbox;

beforeEach(async () => {
	sb = await startSandbox({
		v3Results: false,
		webhooks: [DEFAULT_WEBHOOK, ADMIN_WEBHOOK, { userId: 2, code: 'sbx2code' }],
		seed: {
			tasks: [
				{ id: 51, title: 'Old card', memberIds: [1, 2, 9] },
				{ id: 53, title: 'Not for user 1', memberIds: [2] },
			],
			comments: [
				{ id: 501, taskId: 51, authorId: 1, text: 'Done <b>today</b>' },
				{ id: 502, taskId: 51, authorId: 2, text: 'By user 2' },
				{ id: 503, taskId: 51, authorId: 1, text: 'Not pinned yet' },
				{ id: 504, taskId: 53, authorId: 2, text: 'Hidden task' },
			],
			results: [
				{
					id: 10,
					taskId: 51,
					text: 'Done',
					commentId: 501,
					createdAt: '2026-01-01T10:00:00+00:00',
				},
				{
					id: 11,
					taskId: 51,
					text: 'By user 2',
					authorId: 2,
					commentId: 502,
					createdAt: '2026-01-02T10:00:00+00:00',
					status: 'closed',
				},
				{ id: 12, taskId: 51, text: 'chat result', createdAt: '2026-01-03T10:00:00+00:00' },
			],
		},
	});
});
afterEach(async () => await sb.stop());

async function call(method: string, body: unknown, base = sb.webhookUrl()) {
	const res = await fetch(`${base}${method}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

test('REST 3.0 result methods answer METHODNOTFOUND 404, also inside a batch', async () => {
	for (const method of ['tasks.task.result.list', 'tasks.task.result.delete']) {
		const r = await call(method, { id: 10 }, sb.webhookUrl(1, 'v3'));
		expect(r.status).toBe(404);
		expect(r.body).toEqual({
			error: {
				code: 'BITRIX_REST_V3_EXCEPTION_METHODNOTFOUNDEXCEPTION',
				message: `Method "${method}" was not found.`,
			},
		});
	}
	const batch = await call(
		'batch',
		[{ method: 'tasks.task.result.delete', query: { id: 10 } }],
		sb.webhookUrl(1, 'v3'),
	);
	expect(batch.status).toBe(404);
	expect(sb.state.results.has(10)).toBe(true);
});

test('list: every result of the task, newest first, classic shape; commentId 0 without comment', async () => {
	const r = await call('tasks.task.result.list', { taskId: 51 });
	expect(r.status).toBe(200);
	expect(r.body.result.map((row: { id: number }) => row.id)).toEqual([12, 11, 10]);
	expect(r.body.result[1]).toEqual({
		id: 11,
		taskId: 51,
		commentId: 502,
		createdBy: 2,
		createdAt: '2026-01-02T10:00:00+00:00',
		updatedAt: null,
		status: 1,
		text: 'By user 2',
		formattedText: 'By user 2',
		files: [],
	});
	expect(r.body.result[0].commentId).toBe(0);
	expect(await call('tasks.task.result.list', { taskId: 53 })).toEqual({
		status: 400,
		body: { error: '0', error_description: 'Access denied.' },
	});
	expect(await call('tasks.task.result.list', { taskId: 999 })).toEqual({
		status: 400,
		body: { error: '0', error_description: 'Access denied.' },
	});
	const bad = await call('tasks.task.result.list', { taskId: 'x' });
	expect(bad.body).toEqual({
		error: '100',
		error_description:
			'Invalid value x to match with parameter {taskId}. Should be value of type int.',
	});
});

test('addFromComment pins an own comment once; not found, not own, already pinned are refused', async () => {
	const added = await call('tasks.task.result.addFromComment', { commentId: 503 });
	expect(added.status).toBe(200);
	expect(added.body.result).toMatchObject({
		taskId: 51,
		commentId: 503,
		createdBy: 1,
		status: 0,
		text: 'Not pinned yet',
		files: null,
	});
	expect(sb.state.results.get(added.body.result.id)?.commentId).toBe(503);
	const again = await call('tasks.task.result.addFromComment', { commentId: 503 });
	expect(again.body).toEqual({ error: '0', error_description: 'Result already exists.' });
	expect((await call('tasks.task.result.addFromComment', { commentId: 777 })).body).toEqual({
		error: '0',
		error_description: 'Comment not found.',
	});
	expect((await call('tasks.task.result.addFromComment', { commentId: 502 })).body).toEqual({
		error: '0',
		error_description: 'Access denied.',
	});
	expect((await call('tasks.task.result.addFromComment', { commentId: 504 })).body).toEqual({
		error: '0',
		error_description: 'Access denied.',
	});
	// a closed result's comment can be pinned again (user 2 owns 502, whose result is closed)
	const repin = await call(
		'tasks.task.result.addFromComment',
		{ commentId: 502 },
		sb.webhookUrl(2),
	);
	expect(repin.status).toBe(200);
});

test('deleteFromComment really deletes the result, keeps the comment; only the owner or an admin', async () => {
	const denied = await call('tasks.task.result.deleteFromComment', { commentId: 502 });
	expect(denied.body).toEqual({ error: '0', error_description: 'Access denied.' });
	expect(sb.state.results.has(11)).toBe(true);
	const own = await call('tasks.task.result.deleteFromComment', { commentId: 501 });
	expect(own).toEqual({ status: 200, body: expect.objectContaining({ result: null }) });
	expect(sb.state.results.has(10)).toBe(false);
	expect(sb.state.comments.has(501)).toBe(true);
	const admin = await call(
		'tasks.task.result.deleteFromComment',
		{ commentId: 502 },
		sb.webhookUrl(ADMIN_WEBHOOK.userId),
	);
	expect(admin.status).toBe(200);
	expect(sb.state.results.has(11)).toBe(false);
	expect((await call('tasks.task.result.deleteFromComment', { commentId: 'x' })).body.error).toBe(
		'100',
	);
	expect((await call('tasks.task.result.deleteFromComment', { commentId: 9 })).body).toEqual({
		error: '0',
		error_description: 'Comment not found.',
	});
});
