import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { ERROR_TABLE, lookupError } from '../../nodes/Bitrix24Tasks/errors/codes';
import { failureFromBody, toNodeApiError } from '../../nodes/Bitrix24Tasks/errors/translate';

const node = { name: 'Bitrix24 Tasks', type: 'n8n-nodes-bitrix24-tasks.bitrix24Tasks' } as INode;
const redact = (text: string) => text;

/** Every code the reference lists (bitrix24-rest.md §6.2 and §6.3) must have a row. */
const SYSTEM_CODES = [
	'INTERNAL_SERVER_ERROR',
	'ERROR_UNEXPECTED_ANSWER',
	'QUERY_LIMIT_EXCEEDED',
	'OPERATION_TIME_LIMIT',
	'ERROR_BATCH_METHOD_NOT_ALLOWED',
	'ERROR_BATCH_LENGTH_EXCEEDED',
	'NO_AUTH_FOUND',
	'INVALID_REQUEST',
	'OVERLOAD_LIMIT',
	'ACCESS_DENIED',
	'INVALID_CREDENTIALS',
	'ERROR_MANIFEST_IS_NOT_AVAILABLE',
	'insufficient_scope',
	'expired_token',
	'user_access_error',
	'PORTAL_DELETED',
	'ERROR_METHOD_NOT_FOUND',
	'WRONG_AUTH_TYPE',
	'invalid_token',
];
const V3_CODES = [
	'VALIDATION_REQUESTVALIDATIONEXCEPTION',
	'VALIDATION_DTOVALIDATIONEXCEPTION',
	'VALIDATION_REQUESTFILTERVALIDATIONEXCEPTION',
	'VALIDATION_INVALIDFILEEXCEPTION',
	'ACCESSDENIEDEXCEPTION',
	'INSUFFICIENTSCOPEEXCEPTION',
	'ENTITYNOTFOUNDEXCEPTION',
	'METHODNOTFOUNDEXCEPTION',
	'INVALIDJSONEXCEPTION',
	'INVALIDFILTEREXCEPTION',
	'UNKNOWNFILTEROPERATOREXCEPTION',
	'UNKNOWNDTOPROPERTYEXCEPTION',
	'INVALIDPAGINATIONEXCEPTION',
	'INVALIDORDEREXCEPTION',
	'INVALIDSELECTEXCEPTION',
	'UNKNOWNAGGREGATEFUNCTIONEXCEPTION',
	'RATELIMITEXCEPTION',
	'IDEMPOTENCYKEYREUSEDEXCEPTION',
	'INVALIDIDEMPOTENCYKEYEXCEPTION',
	'HTTPSREQUIREDEXCEPTION',
	'RESTUNAVAILABLEEXCEPTION',
	'MARKETSUBSCRIPTIONREQUIREDEXCEPTION',
	'LICENSEEXCEPTION',
	'WRONGHTTPREQUESTMETHODEXCEPTION',
	'LOGICEXCEPTION',
	'INTERNAL_INTERNALEXCEPTION',
	'INTERNAL_ORMSAVEEXCEPTION',
	'CLASSREQUIREATTRIBUTEEXCEPTION',
	'INVALIDCLASSINSTANCEPROVIDEDEXCEPTION',
	'TOOMANYATTRIBUTESEXCEPTION',
	'RELATIONMETHODNOTFOUNDEXCEPTION',
].map((suffix) => `BITRIX_REST_V3_EXCEPTION_${suffix}`);

test.each([...SYSTEM_CODES, ...V3_CODES])('%s has a row', (code) => {
	expect(lookupError(code)).toBeDefined();
});

describe.each(Object.entries(ERROR_TABLE))('%s', (key, spec) => {
	// a `<code>: <message>` row is that code with exactly that message
	const [code, exactMessage] = key.includes(': ') ? key.split(': ') : [key, undefined];
	test('becomes a NodeApiError with message, how-to-fix description, code and HTTP status', () => {
		const message = exactMessage ?? 'Bitrix says no';
		const body = code.startsWith('BITRIX_REST_V3_')
			? { error: { code, message } }
			: { error: code, error_description: message };
		const failure = failureFromBody(418, body)!;
		expect(failure.code).toBe(code);
		const error = toNodeApiError(node, failure, { itemIndex: 4, redact });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message.startsWith(spec.message)).toBe(true);
		if (!exactMessage) expect(error.message).toContain('Bitrix says no');
		expect(error.description).toContain(spec.hint);
		expect(error.description).toContain(`Bitrix24 error code: ${code} (HTTP 418)`);
		expect(error.httpCode).toBe('418');
		expect(error.context.errorCode).toBe(code);
		expect(error.context.itemIndex).toBe(4);
		for (const text of [error.message, error.description ?? '']) {
			expect(text).not.toMatch(/undefined|\[object Object\]|null/);
		}
	});
});

