import type { IDataObject } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../sandbox';
import { webhookCredentials } from '../harness/credentials';
import { ResultSeeder } from '../harness/seed';
import { runWorkflow, singleNodeWorkflow } from '../harness/engine';

/** Odd and hostile input: each case ends in a clear error or a correct result, never a crash, hang or stack trace. */
let sandbox: Sandbox;
const results = new ResultSeeder(() => sandbox, 9000);

beforeAll(async () => {
	sandbox = await startSandbox({ seed: { tasks: [{ id: 51, title: 'Report', memberIds: [1] }] } });
});
afterAll(async () => await sandbox.stop());

interface IdCase {
	name: string;
	value: unknown;
	error?: string;
}

const idCases: IdCase[] = [
	{ name: 'digits with spaces around', value: ' {id} ' },
	{ name: 'a plus sign', value: '+5', error: 'it is not a whole number' },
	{ name: 'a minus sign', value: '-5', error: 'it is not a whole number' },
	{ name: 'exponent notation', value: '1e3', error: 'it is not a whole number' },
	{ name: 'NaN', value: NaN, error: 'it is not a finite number' },
	{ name: 'Infinity', value: Infinity, error: 'it is not a finite number' },
	{ name: 'the text NaN', value: 'NaN', error: 'it is not a whole number' },
	{
		name: 'above 2^31',
		value: 2 ** 31,
		error: 'it is larger than 2147483647, the largest ID Bitrix24 stores',
	},
	{
		name: 'a 30-digit number',
		value: '123456789012345678901234567890',
		error: 'it is larger than 2147483647, the largest ID Bitrix24 stores',
	},
	{ name: 'an array', value: [17], error: 'it is not a number' },
	{ name: 'an object', value: { id: 17 }, error: 'it is not a number' },
	{ name: 'null from an expression', value: null, error: 'it is empty' },
	{ name: 'a boolean', value: true, error: 'it is not a number' },
	{ name: 'a fraction', value: 2.5, error: 'it is not a whole number' },
];

describe.each(idCases)('Result ID as $name', ({ value, error }) => {
	test(error ? `fails before any request: ${error}` : 'works', async () => {
		const id = results.one({ text: 'x' });
		sandbox.reset();
		const resultId = typeof value === 'string' ? value.replace('{id}', String(id)) : value;
		const run = await runWorkflow(
			singleNodeWorkflow({ operation: 'delete', resultId: '={{ $json.resultId }}' }),
			{
				credentials: webhookCredentials(sandbox),
				items: [{ resultId } as IDataObject],
			},
		);
		if (error) {
			expect(run.error?.message).toBe(`Invalid Result ID in item 0: ${error}`);
			expect(run.error?.message).not.toMatch(/\n\s+at /);
			expect(sandbox.requests).toHaveLength(0);
		} else {
			expect(run.error).toBeUndefined();
			expect(sandbox.state.results.has(id)).toBe(false);
		}
	});
});

const texts: Array<[string, string]> = [
	['emoji', 'Done ✅🚀 — ship it 👍🏽'],
	['right-to-left text', 'تم إنجاز المهمة בהצלחה'],
	['100 KB of text', 'Lorem ipsum dolor sit amet. '.repeat(3800)],
	['NUL bytes', 'before\u0000after\u0000'],
	['HTML and BBCode', '<b>bold</b> <script>alert(1)</script> [B]bb[/B] [URL=https://x]link[/URL]'],
	['only a line break inside', 'line 1\nline 2'],
];

test.each(texts)('Create stores %s verbatim', async (_name, text) => {
	const run = await runWorkflow(
		singleNodeWorkflow({ operation: 'create', taskId: 51, text: '={{ $json.text }}' }),
		{
			credentials: webhookCredentials(sandbox),
			items: [{ text }],
		},
	);
	expect(run.error).toBeUndefined();
	const [item] = run.output('Bitrix24 Tasks');
	expect(item.json.text).toBe(text);
	expect(sandbox.state.results.get(Number(item.json.id))?.text).toBe(text);
});

const urlCases: Array<[string, (s: Sandbox) => string, string | undefined]> = [
	['a query string and a fragment', (s) => `${s.webhookUrl()}?lang=en#top`, undefined],
	['a method name after the code', (s) => `${s.webhookUrl()}profile.json`, undefined],
	['the REST 3.0 form', (s) => s.webhookUrl(1, 'v3'), undefined],
	['no trailing slash', (s) => s.webhookUrl().replace(/\/$/, ''), undefined],
	[
		'user name and password before the host',
		(s) => s.webhookUrl().replace('http://', 'http://admin:pw@'),
		'must not contain a user name or password',
	],
	[
		'no /rest/ in the path',
		(s) => `${s.url}/1/sbx1webhookcode/`,
		'its path must contain /rest/<user ID>/<webhook code>/',
	],
	[
		'an IPv6 host nobody listens on',
		(s) =>
			`http://[::1]:9/rest/1/sbx1webhookcode/`.replace(
				'9',
				new URL(s.url).port === '9' ? '10' : '9',
			),
		'Could not reach the Bitrix24 portal',
	],
];

test.each(urlCases)('webhook URL with %s', async (_name, url, error) => {
	const id = results.one({ text: 'x' });
	const run = await runWorkflow(
		singleNodeWorkflow({ operation: 'delete', resultId: id, options: { maxRetries: 0 } }),
		{
			credentials: webhookCredentials(sandbox, { webhookUrl: url(sandbox) }),
		},
	);
	if (error) {
		expect(run.error?.message).toContain(error);
		expect(run.error?.message).not.toContain('sbx1webhookcode');
	} else {
		expect(run.error).toBeUndefined();
		expect(run.output('Bitrix24 Tasks')[0].json).toEqual({ id, deleted: true });
	}
});
