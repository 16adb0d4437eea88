import type { IDataObject } from 'n8n-workflow';

import { failureFromBody, type BitrixFailure } from '../errors/translate';

export interface HttpResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

export type Outcome =
	| { ok: true; result: unknown; time?: IDataObject; replayed: boolean }
	| { ok: false; failure: BitrixFailure };

function header(headers: IDataObject, name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? String(value[0]) : typeof value === 'string' ? value : undefined;
}

function snippet(text: string): string {
	const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
	if (title) return `an HTML page titled "${title.slice(0, 80)}"`;
	const plain = text
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return plain ? `"${plain.slice(0, 80)}${plain.length > 80 ? '…' : ''}"` : 'an empty body';
}

/** Reads one HTTP response (status, headers, raw text body) into success or a failure. */
export function interpretResponse(response: HttpResponse, requestUrl: string): Outcome {
	const status = Number(response.statusCode);
	const headers = response.headers ?? {};
	if (status >= 300 && status < 400) {
		const location = header(headers, 'location');
		let redirectTo: string | undefined;
		try {
			if (location) redirectTo = new URL(location, requestUrl).href;
		} catch {
			// an unreadable Location is reported like a missing one
		}
		const target = redirectTo ? new URL(redirectTo).origin : 'another address';
		return {
			ok: false,
			failure: {
				code: 'REDIRECT',
				httpCode: status,
				detail: `the portal answered with a redirect to ${target}`,
				redirectTo,
			},
		};
	}
	const raw = typeof response.body === 'string' ? response.body : undefined;
	let parsed: unknown = response.body;
	if (raw !== undefined) {
		try {
			parsed = JSON.parse(raw);
		} catch {
			const detail = `the portal sent ${snippet(raw)} (HTTP ${status})`;
			return {
				ok: false,
				failure:
					status >= 500
						? { code: 'SERVER_ERROR', httpCode: status, detail }
						: { code: 'NON_JSON_RESPONSE', httpCode: status, detail },
			};
		}
	}
	const failure = failureFromBody(status, parsed);
	if (failure) return { ok: false, failure };
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || !('result' in parsed)) {
		return {
			ok: false,
			failure: {
				code: 'ERROR_UNEXPECTED_ANSWER',
				httpCode: status,
				detail: `the response has no "result" (got ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed})`,
			},
		};
	}
	const body = parsed as IDataObject;
	return {
		ok: true,
		result: body.result,
		time: body.time && typeof body.time === 'object' ? (body.time as IDataObject) : undefined,
		replayed: header(headers, 'idempotent-replayed') === 'true',
	};
}

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'ERR_CANCELED']);
const NETWORK_TEXT: Record<string, string> = {
	ECONNREFUSED: 'the portal refused the connection',
	ECONNRESET: 'the connection to the portal was reset',
	EPIPE: 'the connection to the portal was closed',
	ENOTFOUND: 'the portal host name could not be resolved (DNS)',
	EAI_AGAIN: 'the portal host name could not be resolved right now (DNS)',
	EHOSTUNREACH: 'the portal host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'the portal uses a self-signed TLS certificate',
	SELF_SIGNED_CERT_IN_CHAIN: 'the portal\u2019s TLS certificate chain is self-signed',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the portal\u2019s TLS certificate could not be verified',
	CERT_HAS_EXPIRED: 'the portal\u2019s TLS certificate has expired',
	ERR_TLS_CERT_ALTNAME_INVALID: 'the portal\u2019s TLS certificate does not match its host name',
};

function findErrno(error: unknown, depth = 0): string | undefined {
	if (!error || typeof error !== 'object' || depth > 4) return undefined;
	const { code, cause, errno } = error as { code?: unknown; cause?: unknown; errno?: unknown };
	if (typeof code === 'string' && /^[A-Z_]{4,}$/.test(code)) return code;
	if (typeof errno === 'string' && /^[A-Z_]{4,}$/.test(errno)) return errno;
	return findErrno(cause, depth + 1);
}

/** A request that produced no HTTP response: refused, reset, timed out, DNS, TLS. */
export function networkFailure(error: unknown): BitrixFailure {
	const errno = findErrno(error);
	const message = error instanceof Error ? error.message : String(error);
	if ((errno && TIMEOUT_CODES.has(errno)) || /timeout|timed out/i.test(message)) {
		return { code: 'TIMEOUT', detail: 'no answer before the timeout', errno: errno ?? 'ETIMEDOUT' };
	}
	if (/socket hang up/i.test(message)) {
		return { code: 'NETWORK_ERROR', detail: NETWORK_TEXT.ECONNRESET, errno: errno ?? 'ECONNRESET' };
	}
	const detail = (errno && NETWORK_TEXT[errno]) ?? 'the request failed before the portal answered';
	return { code: 'NETWORK_ERROR', detail, errno };
}
