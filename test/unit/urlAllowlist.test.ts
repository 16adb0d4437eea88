/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- reads the package's files */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import { disallowedUrls, hostOf, isAllowedUrl } from './urlAllowlist';

const ROOT = join(__dirname, '..', '..');

/** What npm users and n8n see: the package's sources, metadata, examples and documentation. */
const SCANNED = [
	'nodes',
	'credentials',
	'icons',
	'examples',
	'docs',
	'.github',
	'package.json',
	'README.md',
	'CONTRIBUTING.md',
	'CHANGELOG.md',
	'SECURITY.md',
	'LICENSE.md',
];
const TEXT = /\.(ts|js|json|md|svg|ya?ml)$/;

function filesUnder(path: string): string[] {
	const full = join(ROOT, path);
	if (!statSync(full, { throwIfNoEntry: false })) return [];
	if (!statSync(full).isDirectory()) return [full];
	return readdirSync(full).flatMap((name) => filesUnder(join(path, name)));
}

const files = SCANNED.flatMap(filesUnder).filter((file) => TEXT.test(file));

/** The invented "organisation/repository" the old links used, built so that grep finds it nowhere. */
const INVENTED = ['n8n-nodes-bitrix24-tasks', 'n8n-nodes-bitrix24-tasks'].join('/');

test('the scan covers the package sources and every documentation file', () => {
	const names = files.map((file) => relative(ROOT, file));
	for (const expected of [
		'nodes/Bitrix24Tasks/Bitrix24Tasks.node.json',
		'credentials/Bitrix24WebhookApi.credentials.ts',
		'credentials/Bitrix24OAuth2Api.credentials.ts',
		'package.json',
		'README.md',
		'docs/errors.md',
		'CONTRIBUTING.md',
		'CHANGELOG.md',
		'SECURITY.md',
		'.github/workflows/publish.yml',
	])
		expect(names).toContain(expected);
	expect(names.filter((name) => name.startsWith('examples/')).length).toBeGreaterThan(0);
});

test('every URL in the package sources and docs is on the allowlist', () => {
	const bad = files.flatMap((file) =>
		disallowedUrls(readFileSync(file, 'utf8')).map(
			({ line, url }) => `${relative(ROOT, file)}:${line} ${url}`,
		),
	);
	expect(bad).toEqual([]);
});

test('no file names the invented n8n-nodes-bitrix24-tasks GitHub organisation', () => {
	const hits = files.filter((file) => readFileSync(file, 'utf8').includes(INVENTED));
	expect(hits.map((file) => relative(ROOT, file))).toEqual([]);
});

describe('the checker', () => {
	test.each([
		`https://github.com/${INVENTED}#credentials`,
		'https://github.com/someone/n8n-nodes-bitrix24-tasks',
		'https://bitrix24-tasks.dev/docs',
		'https://docs.bitrix24.com/rest/tasks.html',
		'http://n8n-nodes-bitrix24-tasks.io',
		'https://apidocs.bitrix24.com.evil.io/local-integrations/local-webhooks.html',
	])('refuses %s', (url) => {
		expect(isAllowedUrl(url)).toBe(false);
	});

	test.each([
		'https://apidocs.bitrix24.com/local-integrations/local-webhooks.html',
		'https://apidocs.bitrix24.com/settings/oauth/index.html',
		'https://docs.n8n.io/integrations/community-nodes/installation/',
		'https://github.com/n8n-io/n8n-nodes-starter',
		'https://www.npmjs.com/package/n8n-nodes-bitrix24-tasks',
		'https://your-portal.bitrix24.com/rest/1/xxxxxxxxxxxxxxxx/',
		'http://127.0.0.1:5678/signin',
		'http://localhost:5678',
		'https://portal.example.com:8443/rest/1/abc/',
		'https://publisher.example.invalid',
	])('allows %s', (url) => {
		expect(isAllowedUrl(url)).toBe(true);
	});

	test('a URL with placeholders to fill in is not a link', () => {
		expect(disallowedUrls('"url": "git+https://github.com/<owner>/<repo>.git"')).toEqual([]);
	});

	test.each(['https://${host}/rest/', 'http://…', 'https://<your n8n>/mcp/<path>', 'https://'])(
		'skips %s, which writes about a URL rather than linking one',
		(url) => {
			expect(hostOf(url)).toBeUndefined();
		},
	);

	test('an invented URL added to the README is found, with its line', () => {
		const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
		const lines = readme.split('\n').length;
		const edited = `${readme}\nSee [the docs](https://n8n-nodes-bitrix24-tasks.github.io/guide).\n`;
		expect(disallowedUrls(readme)).toEqual([]);
		expect(disallowedUrls(edited)).toEqual([
			{ line: lines + 1, url: 'https://n8n-nodes-bitrix24-tasks.github.io/guide' },
		]);
	});

	test('trailing punctuation is not part of the URL', () => {
		expect(disallowedUrls('Open https://invented.dev/x. Then')).toEqual([
			{ line: 1, url: 'https://invented.dev/x' },
		]);
	});
});
