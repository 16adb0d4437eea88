import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { lookupError, isMethodNotFound, TASK_METHOD_MIN_VERSION, type ErrorSpec } from './codes';

export interface ValidationEntry {
	field?: string;
	message: string;
}

/** A Bitrix24 failure in one shape, whatever API version, body or transport fault produced it. */
export interface BitrixFailure {
	code: string;
	httpCode?: number;
	/** Bitrix24's own message (localized by the portal), or the transport's detail */
	detail?: string;
	validation?: ValidationEntry[];
	/** unix seconds, from an operating-limit response or the last `time` block */
	operatingResetAt?: number;
	/** network error code (ECONNRESET, …); kept out of the message, where n8n would replace it */
	errno?: string;
	/** absolute Location of a redirect; never shown (it may carry the webhook code) */
	redirectTo?: string;
}

const asText = (value: unknown): string | undefined =>
	typeof value === 'string' && value.trim() !== ''
		? value.trim()
		: typeof value === 'number'
			? String(value)
			: undefined;

function stripHtml(text: string): string {
	return text
		.replace(/<br\s*\/?>/gi, ' ')
		.replace(/<[^>]*>/g, '')
		.replace(/\s+/g, ' ')
		.trim();
}

/** Codes guessed from the text when a classic body has an empty `error` (PHPSDK does the same). */
function inferCode(description: string | undefined): string {
	if (!description) return 'UNKNOWN_ERROR';
	if (/access denied/i.test(description)) return 'ACCESS_DENIED';
	if (/not found/i.test(description)) return 'ERROR_NOT_FOUND';
	if (/too many requests/i.test(description)) return 'QUERY_LIMIT_EXCEEDED';
	return 'UNKNOWN_ERROR';
}

function parseValidation(raw: unknown): ValidationEntry[] | undefined {
	if (!Array.isArray(raw)) return undefined;
	const entries = raw
		.map((entry): ValidationEntry | undefined => {
			if (typeof entry === 'string') return { message: entry };
			if (!entry || typeof entry !== 'object') return undefined;
			const { field, message } = entry as Record<string, unknown>;
			const text = asText(message);
			if (!text) return undefined;
			return { field: asText(field), message: text };
		})
		.filter((entry): entry is ValidationEntry => entry !== undefined);
	return entries.length ? entries : undefined;
}

function omitUndefined(failure: BitrixFailure): BitrixFailure {
	for (const key of Object.keys(failure) as Array<keyof BitrixFailure>)
		if (failure[key] === undefined) delete failure[key];
	return failure;
}

/**
 * Reads a Bitrix24 error out of a response, or returns undefined when the response is a success.
 * Failure is the presence of an `error` key (also with HTTP 200 on older portals), or a non-2xx status.
 */
export function failureFromBody(status: number, body: unknown): BitrixFailure | undefined {
	if (body && typeof body === 'object' && !Array.isArray(body) && 'error' in body) {
		const { error, error_description: errorDescription, time } = body as Record<string, unknown>;
		const httpCode = status >= 400 ? status : undefined;
		const resetAt = Number((time as Record<string, unknown> | undefined)?.operating_reset_at);
		const operatingResetAt = Number.isFinite(resetAt) && resetAt > 0 ? resetAt : undefined;
		if (error && typeof error === 'object' && !Array.isArray(error)) {
			const v3 = error as Record<string, unknown>;
			const detail = asText(v3.message);
			return omitUndefined({
				code: asText(v3.code) ?? inferCode(detail),
				httpCode,
				detail,
				validation: parseValidation(v3.validation),
				operatingResetAt,
			});
		}
		const description = asText(errorDescription);
		const detail = description ? stripHtml(description) : undefined;
		return omitUndefined({
			code: asText(error) ?? inferCode(detail),
			httpCode,
			detail,
			operatingResetAt,
		});
	}
	if (status >= 200 && status < 300) return undefined;
	if (status >= 500) return { code: 'SERVER_ERROR', httpCode: status, detail: `HTTP ${status}` };
	return { code: 'HTTP_ERROR', httpCode: status, detail: `HTTP ${status}` };
}

export function specFor(failure: BitrixFailure): ErrorSpec {
	return lookupError(failure.code, failure.detail) ?? lookupError('UNKNOWN_ERROR')!;
}

