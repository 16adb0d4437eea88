import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
	NodeApiError,
} from 'n8n-workflow';
import { NodeOperationError, randomString, sleep } from 'n8n-workflow';

import { isMethodNotFound, V3_ACCESS_DENIED } from '../errors/codes';
import { specFor, toNodeApiError, type BitrixFailure } from '../errors/translate';
import { makeRedactor } from '../helpers/redact';
import {
	credentialTypeFor,
	oAuth2Connection,
	webhookConnection,
	type AuthenticationType,
	type Connection,
} from './connection';
import { interpretResponse, networkFailure, type HttpResponse, type Outcome } from './failures';
import { bucketFor, type TokenBucket } from './limiter';
import { operatingWaitMs, recordOperating } from './operating';
import { webhookRequestUrl } from './webhookUrl';

export { credentialTypeFor, type AuthenticationType } from './connection';

type Context =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| IHookFunctions
	| IWebhookFunctions;

export interface ApiCall {
	api: 'v3' | 'v2';
	/** e.g. `tasks.task.result.delete` */
	method: string;
	body?: IDataObject | IDataObject[];
	/** a write changes the portal: it is retried after a server or network fault only with an idempotency key */
	write?: boolean;
	/** REST 3.0 writes: sent as `Idempotency-Key`, so a retry is replayed by the portal, never repeated */
	idempotencyKey?: string;
}

export interface ApiResult {
	result: unknown;
	time?: IDataObject;
	/** the portal replayed the stored response of an earlier attempt */
	replayed: boolean;
}

export type CallOutcome =
	| ({ ok: true } & ApiResult)
	| {
			ok: false;
			failure: BitrixFailure;
			error: NodeApiError;
			/** a write that reached the portal without an answer (or with a server fault) may have been done */
			mayHaveRun: boolean;
			/** what each attempt ended with */
			attempts: string[];
	  };

export interface TransportOptions {
	/** retries after the first attempt */
	maxRetries: number;
	/** longest wait for an operating-limit block to lift before failing */
	maxOperatingWaitSec: number;
	timeoutSec: number;
}

export const DEFAULT_TRANSPORT_OPTIONS: TransportOptions = {
	maxRetries: 5,
	maxOperatingWaitSec: 60,
	timeoutSec: 30,
};

function jitter(ms: number): number {
	return Math.round(ms * (0.9 + Math.random() * 0.2));
}

/**
 * The only code that speaks HTTP to Bitrix24. One client serves one node run: it knows the
 * credential, sends REST 3.0 (`/rest/api/…`) and classic (`/rest/…`) calls, throttles through the
 * per-portal bucket, retries what is safe, refreshes OAuth2 tokens once for all items, and turns
 * every failure into a translated, secret-free n8n error.
 */
export class Bitrix24Client {
	private refreshing: Promise<BitrixFailure | undefined> | undefined;
	/** set when a token refresh failed: the credential cannot work any more in this run */
	private refreshFailure: BitrixFailure | undefined;
	private readonly secrets: string[] = [];
	private readonly bucket: TokenBucket | undefined;
	private readonly runNonce = randomString(16);
	/** whether a call of each API was answered with success in this run */
	readonly answered = { v3: false, v2: false };
	/** the first REST 3.0 "method not found" of this run (a portal without REST 3.0 task results) */
	v3MethodMissing: BitrixFailure | undefined;
	/** set while API Version "Auto" tries REST 3.0: after a "method not found", later REST 3.0 calls are not sent */
	stopV3WhenMissing = false;

	private constructor(
		private readonly ctx: Context,
		readonly connection: Connection,
		private readonly options: TransportOptions,
	) {
		this.bucket = bucketFor(connection.portal, connection.limits);
	}

