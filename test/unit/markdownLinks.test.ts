/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- reads the documentation files */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** The documentation a user or contributor reads: every relative link in it must resolve. */
const DOCS = [
	'README.md',
	'CONTRIBUTING.md',
	'CHANGELOG.md',
	'SECURITY.md',
	'LICENSE.md',
	...readdirSync(join(ROOT, 'docs'))
		.filter((name) => name.endsWith('.md'))
		.map((name) => `docs/${name}`),
];

/** Markdown without fenced code blocks and inline code, where links are not links. */
function prose(markdown: string): string {
	return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function anchorsOf(markdown: string): Set<string> {
	const seen = new Map<string, number>();
	const anchors = new Set<string>();
	const withoutFences = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
	for (const [, heading] of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
		const text = heading
			.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
			.replace(/<[^>]+>/g, '')
			.replace(/[`*_~]/g, (c) => (c === '_' ? '_' : ''));
		const base = text
			.trim()
			.toLowerCase()
			.replace(/[^\p{L}\p{N}\s_-]/gu, '')
			.replace(/\s/g, '-');
		const n = seen.get(base) ?? 0;
		seen.set(base, n + 1);
		anchors.add(n === 0 ? base : `${base}-${n}`);
	}
	return anchors;
}

/** Every link target in the prose: inline links and images, reference definitions, HTML src/href. */
export function linkTargets(markdown: string): string[] {
	const text = prose(markdown);
	const targets: string[] = [];
	for (const [, target] of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
		targets.push(target);
	for (const [, target] of text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm))
		targets.push(target);
	for (const [, target] of text.matchAll(/\b(?:src|href)="([^"]+)"/g)) targets.push(target);
	return targets;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

function problemsIn(file: string): string[] {
	const markdown = readFileSync(join(ROOT, file), 'utf8');
	const problems: string[] = [];
	for (const target of linkTargets(markdown)) {
		if (isExternal(target)) continue;
		const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
		const path = decodeURIComponent(pathPart);
		const resolved = path ? join(dirname(join(ROOT, file)), path) : join(ROOT, file);
		if (!existsSync(resolved)) {
			problems.push(`${file}: ${target} → ${relative(ROOT, resolved)} does not exist`);
			continue;
		}
		if (anchor !== undefined && resolved.endsWith('.md') && statSync(resolved).isFile()) {
			const anchors = anchorsOf(readFileSync(resolved, 'utf8'));
			if (!anchors.has(anchor))
				problems.push(
					`${file}: ${target} → no heading "#${anchor}" in ${relative(ROOT, resolved)}`,
				);
		}
	}
	return problems;
}

test.each(DOCS)('every relative link and anchor in %s resolves', (file) => {
	expect(problemsIn(file)).toEqual([]);
});

test('the docs folder holds the pages the README promises', () => {
	for (const page of [
		'errors.md',
		'ai-agents.md',
		'rate-limits-and-batching.md',
		'reliability.md',
		'queue-mode.md',
		'architecture.md',
	])
		expect(DOCS).toContain(`docs/${page}`);
});

describe('the link checker', () => {
	test('finds inline links, images, reference definitions and HTML, not code', () => {
		const sample = [
			'See [the docs](docs/a.md#x) and ![shot](docs/images/b.png "title").',
			'[ref]: CHANGELOG.md#unreleased',
			'<img src="docs/images/c.png">',
			'`[not](a-link.md)`',
			'```',
			'[also not](code.md)',
			'```',
			'[web](https://apidocs.bitrix24.com/)',
		].join('\n');
		expect(linkTargets(sample)).toEqual([
			'docs/a.md#x',
			'docs/images/b.png',
			'https://apidocs.bitrix24.com/',
			'CHANGELOG.md#unreleased',
			'docs/images/c.png',
		]);
	});

	test("builds GitHub's anchors", () => {
		const anchors = anchorsOf(
			'# Title\n## Running on n8n queue mode\n## [0.1.0]\n### `npm run bench`: the benchmark\n## Title\n',
		);
		expect([...anchors]).toEqual([
			'title',
			'running-on-n8n-queue-mode',
			'010',
			'npm-run-bench-the-benchmark',
			'title-1',
		]);
	});

	test('a link to a missing file or heading is reported', () => {
		const sample = 'x [a](docs/none.md) [b](README.md#no-such-heading) [c](README.md#credentials)';
		const targets = linkTargets(sample);
		expect(targets).toHaveLength(3);
		expect(existsSync(join(ROOT, 'docs/none.md'))).toBe(false);
		const readmeAnchors = anchorsOf(readFileSync(join(ROOT, 'README.md'), 'utf8'));
		expect(readmeAnchors.has('no-such-heading')).toBe(false);
		expect(readmeAnchors.has('credentials')).toBe(true);
	});
});
