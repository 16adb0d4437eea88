import { webhookCredentials } from '../harness/credentials';
import { ResultSeeder } from '../harness/seed';
import { startSandbox, type Sandbox } from '../sandbox';
import { runWorkflow, singleNodeWorkflow } from '../harness/engine';
import { errorScenarios, type ErrorScenario } from './scenarios';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({
		webhooks: [
			{ userId: 1, code: 'sbx1webhookcode', scopes: ['task', 'tasks', 'user'] },
			{ userId: 2, code: 'sbx2taskonlycode', scopes: ['task'] },
		],
		seed: { tasks: [{ id: 51, title: 'Report', memberIds: [1, 2] }] },
	});
});
afterAll(async () => await sandbox.stop());
afterEach(() => sandbox.clearFaults());

const results = new ResultSeeder(() => sandbox, 100);
const seedResult = () => results.one({ text: 'to delete' });

const credentials = (scenario?: ErrorScenario) =>
	scenario?.credential
		? { bitrix24WebhookApi: scenario.credential(sandbox) }
		: webhookCredentials(sandbox);

describe.each(errorScenarios)('$name', (scenario) => {
	test('stops the workflow with a translated NodeApiError', async () => {
		const id = scenario.resultId ?? seedResult();
		if (scenario.fault)
			sandbox.injectFault(scenario.fault, {
				restMethod: 'tasks.task.result.delete',
				...scenario.match,
			});
		const { error } = await runWorkflow(
			singleNodeWorkflow({ operation: 'delete', resultId: id, options: scenario.options ?? {} }),
			{
				credentials: credentials(scenario),
			},
		);
		expect(error).toBeDefined();
		expect(error!.name).toBe('NodeApiError');
		if (typeof scenario.message === 'string') expect(error!.message).toBe(scenario.message);
		else expect(error!.message).toMatch(scenario.message);
		if (scenario.description) {
			if (typeof scenario.description === 'string')
				expect(error!.description).toContain(scenario.description);
			else expect(error!.description).toMatch(scenario.description);
		}
		expect(error!.description).toContain(`Bitrix24 error code: ${scenario.code}`);
		expect((error as unknown as { httpCode: string | null }).httpCode).toBe(
			scenario.httpCode === null ? null : String(scenario.httpCode),
		);
		expect(error!.context.itemIndex).toBe(0);
	});

	test('with Continue On Fail the item outputs { error, code, httpCode }', async () => {
		const id = scenario.resultId ?? seedResult();
		if (scenario.fault)
			sandbox.injectFault(scenario.fault, {
				restMethod: 'tasks.task.result.delete',
				...scenario.match,
			});
		const { output, error } = await runWorkflow(
			singleNodeWorkflow(
				{ operation: 'delete', resultId: id, options: scenario.options ?? {} },
				{ continueOnFail: true },
			),
			{ credentials: credentials(scenario) },
		);
		expect(error).toBeUndefined();
		const [item] = output('Bitrix24 Tasks');
		expect(Object.keys(item.json).sort()).toEqual(
			scenario.mayHaveRun
				? ['code', 'error', 'httpCode', 'mayHaveRun']
				: ['code', 'error', 'httpCode'],
		);
		expect(item.json.mayHaveRun).toBe(scenario.mayHaveRun);
		expect(item.json.code).toBe(scenario.code);
		expect(item.json.httpCode).toBe(scenario.httpCode);
		expect(typeof item.json.error).toBe('string');
		expect(item.pairedItem).toEqual({ item: 0 });
	});
});

test('a redirect within the portal is followed; one to another host is not', async () => {
	const id = seedResult();
	sandbox.reset();
	sandbox.injectFault(
		{
			kind: 'redirect',
			status: 307,
			location: '/rest/api/1/sbx1webhookcode/tasks.task.result.delete',
		},
		{ restMethod: 'tasks.task.result.delete' },
	);
	const followed = await runWorkflow(singleNodeWorkflow({ operation: 'delete', resultId: id }), {
		credentials: credentials(),
	});
	expect(followed.error).toBeUndefined();
	expect(followed.output('Bitrix24 Tasks')[0].json).toEqual({ id, deleted: true });
	expect(sandbox.requests.filter((r) => r.restMethod === 'tasks.task.result.delete')).toHaveLength(
		2,
	);

	const other = seedResult();
	sandbox.reset();
	sandbox.injectFault(
		{
			kind: 'redirect',
			status: 301,
			location: `http://127.0.0.2:${new URL(sandbox.url).port}/rest/api/1/sbx1webhookcode/tasks.task.result.delete`,
		},
		{ restMethod: 'tasks.task.result.delete' },
	);
	const refused = await runWorkflow(singleNodeWorkflow({ operation: 'delete', resultId: other }), {
		credentials: credentials(),
	});
	expect(refused.error?.message).toBe(
		`The Bitrix24 portal redirected the request: the portal answered with a redirect to http://127.0.0.2:${new URL(sandbox.url).port}`,
	);
	expect(refused.error?.message).not.toContain('sbx1webhookcode');
	expect(sandbox.requests.filter((r) => r.restMethod === 'tasks.task.result.delete')).toHaveLength(
		1,
	);
	expect(sandbox.state.results.has(other)).toBe(true);
});

test('REST 3.0 missing on the portal explains the REST 3.0 / new task card requirement', async () => {
	const old = await startSandbox({ v3Enabled: false });
	try {
		// API Version REST 3.0: Auto would switch to the classic API (test/engine/classic.test.ts)
		const { error } = await runWorkflow(
			singleNodeWorkflow({ operation: 'delete', resultId: 5, apiVersion: 'v3' }),
			{ credentials: webhookCredentials(old) },
		);
		expect(error?.message).toBe('Bitrix24 method not found');
		expect(error?.description).toContain('REST 3.0');
		expect(error?.description).toContain('new task card');
		expect(error?.description).toContain('Bitrix24 error code: ERROR_METHOD_NOT_FOUND (HTTP 404)');
	} finally {
		await old.stop();
	}
});

test('an invalid webhook URL fails before any request, without echoing the secret', async () => {
	sandbox.reset();
	const { error } = await runWorkflow(singleNodeWorkflow({ operation: 'delete', resultId: 5 }), {
		credentials: webhookCredentials(sandbox, { webhookUrl: `${sandbox.url}/sbx1webhookcode/` }),
	});
	expect(error?.name).toBe('NodeOperationError');
	expect(error?.message).toContain('https://your-portal.bitrix24.com/rest/1/');
	expect(error?.message).not.toContain('sbx1webhookcode');
	expect(sandbox.requests).toHaveLength(0);
});

test('errors name the portal with the webhook code masked', async () => {
	const { error } = await runWorkflow(
		singleNodeWorkflow({ operation: 'delete', resultId: 424243 }),
		{ credentials: credentials() },
	);
	expect(error?.description).toContain(`Portal: ${sandbox.url}/rest/1/sbx***/`);
	expect(JSON.stringify(error)).not.toContain('sbx1webhookcode');
});
