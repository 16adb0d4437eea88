import type { IDataObject } from 'n8n-workflow';

import { webhookCredentialData } from '../harness/credentials';
import type { Fault, FaultMatch, Sandbox } from '../sandbox';

/** One way a Delete can fail, and what the user must see. Shared by the error and the secret-scan tests. */
export interface ErrorScenario {
	name: string;
	fault?: Fault;
	match?: FaultMatch;
	/** change the webhook credential data (e.g. a wrong code or a closed port) */
	credential?: (sandbox: Sandbox) => IDataObject;
	options?: IDataObject;
	resultId?: number | string;
	code: string;
	httpCode: number | null;
	message: string | RegExp;
	description?: string | RegExp;
	/** the delete may have reached the portal without an answer: its error item says `mayHaveRun: true` */
	mayHaveRun?: true;
}

const V3 = 'BITRIX_REST_V3_EXCEPTION_';

export const errorScenarios: ErrorScenario[] = [
	{
		name: 'REST 3.0 validation error with validation[] entries',
		fault: {
			kind: 'status',
			status: 400,
			body: {
				error: {
					code: `${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`,
					message: 'Error validating request object',
					validation: [
						{ field: 'id', message: 'Required field `id` is missing' },
						{ message: 'Only one of the values must be provided: id, filter' },
					],
				},
			},
		},
		code: `${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`,
		httpCode: 400,
		message:
			'Bitrix24 rejected the request parameters: id: Required field `id` is missing; Only one of the values must be provided: id, filter',
		description: '- id: Required field `id` is missing',
	},
	{
		name: 'classic error body',
		fault: {
			kind: 'status',
			status: 400,
			body: {
				error: 'ERROR_CORE',
				error_description:
					'TASKS_ERROR_EXCEPTION_#4; Action is not allowed; 4/TE/ACTION_NOT_ALLOWED.<br>',
			},
		},
		code: 'ERROR_CORE',
		httpCode: 400,
		message:
			'Bitrix24 rejected the request: TASKS_ERROR_EXCEPTION_#4; Action is not allowed; 4/TE/ACTION_NOT_ALLOWED.',
	},
	{
		name: 'classic error body with an empty code',
		fault: {
			kind: 'status',
			status: 400,
			body: { error: '', error_description: 'Access denied.' },
		},
		code: 'ACCESS_DENIED',
		httpCode: 400,
		message: 'Bitrix24 denied access to the REST API: Access denied.',
	},
	{
		name: 'unknown code from another module',
		fault: {
			kind: 'status',
			status: 400,
			body: { error: { code: 'BITRIX_NOTE_SOMETHING', message: 'The note module says no' } },
		},
		code: 'BITRIX_NOTE_SOMETHING',
		httpCode: 400,
		message: 'Bitrix24 returned an error: The note module says no',
	},
	{
		name: 'HTML maintenance page',
		mayHaveRun: true,
		fault: { kind: 'html', status: 503 },
		options: { maxRetries: 0 },
		code: 'SERVER_ERROR',
		httpCode: 503,
		message: /^The Bitrix24 portal failed with a server error: the portal sent an HTML page/,
	},
	{
		name: 'HTML page with HTTP 200 (URL points at a website)',
		fault: {
			kind: 'rawBody',
			status: 200,
			body: '<html><head><title>Welcome</title></head><body>Hi</body></html>',
			contentType: 'text/html',
		},
		code: 'NON_JSON_RESPONSE',
		httpCode: 200,
		message:
			'The Bitrix24 portal answered with something that is not JSON: the portal sent an HTML page titled "Welcome" (HTTP 200)',
	},
	{
		name: 'truncated JSON',
		fault: { kind: 'truncatedJson' },
		code: 'NON_JSON_RESPONSE',
		httpCode: 200,
		message: /^The Bitrix24 portal answered with something that is not JSON/,
	},
	{
		name: 'redirect to another host is not followed',
		fault: {
			kind: 'redirect',
			status: 301,
			location: 'https://moved.example.com/rest/api/1/sbx1webhookcode/tasks.task.result.delete',
		},
		code: 'REDIRECT',
		httpCode: 301,
		message:
			'The Bitrix24 portal redirected the request: the portal answered with a redirect to https://moved.example.com',
		description: 'never sent to another host',
	},
	{
		name: 'connection refused',
		credential: (sandbox) =>
			webhookCredentialData(sandbox, { webhookUrl: 'http://127.0.0.1:9/rest/1/sbx1webhookcode/' }),
		options: { maxRetries: 0 },
		code: 'NETWORK_ERROR',
		httpCode: null,
		message: 'Could not reach the Bitrix24 portal: the portal refused the connection',
		description: 'Network error: ECONNREFUSED',
	},
	{
		name: 'connection reset',
		mayHaveRun: true,
		fault: { kind: 'reset' },
		options: { maxRetries: 0 },
		code: 'NETWORK_ERROR',
		httpCode: null,
		message: 'Could not reach the Bitrix24 portal: the connection to the portal was reset',
	},
	{
		name: 'timeout',
		mayHaveRun: true,
		fault: { kind: 'delay', ms: 2500 },
		options: { maxRetries: 0, timeoutSec: 1 },
		code: 'TIMEOUT',
		httpCode: null,
		message: 'The Bitrix24 portal did not answer in time: no answer before the timeout',
	},
	{
		name: 'wrong webhook code',
		credential: (sandbox) =>
			webhookCredentialData(sandbox, {
				webhookUrl: sandbox.webhookUrl().replace('sbx1webhookcode', 'wrongcode999'),
			}),
		code: `${V3}ACCESSDENIEDEXCEPTION`,
		httpCode: 401,
		message: /^Access denied by Bitrix24/,
	},
	{
		name: 'webhook without the tasks scope',
		credential: (sandbox) => webhookCredentialData(sandbox, {}, 2),
		code: `${V3}INSUFFICIENTSCOPEEXCEPTION`,
		httpCode: 403,
		message: /^The Bitrix24 webhook or app lacks the required permission/,
		description: 'tick the "Tasks"',
	},
	{
		name: 'result that does not exist (or belongs to someone else)',
		resultId: 999,
		code: `${V3}ACCESSDENIEDEXCEPTION`,
		httpCode: 403,
		message: /^Access denied by Bitrix24/,
		description: 'already deleted',
	},
	{
		name: 'rate limit that outlasts the retries',
		fault: {
			kind: 'status',
			status: 503,
			body: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' },
		},
		match: { times: 5 },
		options: { maxRetries: 1 },
		code: 'QUERY_LIMIT_EXCEEDED',
		httpCode: 503,
		message: 'Too many requests to the Bitrix24 portal',
		description:
			/Tried 2 times:\n1\. HTTP 503 QUERY_LIMIT_EXCEEDED\n2\. HTTP 503 QUERY_LIMIT_EXCEEDED/,
	},
	{
		name: 'manual overload block is never retried',
		fault: {
			kind: 'status',
			status: 503,
			body: { error: 'OVERLOAD_LIMIT', error_description: 'REST API is blocked due to overload' },
		},
		match: { times: 5 },
		code: 'OVERLOAD_LIMIT',
		httpCode: 503,
		message: /^The Bitrix24 REST API is blocked/,
		description: 'contact Bitrix24 support',
	},
	{
		name: 'operating limit with a reset beyond the maximum wait',
		fault: {
			kind: 'status',
			status: 429,
			body: {
				error: {
					code: `${V3}RATELIMITEXCEPTION`,
					message: 'Request was blocked because the limit was exceeded.',
				},
			},
		},
		match: { times: 5 },
		options: { maxOperatingWaitSec: 0 },
		code: `${V3}RATELIMITEXCEPTION`,
		httpCode: 429,
		message: /^The Bitrix24 method is blocked by its operation time limit/,
	},
	{
		name: 'a JSON array instead of an object',
		mayHaveRun: true,
		fault: { kind: 'status', status: 200, body: [1, 2, 3] },
		options: { maxRetries: 0 },
		code: 'ERROR_UNEXPECTED_ANSWER',
		httpCode: 200,
		message:
			'Bitrix24 returned an unexpected response: the response has no "result" (got an array)',
	},
	{
		name: 'HTTP 200 with an error key (older portals)',
		fault: {
			kind: 'status',
			status: 200,
			body: { error: 'INVALID_CREDENTIALS', error_description: 'Invalid request credentials' },
		},
		code: 'INVALID_CREDENTIALS',
		httpCode: null,
		message: 'Invalid Bitrix24 credentials: Invalid request credentials',
	},
	{
		name: 'response without result',
		mayHaveRun: true,
		fault: { kind: 'status', status: 200, body: null },
		options: { maxRetries: 0 },
		code: 'ERROR_UNEXPECTED_ANSWER',
		httpCode: 200,
		message: 'Bitrix24 returned an unexpected response: the response has no "result" (got null)',
	},
];