function describeValidation(validation: ValidationEntry[]): string {
	return validation.map((v) => (v.field ? `${v.field}: ${v.message}` : v.message)).join('; ');
}

export interface TranslateContext {
	itemIndex?: number;
	/** removes every secret from a text; applied to everything the error carries */
	redact: (text: string) => string;
	/** what each attempt ended with, when the transport retried */
	attempts?: string[];
	/** an earlier attempt of this write got no answer: the portal may have carried it out */
	mayHaveRun?: boolean;
	/** the portal as users may see it (a webhook URL with its code masked) */
	portal?: string;
	/** the REST 3.0 method called, e.g. `tasks.task.add` */
	method?: string;
}

/** The one place a Bitrix24 failure becomes an n8n error. */
export function toNodeApiError(
	node: INode,
	failure: BitrixFailure,
	ctx: TranslateContext,
): NodeApiError {
	const spec = specFor(failure);
	const { redact } = ctx;
	const detail = failure.detail ? redact(failure.detail) : undefined;
	const validation = failure.validation?.map((v) => ({
		field: v.field ? redact(v.field) : undefined,
		message: redact(v.message),
	}));

	let message = spec.message;
	if (validation?.length) message += `: ${describeValidation(validation)}`;
	else if (
		detail &&
		!spec.message.toLowerCase().includes(detail.toLowerCase().replace(/[.!]+$/, ''))
	)
		message += `: ${detail}`;

	const minVersion =
		ctx.method && isMethodNotFound(failure.code) ? TASK_METHOD_MIN_VERSION[ctx.method] : undefined;
	if (minVersion)
		message += `: ${ctx.method} needs the Bitrix24 tasks module ${minVersion} or later`;

	const lines = minVersion
		? [
				`This portal does not offer the REST 3.0 method ${ctx.method}. It needs the tasks module ${minVersion} or later (and the rest module with REST 3.0): update the portal (self-hosted: Settings \u2192 Updates), or ask the portal administrator.`,
			]
		: [spec.hint];
	if (validation?.length) {
		lines.push(
			'',
			'Details from Bitrix24:',
			...validation.map((v) => `- ${v.field ? `${v.field}: ` : ''}${v.message}`),
		);
	}
	if (failure.operatingResetAt) {
		lines.push(
			'',
			`The method unblocks at ${new Date(failure.operatingResetAt * 1000).toISOString()}.`,
		);
	}
	if (ctx.mayHaveRun) {
		lines.push(
			'',
			'Careful: an earlier attempt reached the portal without an answer, so Bitrix24 may already have done this. Check the portal before running the item again.',
		);
	}
	if (ctx.attempts && ctx.attempts.length > 1) {
		lines.push(
			'',
			`Tried ${ctx.attempts.length} times:`,
			...ctx.attempts.map((a, n) => `${n + 1}. ${redact(a)}`),
		);
	}
	lines.push(
		'',
		`Bitrix24 error code: ${failure.code}${failure.httpCode ? ` (HTTP ${failure.httpCode})` : ''}`,
	);
	if (ctx.portal) lines.push(`Portal: ${redact(ctx.portal)}`);
	if (failure.errno) lines.push(`Network error: ${failure.errno}`);

	// no `code`/`status` keys here: NodeApiError would read them as the HTTP status
	const response: JsonObject = { bitrixCode: failure.code, message: detail ?? spec.message };
	if (failure.httpCode) response.httpCode = String(failure.httpCode);
	if (validation?.length) response.validation = validation.map((v) => ({ ...v }) as JsonObject);

	const error = new NodeApiError(node, response, {
		message,
		description: lines.join('\n'),
		httpCode: failure.httpCode ? String(failure.httpCode) : undefined,
		itemIndex: ctx.itemIndex,
		failure: failureCause(spec),
	});
	error.context.errorCode = failure.code;
	if (ctx.mayHaveRun) error.context.mayHaveRun = true;
	if (failure.httpCode) error.context.httpCode = failure.httpCode;
	return error;
}

function failureCause(spec: ErrorSpec): NodeApiError['failure'] {
	switch (spec.retry) {
		case 'rateLimit':
		case 'operatingLimit':
			return { cause: 'rate-limited' };
		case 'transient':
			return { cause: 'temporarily-unavailable' };
		case 'tokenExpired':
			return { cause: 'credential-invalid' };
		default:
			return undefined;
	}
}