	static async connect(
		ctx: Context,
		authentication: AuthenticationType,
		options: TransportOptions = DEFAULT_TRANSPORT_OPTIONS,
	): Promise<Bitrix24Client> {
		const type = credentialTypeFor(authentication);
		const credentials = await ctx.getCredentials(type);
		let connection: Connection;
		try {
			connection =
				authentication === 'oAuth2'
					? oAuth2Connection(credentials)
					: webhookConnection(credentials);
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), (error as Error).message, {
				description: 'Open the credential and correct the address.',
			});
		}
		if (authentication === 'oAuth2' && !connection.accessToken) {
			throw new NodeOperationError(
				ctx.getNode(),
				'The Bitrix24 OAuth2 credential is not connected',
				{
					description: 'Open the credential and click "Connect my account".',
				},
			);
		}
		return new Bitrix24Client(ctx, connection, options);
	}

	redact = (text: string): string => this.connection.redact(text);

	/** Stable for one item of one node run, so every retry of its write is recognised by the portal. */
	idempotencyKey(itemIndex: number): string {
		return `n8n-${this.runNonce}-${itemIndex}`;
	}

	/** Sends one call, retrying what is safe; resolves with `result`, or throws a translated NodeApiError. */
	async call(call: ApiCall, itemIndex?: number): Promise<ApiResult> {
		const outcome = await this.tryCall(call, itemIndex);
		if (!outcome.ok) throw outcome.error;
		return outcome;
	}

	/** Retries after the first attempt, as the node options set them. */
	get maxRetries(): number {
		return this.options.maxRetries;
	}

	/** The translated, secret-free error of a failure, for one item. */
	errorFor(
		failure: BitrixFailure,
		itemIndex?: number,
		details: { mayHaveRun?: boolean; attempts?: string[]; method?: string } = {},
	): NodeApiError {
		return toNodeApiError(this.ctx.getNode(), failure, {
			itemIndex,
			redact: this.redact,
			mayHaveRun: details.mayHaveRun,
			attempts: details.attempts,
			portal: this.connection.displayUrl,
			method: details.method,
		});
	}

	/**
	 * Like `call`, but hands back the failure (and its translated error) instead of throwing it. Never
	 * throws: a failed token refresh is a failure too, and every later call of the run fails with it
	 * at once, without a request.
	 */
	async tryCall(call: ApiCall, itemIndex?: number): Promise<CallOutcome> {
		const body = JSON.stringify(call.body ?? {});
		const attempts: string[] = [];
		let refreshes = 0;
		let redirects = 0;
		let mayHaveRun = false;
		let url = this.requestUrl(call);
		if (call.api === 'v3' && this.stopV3WhenMissing && this.v3MethodMissing)
			return {
				ok: false,
				failure: this.v3MethodMissing,
				error: this.errorFor(this.v3MethodMissing, itemIndex),
				mayHaveRun: false,
				attempts: [],
			};
		if (this.refreshFailure)
			return {
				ok: false,
				failure: this.refreshFailure,
				error: this.errorFor(this.refreshFailure, itemIndex),
				mayHaveRun: false,
				attempts: [],
			};
		for (let attempt = 0; ; attempt++) {
			if (this.bucket) await this.bucket.acquire();
			const token = this.connection.accessToken;
			const outcome = await this.send(call, body, token, url);
			if (outcome.ok) {
				this.answered[call.api] = true;
				this.bucket?.onAccepted();
				recordOperating(this.connection.identity, call.method, outcome.time);
				return { ok: true, result: outcome.result, time: outcome.time, replayed: outcome.replayed };
			}
			const { failure } = outcome;
			if (call.api === 'v3' && isMethodNotFound(failure.code)) this.v3MethodMissing ??= failure;
			attempts.push(this.describe(failure));
			// a redirect within the portal (same scheme, host and port) is followed; any other never is,
			// so the webhook code or token cannot reach another host
			if (failure.redirectTo && redirects < 3 && this.isSamePortal(failure.redirectTo)) {
				url = failure.redirectTo;
				redirects++;
				attempt--;
				continue;
			}
			// one refresh per call; a second only to learn the fate of a write that may have run (its
			// Idempotency-Key then replays the stored answer)
			if (this.isTokenExpiry(failure) && refreshes < (mayHaveRun ? 2 : 1)) {
				refreshes++;
				let refreshFailure = await this.refreshToken(token);
				if (refreshFailure) {
					// the token server's own status, else the portal's answer that asked for the refresh
					refreshFailure = this.refreshFailure = {
						...refreshFailure,
						httpCode: refreshFailure.httpCode ?? failure.httpCode,
					};
					return {
						ok: false,
						failure: refreshFailure,
						error: this.errorFor(refreshFailure, itemIndex, { mayHaveRun, attempts }),
						mayHaveRun,
						attempts,
					};
				}
				attempt--;
				continue;
			}
			if (call.write && mayHaveReachedPortal(failure)) mayHaveRun = true;
			const wait = this.retryDelay(call, failure, attempt);
			if (wait === undefined || attempt >= this.options.maxRetries) {
				const error = this.errorFor(failure, itemIndex, {
					mayHaveRun,
					attempts,
					method: call.api === 'v3' ? call.method : undefined,
				});
				return { ok: false, failure, error, mayHaveRun, attempts };
			}
			this.ctx.logger?.debug(
				`Bitrix24: ${call.method} failed (${this.describe(failure)}), retrying in ${wait} ms`,
			);
			await sleep(wait);
		}
	}

	/** The URL a call goes to; for a webhook the credential fills in the user and code (see its `authenticate`). */
	private requestUrl(call: ApiCall): string {
		const path = call.api === 'v3' ? `api/${call.method}` : call.method;
		return this.connection.auth === 'oAuth2' ? `${this.connection.restBase}${path}` : path;
	}

	private absoluteUrl(url: string): string {
		return /^https?:\/\//i.test(url) || !this.connection.webhook
			? url
			: webhookRequestUrl(this.connection.webhook, url);
	}

	private isSamePortal(target: string): boolean {
		return new URL(target).origin === new URL(this.connection.portal).origin;
	}

	private async send(
		call: ApiCall,
		body: string,
		token: string | undefined,
		url: string,
	): Promise<Outcome> {
		const headers: IDataObject = { 'Content-Type': 'application/json', Accept: 'application/json' };
		if (call.idempotencyKey) headers['Idempotency-Key'] = call.idempotencyKey;
		const options: IHttpRequestOptions = {
			method: 'POST',
			url: this.connection.auth === 'oAuth2' ? withoutAuthParam(url) : url,
			body,
			headers,
			json: false,
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: this.options.timeoutSec * 1000,
		};
		// OAuth2: the token travels as `?auth=` (Bitrix24's documented parameter) so that the body, and
		// with it the Idempotency-Key hash, stays the same after a refresh. n8n adds a Bearer header too.
		if (this.connection.auth === 'oAuth2') options.qs = { auth: token };
		try {
			const response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
				this.ctx,
				this.connection.credentialType,
				options,
				this.connection.auth === 'oAuth2' ? { oauth2: { skipTokenRefresh: true } } : undefined,
			)) as HttpResponse;
			return interpretResponse(response, this.absoluteUrl(url));
		} catch (error) {
			return { ok: false, failure: networkFailure(error) };
		}
	}

	private isTokenExpiry(failure: BitrixFailure): boolean {
		if (this.connection.auth !== 'oAuth2') return false;
		// REST 3.0 reports every auth failure, expiry included, as 401 ACCESSDENIED (reference §4.4)
		return (
			specFor(failure).retry === 'tokenExpired' ||
			(failure.code === V3_ACCESS_DENIED && failure.httpCode === 401)
		);
	}

	/** ms to wait before the next attempt, or undefined when this failure must not be retried */
	private retryDelay(call: ApiCall, failure: BitrixFailure, attempt: number): number | undefined {
		switch (specFor(failure).retry) {
			case 'rateLimit': {
				this.bucket?.onRateLimited();
				const base = 1000 / (this.bucket?.currentRate ?? 2);
				return jitter(Math.min(20_000, base * 2 ** attempt));
			}
			case 'operatingLimit': {
				const wait = operatingWaitMs(this.connection.identity, call.method, failure);
				return wait <= this.options.maxOperatingWaitSec * 1000 ? wait : undefined;
			}
			case 'transient':
				if (call.write && !call.idempotencyKey) return undefined;
				return jitter(Math.min(10_000, 500 * 2 ** attempt));
			default:
				return undefined;
		}
	}

	private describe(failure: BitrixFailure): string {
		const status = failure.httpCode ? `HTTP ${failure.httpCode} ` : '';
		return `${status}${failure.code}${failure.errno ? ` (${failure.errno})` : ''}`;
	}

	/** One refresh for every item of the run; items that fail with the old token wait for it and retry. */
	private async refreshToken(usedToken: string | undefined): Promise<BitrixFailure | undefined> {
		if (this.refreshFailure) return this.refreshFailure;
		if (this.connection.accessToken !== usedToken) return undefined;
		this.refreshing ??= this.doRefresh().finally(() => {
			this.refreshing = undefined;
		});
		return await this.refreshing;
	}

	private async doRefresh(): Promise<BitrixFailure | undefined> {
		let data: IDataObject;
		try {
			data = (await this.ctx.helpers.refreshOAuth2Token.call(
				this.ctx,
				this.connection.credentialType,
			)) as IDataObject;
		} catch (error) {
			return (this.refreshFailure = refreshFailure(error));
		}
		const accessToken = typeof data?.access_token === 'string' ? data.access_token : undefined;
		if (!accessToken) {
			return (this.refreshFailure = {
				code: 'ERROR_OAUTH',
				detail: 'the token server returned no access token',
			});
		}
		this.secrets.push(accessToken, String(data.refresh_token ?? ''));
		const previous = this.connection.redact;
		const fresh = makeRedactor(this.secrets);
		this.connection.redact = (text) => fresh(previous(text));
		this.connection.accessToken = accessToken;
		return undefined;
	}
}

