import readme from '../../README.md';
import { ERROR_TABLE } from '../../nodes/Bitrix24Tasks/errors/codes';

const table =
	readme.split('<!-- ERROR-TABLE:START -->')[1]?.split('<!-- ERROR-TABLE:END -->')[0] ?? '';

test('the README error table lists every code of the node\u2019s table, with its message and hint', () => {
	const rows = table.split('\n').filter((line) => line.startsWith('| `'));
	expect(rows).toHaveLength(Object.keys(ERROR_TABLE).length);
	for (const [code, spec] of Object.entries(ERROR_TABLE)) {
		const row = rows.find((line) => line.startsWith(`| \`${code}\` |`));
		expect(row).toBeDefined();
		expect(row).toContain(spec.message);
		expect(row).toContain(spec.hint.replace(/\|/g, '\\|'));
	}
});

test('the README documents the two commands', () => {
	expect(readme).toContain('npm run demo');
	expect(readme).toContain('npm test');
});