test('the code is looked up case-insensitively (PYSDK upper-cases codes)', () => {
	expect(lookupError('INSUFFICIENT_SCOPE')).toBe(ERROR_TABLE.insufficient_scope);
	expect(lookupError('EXPIRED_TOKEN')).toBe(ERROR_TABLE.expired_token);
	expect(lookupError('NO_SUCH_CODE')).toBeUndefined();
});

test('retry classes follow the reference §6.4', () => {
	expect(lookupError('QUERY_LIMIT_EXCEEDED')!.retry).toBe('rateLimit');
	expect(lookupError('OPERATION_TIME_LIMIT')!.retry).toBe('operatingLimit');
	expect(lookupError('BITRIX_REST_V3_EXCEPTION_RATELIMITEXCEPTION')!.retry).toBe('operatingLimit');
	expect(lookupError('OVERLOAD_LIMIT')!.retry).toBe('never');
	expect(lookupError('INTERNAL_SERVER_ERROR')!.retry).toBe('transient');
	expect(lookupError('expired_token')!.retry).toBe('tokenExpired');
	expect(lookupError('BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION')!.retry).toBe('never');
});

describe('failureFromBody', () => {
	test('a success is not a failure', () => {
		expect(failureFromBody(200, { result: { result: true } })).toBeUndefined();
	});

	test('an error key with HTTP 200 (older portals) is a failure', () => {
		expect(
			failureFromBody(200, {
				error: 'QUERY_LIMIT_EXCEEDED',
				error_description: 'Too many requests',
			}),
		).toEqual({
			code: 'QUERY_LIMIT_EXCEEDED',
			httpCode: undefined,
			detail: 'Too many requests',
		});
	});

	test('an empty classic code is inferred from the text', () => {
		expect(failureFromBody(400, { error: '', error_description: 'Access denied.' })?.code).toBe(
			'ACCESS_DENIED',
		);
		expect(failureFromBody(400, { error: '', error_description: 'Something odd' })?.code).toBe(
			'UNKNOWN_ERROR',
		);
	});

	test('classic HTML in descriptions is stripped', () => {
		expect(
			failureFromBody(400, {
				error: 'ERROR_CORE',
				error_description: 'TASKS_ERROR_EXCEPTION_#8; Task not found; 8/TE/TASK_NOT_FOUND<br>',
			})?.detail,
		).toBe('TASKS_ERROR_EXCEPTION_#8; Task not found; 8/TE/TASK_NOT_FOUND');
	});

	test('v3 validation entries are kept field by field, with and without field', () => {
		const failure = failureFromBody(400, {
			error: {
				code: 'BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION',
				message: 'Error validating request object',
				validation: [
					{ field: 'id', message: 'Required field `id` is missing' },
					{ message: 'Only one of the values must be provided: id, filter' },
					7,
				],
			},
		})!;
		const error = toNodeApiError(node, failure, { redact });
		expect(error.message).toBe(
			'Bitrix24 rejected the request parameters: id: Required field `id` is missing; Only one of the values must be provided: id, filter',
		);
		expect(error.description).toContain('- id: Required field `id` is missing');
		expect(error.description).toContain('- Only one of the values must be provided: id, filter');
	});

	test('an unknown code keeps its own code and message', () => {
		const error = toNodeApiError(
			node,
			failureFromBody(400, { error: { code: 'BITRIX_NOTE_SOMETHING', message: 'Nope' } })!,
			{ redact },
		);
		expect(error.message).toBe('Bitrix24 returned an error: Nope');
		expect(error.context.errorCode).toBe('BITRIX_NOTE_SOMETHING');
	});

	test('a status without a body code', () => {
		expect(failureFromBody(502, {})?.code).toBe('SERVER_ERROR');
		expect(failureFromBody(404, {})?.code).toBe('HTTP_ERROR');
	});
});

test('the redactor is applied to everything the error carries', () => {
	const error = toNodeApiError(
		node,
		{
			code: 'UNKNOWN_ERROR',
			detail: 'bad token SECRET123',
			validation: [{ field: 'SECRET123', message: 'SECRET123 wrong' }],
		},
		{ redact: (t) => t.split('SECRET123').join('***'), attempts: ['x SECRET123', 'y'] },
	);
	expect(
		JSON.stringify({ ...error, message: error.message, description: error.description }),
	).not.toContain('SECRET123');
});

describe('classic `0` errors: the message picks the row', () => {
	test.each([
		['Access denied.', 'Access denied by Bitrix24'],
		['Comment not found.', 'The Bitrix24 task comment was not found: Comment not found.'],
		['Result already exists.', 'This comment is already a task result: Result already exists.'],
		['Task not found.', 'The Bitrix24 task was not found: Task not found.'],
		['Something else', 'The Bitrix24 tasks module refused the request: Something else'],
	])('%s', (description, message) => {
		const failure = failureFromBody(400, { error: '0', error_description: description })!;
		const error = toNodeApiError(node, failure, { redact });
		expect(error.message).toBe(message);
		expect(error.context.errorCode).toBe('0');
		expect(error.description).toContain('Bitrix24 error code: 0 (HTTP 400)');
	});
});