const NEVER_CONNECTED = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);

/** A write that got no answer, or a server fault, may have been carried out; a refused connection was not. */
function mayHaveReachedPortal(failure: BitrixFailure): boolean {
	if (specFor(failure).retry !== 'transient') return false;
	return !(
		failure.errno &&
		(NEVER_CONNECTED.has(failure.errno) || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(failure.errno))
	);
}

/** A redirect target may repeat `?auth=`; the current token is added separately. */
function withoutAuthParam(url: string): string {
	const parsed = new URL(url);
	parsed.searchParams.delete('auth');
	parsed.searchParams.delete('access_token');
	return parsed.href;
}

function refreshFailure(error: unknown): BitrixFailure {
	const body = (error as { body?: IDataObject })?.body;
	if (body && typeof body.error === 'string') {
		return {
			code: body.error,
			httpCode: Number((error as { status?: number }).status) || undefined,
			detail: typeof body.error_description === 'string' ? body.error_description : undefined,
		};
	}
	const message = error instanceof Error ? error.message : String(error);
	if (/reconnect/i.test(message) || /invalid_grant/.test(message)) return { code: 'invalid_grant' };
	const network = networkFailure(error);
	return network.errno
		? network
		: { code: 'ERROR_OAUTH', detail: 'refreshing the access token failed' };
}
