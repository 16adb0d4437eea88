import contributing from '../../CONTRIBUTING.md';
import errorsDoc from '../../docs/errors.md';
import deleteDoc from '../../docs/delete.md';
import readme from '../../README.md';
import pkg from '../../package.json';
import { ERROR_TABLE } from '../../nodes/Bitrix24Tasks/errors/codes';

const table =
	errorsDoc.split('<!-- ERROR-TABLE:START -->')[1]?.split('<!-- ERROR-TABLE:END -->')[0] ?? '';

test('docs/errors.md lists every code of the node\u2019s table, with its message and hint (npm run docs:errors)', () => {
	const rows = table.split('\n').filter((line) => line.startsWith('| `'));
	expect(rows).toHaveLength(Object.keys(ERROR_TABLE).length);
	for (const [code, spec] of Object.entries(ERROR_TABLE)) {
		const row = rows.find((line) => line.startsWith(`| \`${code}\` |`));
		expect(row).toBeDefined();
		expect(row).toContain(spec.message);
		expect(row).toContain(spec.hint.replace(/\|/g, '\\|'));
	}
});

test('the README documents the two commands, after npm install', () => {
	expect(readme).toContain('npm install && npm run demo');
	expect(readme).toContain('npm test');
	expect(contributing).toContain('npm install && npm run demo');
	expect(contributing).toContain('npm test');
});

test('the README stays under 12 KB (a five-minute read; details live in docs/)', () => {
	expect(Buffer.byteLength(readme, 'utf8')).toBeLessThanOrEqual(12 * 1000);
});

test('the README follows the community-node template order and keeps its anchors', () => {
	const sections = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
	expect(sections).toEqual([
		'Installation',
		'Credentials',
		'Operations',
		'Compatibility',
		'Usage',
		'Troubleshooting',
		'Resources',
		'Version history',
		'Development',
		'License',
	]);
	expect([...readme.matchAll(/^### (.+)$/gm)].map((m) => m[1])).toEqual(
		expect.arrayContaining(['Inbound webhook', 'OAuth2 application']),
	);
	// credential documentation and older links point at these
	for (const anchor of ['credentials', 'inbound-webhook', 'oauth2-application', 'operations'])
		expect(readme).toContain(`](#${anchor})`);
});

test('the README states the Delete outcomes the engine guarantees; docs/delete.md has the exact rules', () => {
	const summary = readme.replace(/\s+/g, ' ');
	for (const phrase of [
		'`deleted: true` only for a delete Bitrix24 confirmed',
		'every input item gets exactly one paired output',
		'](docs/delete.md)',
	])
		expect(summary).toContain(phrase);
	const text = deleteDoc.replace(/\s+/g, ' ');
	for (const phrase of [
		'`deleted: true` only when Bitrix24 confirmed that delete',
		'`alreadyDeleted: true` (Ignore Already Deleted on) only after Bitrix24 refused a delete the node actually sent for it',
		'A result that is not listed on its stated task is sent on its own, never assumed gone.',
		'For a portal administrator Bitrix24 answers success for a result that is already gone',
		'every input item gets exactly one output, paired',
		're-run with Ignore Already Deleted to finish',
	])
		expect(text).toContain(phrase);
});

test('CONTRIBUTING.md describes every npm script', () => {
	for (const name of Object.keys(pkg.scripts)) {
		const mention =
			name === 'test'
				? '`npm test`'
				: name === 'prepublishOnly'
					? '`prepublishOnly`'
					: `\`npm run ${name}`;
		expect({ name, described: contributing.includes(mention) }).toEqual({ name, described: true });
	}
});
