/* eslint-disable no-console -- prints the README's error table */
import { ERROR_TABLE } from '../nodes/Bitrix24Tasks/errors/codes';

/** `npm run docs:errors`: the README's error table, generated from the one code table the node uses. */
const RETRY: Record<string, string> = {
	rateLimit: 'yes, with back-off',
	operatingLimit: 'waits for the reset if within the maximum wait',
	transient: 'reads; writes with Idempotency-Key',
	tokenExpired: 'OAuth2: refresh once, retry once',
	never: 'no',
};
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
console.log('| Code | Message | How to fix | Retried |');
console.log('|---|---|---|---|');
for (const [code, spec] of Object.entries(ERROR_TABLE)) {
	console.log(
		`| \`${code}\` | ${cell(spec.message)} | ${cell(spec.hint)} | ${RETRY[spec.retry]} |`,
	);
}
