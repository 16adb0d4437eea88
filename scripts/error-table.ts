/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- writes docs/errors.md */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ERROR_TABLE } from '../nodes/Bitrix24Tasks/errors/codes';

/**
 * `npm run docs:errors`: writes the error table of docs/errors.md (between its ERROR-TABLE markers),
 * generated from the one code table the node uses. `--check` only compares and exits 1 when the file is
 * out of date; `--stdout` prints the table.
 */
const RETRY: Record<string, string> = {
	rateLimit: 'yes, with back-off',
	operatingLimit: 'waits for the reset if within the maximum wait',
	transient: 'reads; writes with Idempotency-Key',
	tokenExpired: 'OAuth2: refresh once, retry once',
	never: 'no',
};
const START = '<!-- ERROR-TABLE:START -->';
const END = '<!-- ERROR-TABLE:END -->';
const FILE = join(__dirname, '..', 'docs', 'errors.md');

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function errorTable(): string {
	const lines = ['| Code | Message | How to fix | Retried |', '|---|---|---|---|'];
	for (const [code, spec] of Object.entries(ERROR_TABLE)) {
		lines.push(
			`| \`${code}\` | ${cell(spec.message)} | ${cell(spec.hint)} | ${RETRY[spec.retry]} |`,
		);
	}
	return lines.join('\n');
}

function main(): void {
	const table = errorTable();
	if (process.argv.includes('--stdout')) {
		console.log(table);
		return;
	}
	const doc = readFileSync(FILE, 'utf8');
	const start = doc.indexOf(START);
	const end = doc.indexOf(END);
	if (start < 0 || end < start) throw new Error(`${FILE} has no ${START} … ${END} block`);
	const next = `${doc.slice(0, start + START.length)}\n${table}\n${doc.slice(end)}`;
	if (process.argv.includes('--check')) {
		if (next !== doc) {
			console.error('docs/errors.md is out of date: run `npm run docs:errors`');
			process.exitCode = 1;
		} else console.log('docs/errors.md is up to date');
		return;
	}
	writeFileSync(FILE, next);
	console.log(
		`docs/errors.md: ${Object.keys(ERROR_TABLE).length} codes ${next === doc ? '(unchanged)' : 'written'}`,
	);
}

if (require.main === module) main();
