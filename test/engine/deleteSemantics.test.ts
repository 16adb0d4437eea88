import type { IDataObject } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../sandbox';
import { oAuth2CredentialData } from '../harness/credentials';
import { runWorkflow, singleNodeWorkflow, TestCredentialsHelper } from '../harness/engine';

let sandbox: Sandbox;
let nextId = 7000;

beforeAll(async () => {
	sandbox = await startSandbox({
		seed: { tasks: [{ id: 51, title: 'Report', memberIds: [1, 2] }] },
	});
});
afterAll(async () => await sandbox.stop());

function seedResult(authorId = 1): number {
	const id = nextId++;
	sandbox.seed({ results: [{ id, taskId: 51, text: `result ${id}`, authorId }] });
	return id;
}

const credentials = () => ({
	bitrix24WebhookApi: { webhookUrl: sandbox.webhookUrl(), portalPlan: 'none' },
});
const ignoring = { ignoreAlreadyDeleted: true, taskId: '={{ $json.taskId }}' };

async function deleteItems(resultIds: number[], options: IDataObject, continueOnFail = true) {
	return await runWorkflow(
		singleNodeWorkflow(
			{ operation: 'delete', resultId: '={{ $json.resultId }}', options },
			{ continueOnFail },
		),
		{
			credentials: credentials(),
			items: resultIds.map((resultId) => ({ resultId, taskId: 51 })),
		},
	);
}

test('deleting a result that is already gone fails by default (Bitrix24 says access denied)', async () => {
	const id = seedResult();
	await deleteItems([id], {});
	const { output } = await deleteItems([id], {});
	expect(output('Bitrix24 Tasks')[0].json).toMatchObject({
		code: 'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION',
		httpCode: 403,
	});
});

test('Ignore Already Deleted: a gone result is confirmed through the list and reported { deleted, alreadyDeleted }', async () => {
	const id = seedResult();
	await deleteItems([id], {});
	sandbox.reset();
	const { output, error } = await deleteItems([id], ignoring, false);
	expect(error).toBeUndefined();
	expect(output('Bitrix24 Tasks')[0].json).toEqual({ id, deleted: true, alreadyDeleted: true });
	const list = sandbox.requests.filter((r) => r.restMethod === 'tasks.task.result.list');
	expect(list).toHaveLength(1);
	expect((list[0].body as IDataObject).filter).toEqual([
		['taskId', 51],
		['id', 'in', [id]],
	]);
});

test('Ignore Already Deleted: a real permission problem still fails', async () => {
	const foreign = seedResult(2);
	const { output } = await deleteItems([foreign], ignoring);
	expect(output('Bitrix24 Tasks')[0].json).toMatchObject({
		code: 'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION',
	});
	expect(sandbox.state.results.has(foreign)).toBe(true);
});

test('Ignore Already Deleted in batches: deleted, already deleted and refused items each get their own outcome', async () => {
	const gone = seedResult();
	await deleteItems([gone], {});
	const ids = [seedResult(), gone, seedResult(), seedResult(2), seedResult()];
	const { output } = await deleteItems(ids, ignoring);
	const out = output('Bitrix24 Tasks').map((i) => i.json);
	expect(out[0]).toEqual({ id: ids[0], deleted: true });
	// the check before batching found the gone result missing from its task: reported already
	// deleted without a delete request; the others were batched
	expect(out[1]).toEqual({ id: gone, deleted: true, alreadyDeleted: true });
	expect(out[2]).toEqual({ id: ids[2], deleted: true });
	expect(out[3]).toMatchObject({ code: 'BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION' });
	expect(out[4]).toEqual({ id: ids[4], deleted: true });
	expect(sandbox.state.results.has(ids[3])).toBe(true);
});

test('Ignore Already Deleted without a Task ID fails before any request, naming the item and field', async () => {
	sandbox.reset();
	const { error } = await runWorkflow(
		singleNodeWorkflow({
			operation: 'delete',
			resultId: 5,
			options: { ignoreAlreadyDeleted: true },
		}),
		{ credentials: credentials() },
	);
	expect(error?.message).toBe('Invalid Task ID in item 0: it is empty');
	expect(sandbox.requests).toHaveLength(0);
});

test('without Continue On Fail the node stops at the first failed item and sends nothing after it', async () => {
	const ids = [seedResult(), seedResult(2), seedResult()];
	const { error } = await deleteItems(ids, {}, false);
	expect(error?.message).toMatch(/^Access denied/);
	expect(error?.context.itemIndex).toBe(1);
	expect(sandbox.state.results.has(ids[0])).toBe(false);
	expect(sandbox.state.results.has(ids[2])).toBe(true);
});

test('two executions refreshing the same OAuth2 credential at once: one refresh, both succeed', async () => {
	const [a, b] = [seedResult(), seedResult()];
	const tokens = sandbox.issueTokens({ expired: true });
	const store = new TestCredentialsHelper({
		bitrix24OAuth2Api: oAuth2CredentialData(sandbox, tokens),
	});
	sandbox.reset();
	const run = (resultId: number) =>
		runWorkflow(singleNodeWorkflow({ operation: 'delete', resultId }, { credential: 'oAuth2' }), {
			credentialsHelper: store,
		});
	const [first, second] = await Promise.all([run(a), run(b)]);
	expect(first.error).toBeUndefined();
	expect(second.error).toBeUndefined();
	expect(sandbox.counters.tokenRefreshes).toBe(1);
	expect(sandbox.state.results.has(a)).toBe(false);
	expect(sandbox.state.results.has(b)).toBe(false);
});
