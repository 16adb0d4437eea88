/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
// HTTP layer: routing, recording, faults, rate limits, auth, scopes, idempotency, envelope.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import { CLASSIC_METHODS, runClassicBatch, type ClassicExec } from './classic';
import { ApiError, v2, v3 } from './errors';
import { EventHub } from './events';
import type { FaultQueue } from './faults';
import { TOKEN_METHOD } from './faults';
import { isValidIdempotencyKey, type IdempotencyStore } from './idempotency';
import { timeBlock, type LeakyBucket, type OperatingLimiter } from './limits';
import { OAUTH_SCOPE, type OAuthServer } from './oauth';
import { flatQuery, isObj, parseBracketQuery, type Obj } from './params';
import { V3_METHODS, runV3Batch, type MethodContext } from './results.v3';
import type { Store } from './state';
import { taskMethodsFor } from './tasks.v3';
import type { Fault, RecordedRequest, SandboxCounters, TasksV3Mode } from './types';

export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface ServerConfig {
	webhooks: Array<{ userId: number; code: string; scopes: string[] }>;
	latencyMs: number;
	v3Enabled: boolean;
	/** false: the REST 3.0 result methods do not exist (tasks module < 26.0.0), see SandboxOptions */
	v3Results?: boolean;
	maxPageSize?: number;
	tasksV3: TasksV3Mode;
	timeZoneOffset?: string;
}

interface Outcome {
	status: number;
	body?: unknown;
	/** pre-serialized body (idempotent replays, raw faults) */
	text?: string;
	contentType?: string;
	headers?: Record<string, string>;
}

interface Identity {
	kind: 'webhook' | 'oauth';
	userId: number;
	/** webhook or application: the key of operating limits and idempotency */
	credId: string;
	scopes: string[];
}

export interface Route {
	apiVersion: RecordedRequest['apiVersion'];
	/** lower-case method name without `.json` */
	method?: string;
	rawMethod?: string;
	webhook?: { userId: number; code: string };
	jsonSuffix: boolean;
}

export function parseRoute(pathname: string): Route {
	const segs = pathname
		.split('/')
		.filter((s) => s !== '')
		.map((s) => {
			try {
				return decodeURIComponent(s);
			} catch {
				return s;
			}
		});
	if (segs[0] === 'oauth' && segs[1] === 'token' && segs.length === 2) {
		return { apiVersion: 'oauth', method: TOKEN_METHOD, jsonSuffix: false };
	}
	if (segs[0] !== 'rest' || segs.length < 2) return { apiVersion: 'other', jsonSuffix: false };
	let rest = segs.slice(1);
	const isV3 = rest[0] === 'api' && rest.length >= 2;
	if (isV3) rest = rest.slice(1);
	const route: Route = { apiVersion: isV3 ? 'v3' : 'v2', jsonSuffix: false };
	let m: string | undefined;
	if (rest.length === 3 && /^\d+$/.test(rest[0])) {
		route.webhook = { userId: Number(rest[0]), code: rest[1] };
		m = rest[2];
	} else if (rest.length === 1) {
		m = rest[0];
	}
	if (m !== undefined) {
		route.rawMethod = m;
		// `.xml` is not supported by the sandbox (treated as part of the name → method not found)
		if (/\.json$/i.test(m)) {
			route.jsonSuffix = true;
			m = m.slice(0, -5);
		}
		route.method = m.toLowerCase();
	}
	return route;
}

function parseBody(raw: string, ct: string): { value: unknown; json: boolean; ok: boolean } {
	if (raw.trim() === '') return { value: undefined, json: false, ok: true };
	if (ct.includes('application/x-www-form-urlencoded')) {
		return { value: parseBracketQuery(raw), json: false, ok: true };
	}
	try {
		return { value: JSON.parse(raw), json: true, ok: true };
	} catch {
		if (ct.includes('json')) return { value: raw, json: false, ok: false };
		// no/unknown content type: try the form encoding
		return {
			value: ct.includes('multipart') ? raw : parseBracketQuery(raw),
			json: false,
			ok: false,
		};
	}
}

function readBody(req: IncomingMessage): Promise<{ raw: string; tooLarge: boolean }> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (c: Buffer) => {
			size += c.length;
			if (size > MAX_BODY_BYTES) tooLarge = true;
			else chunks.push(c);
		});
		req.on('end', () => resolve({ raw: Buffer.concat(chunks).toString('utf8'), tooLarge }));
		req.on('error', reject);
	});
}

const HTML_PAGE =
	'<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body><h1>Portal is under maintenance</h1><p>Please try again later.</p></body></html>';

function replacement(fault: Fault): Outcome | undefined {
	switch (fault.kind) {
		case 'status':
			return {
				status: fault.status,
				text: typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body),
				contentType: fault.contentType,
			};
		case 'html':
			return {
				status: fault.status ?? 503,
				text: HTML_PAGE,
				contentType: 'text/html; charset=utf-8',
			};
		case 'redirect':
			return { status: fault.status ?? 302, text: '', headers: { Location: fault.location } };
		case 'rawBody':
			return { status: fault.status ?? 200, text: fault.body, contentType: fault.contentType };
		default:
			return undefined;
	}
}

/** Thrown inside a batch by an `inBatch` reset fault: the connection is dropped without an answer. */
class ConnectionDropped extends Error {}

/** ApiError → its response; anything else (a sandbox bug) → 500 INTERNAL_SERVER_ERROR */
function toOutcome(e: unknown): Outcome {
	if (e instanceof ApiError) return { status: e.status, body: e.body };
	return { status: 500, body: { error: 'INTERNAL_SERVER_ERROR', error_description: String(e) } };
}

export class SandboxServer {
	readonly server: http.Server;
	readonly requests: RecordedRequest[] = [];
	readonly counters: SandboxCounters = {
		rateLimited: 0,
		operatingLimited: 0,
		faultsInjected: {},
		tokenRefreshes: 0,
		idempotentReplays: 0,
		executedCommands: 0,
	};
	private readonly sockets = new Set<Socket>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private stopped = false;
	/** event.bind / unbind / get and event delivery (events.ts); set by startSandbox */
	events: EventHub | undefined;
	/** see Sandbox.onRequest */
	requestHook: ((request: RecordedRequest) => void) | undefined;

	constructor(
		private readonly store: Store,
		private readonly oauth: OAuthServer,
		private readonly bucket: LeakyBucket,
		private readonly operating: OperatingLimiter,
		private readonly faults: FaultQueue,
		private readonly idem: IdempotencyStore,
		private readonly cfg: ServerConfig,
	) {
		this.server = http.createServer((req, res) => {
			this.handle(req, res).catch(() => res.destroy());
		});
		this.server.on('connection', (s: Socket) => {
			this.sockets.add(s);
			s.on('close', () => this.sockets.delete(s));
		});
	}

	listen(port: number): Promise<number> {
		return new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, '127.0.0.1', () => {
				const addr = this.server.address();
				resolve(typeof addr === 'object' && addr ? addr.port : port);
			});
		});
	}

	stop(): Promise<void> {
		this.stopped = true;
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		return new Promise((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections();
			for (const s of this.sockets) s.destroy();
		});
	}

	setTasksV3(mode: TasksV3Mode): void {
		this.cfg.tasksV3 = mode;
	}

	resetCounters(): void {
		this.requests.length = 0;
		const c = this.counters;
		c.rateLimited =
			c.operatingLimited =
			c.tokenRefreshes =
			c.idempotentReplays =
			c.executedCommands =
				0;
		for (const k of Object.keys(c.faultsInjected)) delete c.faultsInjected[k];
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const startMs = Date.now();
		const { raw, tooLarge } = await readBody(req);
		if (this.stopped) return;
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const route = parseRoute(url.pathname);
		const ct = String(req.headers['content-type'] ?? '').toLowerCase();
		const parsed = parseBody(raw, ct);
		const rec: RecordedRequest = {
			method: req.method ?? 'GET',
			path: url.pathname,
			apiVersion: route.apiVersion,
			restMethod: route.method,
			auth: route.webhook ? { kind: 'webhook', userId: route.webhook.userId } : { kind: 'none' },
			query: flatQuery(url.search),
			headers: { ...req.headers },
			body: parsed.value,
			rawBody: raw,
			status: 0,
			at: startMs,
		};
		this.requests.push(rec);
		if (tooLarge) {
			// status/body for oversized requests are not documented (assumed)
			return this.send(
				res,
				rec,
				{
					status: 413,
					body: { error: 'REQUEST_TOO_LARGE', error_description: 'Request body exceeds 10 MB' },
				},
				0,
			);
		}

		this.requestHook?.(rec);
		const fault = this.faults.take(route.method);
		if (fault) {
			rec.faulted = fault.kind;
			this.counters.faultsInjected[fault.kind] =
				(this.counters.faultsInjected[fault.kind] ?? 0) + 1;
			if (fault.kind === 'reset') {
				req.socket.destroy();
				return;
			}
			const rep = replacement(fault);
			if (rep) return this.send(res, rec, rep, 0);
		}

		let out: Outcome;
		try {
			out = this.process(route, req, url, raw, ct, parsed, rec, startMs);
		} catch (e) {
			if (e instanceof ConnectionDropped) {
				req.socket.destroy();
				return;
			}
			out = toOutcome(e);
		}

		if (fault?.kind === 'resetAfterCommit') {
			req.socket.destroy();
			return;
		}
		if (fault?.kind === 'truncatedJson') {
			// the method ran (state committed); only the reply is cut in half
			const text = out.text ?? JSON.stringify(out.body);
			out = { ...out, text: text.slice(0, Math.max(1, Math.floor(text.length / 2))) };
		}
		this.send(res, rec, out, fault?.kind === 'delay' ? fault.ms : 0);
	}

	private send(
		res: ServerResponse,
		rec: RecordedRequest,
		out: Outcome,
		extraDelayMs: number,
	): void {
		rec.status = out.status;
		const text = out.text ?? (out.body === undefined ? '' : JSON.stringify(out.body));
		const headers: Record<string, string | number> = {
			'Content-Type': out.contentType ?? 'application/json; charset=utf-8',
			'Content-Length': Buffer.byteLength(text),
			...out.headers,
		};
		const write = () => {
			if (this.stopped || res.destroyed || res.writableEnded) return;
			res.writeHead(out.status, headers);
			res.end(text);
		};
		const wait = this.cfg.latencyMs + extraDelayMs;
		if (wait <= 0) return write();
		const t = setTimeout(() => {
			this.timers.delete(t);
			write();
		}, wait);
		this.timers.add(t);
	}

	private process(
		route: Route,
		req: IncomingMessage,
		url: URL,
		raw: string,
		ct: string,
		parsed: ReturnType<typeof parseBody>,
		rec: RecordedRequest,
		startMs: number,
	): Outcome {
		if (route.apiVersion === 'oauth') {
			// token requests are not counted by the leaky bucket
			const p = {
				...parseBracketQuery(url.search.slice(1)),
				...(isObj(parsed.value) ? parsed.value : {}),
			};
			return this.oauth.handleToken(p);
		}
		if (route.apiVersion === 'other') throw v2.methodNotFound();
		if (!this.bucket.take()) {
			this.counters.rateLimited++;
			throw v2.queryLimit();
		}
		return route.apiVersion === 'v3'
			? this.processV3(route, req, url, raw, ct, parsed, rec, startMs)
			: this.processV2(route, req, url, parsed, rec, startMs);
	}

	// ---------- auth ----------

	private authenticate(
		route: Route,
		req: IncomingMessage,
		api: 'v2' | 'v3',
		queryParams: Obj,
		bodyParams: Obj,
		rec: RecordedRequest,
	): Identity {
		const denied = () => (api === 'v2' ? v2.noAuth() : v3.accessDenied(401));
		if (route.webhook) {
			const { userId, code } = route.webhook;
			const wh = this.cfg.webhooks.find((w) => w.userId === userId && w.code === code);
			if (!wh) throw denied();
			return { kind: 'webhook', userId, credId: `webhook:${userId}:${code}`, scopes: wh.scopes };
		}
		const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
		let token: string | undefined;
		let via: 'query' | 'body' | 'bearer' | undefined;
		// like the source: the Bearer header first, then auth / access_token (query, then body)
		const bearer = /^Bearer\s+(\S+)/i.exec(String(req.headers.authorization ?? ''));
		if (bearer) [token, via] = [bearer[1], 'bearer'];
		else if (str(queryParams.auth) ?? str(queryParams.access_token)) {
			[token, via] = [str(queryParams.auth) ?? str(queryParams.access_token), 'query'];
		} else if (str(bodyParams.auth) ?? str(bodyParams.access_token)) {
			[token, via] = [str(bodyParams.auth) ?? str(bodyParams.access_token), 'body'];
		}
		rec.auth = token ? { kind: 'oauth', tokenVia: via } : { kind: 'none' };
		if (!token) throw denied();
		const c = this.oauth.check(token);
		if (!c.ok) {
			// v3 never says expired_token: every auth failure is 401 ACCESSDENIED (§4.4)
			if (api === 'v3') throw v3.accessDenied(401);
			throw c.reason === 'expired' ? v2.expiredToken() : v2.invalidToken();
		}
		rec.auth.userId = c.userId;
		return {
			kind: 'oauth',
			userId: c.userId,
			credId: `app:${c.clientId}`,
			scopes: OAUTH_SCOPE.split(','),
		};
	}

	private ctx(ident: Identity): MethodContext {
		return {
			store: this.store,
			userId: ident.userId,
			maxPageSize: this.cfg.maxPageSize,
			timeZoneOffset: this.cfg.timeZoneOffset,
		};
	}

	/**
	 * a REST 3.0 method this portal has. The result methods came with tasks 26.0.0, like
	 * tasks.task.list (reference bitrix24-rest.md §11), so only the 'all' mode has them, and
	 * `v3Results: false` removes them alone (a classic-only results portal).
	 */
	private v3Method(method: string) {
		const withResults = this.cfg.tasksV3 === 'all' && this.cfg.v3Results !== false;
		const results = withResults ? V3_METHODS[method] : undefined;
		return results ?? taskMethodsFor(this.cfg.tasksV3)[method];
	}

	// ---------- classic (v2) ----------

	private processV2(
		route: Route,
		req: IncomingMessage,
		url: URL,
		parsed: ReturnType<typeof parseBody>,
		rec: RecordedRequest,
		startMs: number,
	): Outcome {
		const queryParams = parseBracketQuery(url.search.slice(1));
		// an unparsable JSON body is ignored on v2 (assumed)
		const bodyParams = parsed.ok && isObj(parsed.value) ? parsed.value : {};
		const ident = this.authenticate(route, req, 'v2', queryParams, bodyParams, rec);
		const params: Obj = { ...queryParams, ...bodyParams };
		delete params.auth;
		delete params.access_token;
		const method = route.method ?? '';
		if (method === 'batch') {
			const result = runClassicBatch(params, this.classicExec(ident));
			return {
				status: 200,
				body: {
					result,
					time: timeBlock(startMs, this.operating.info(undefined), this.cfg.timeZoneOffset),
				},
			};
		}
		if (this.events && EventHub.METHODS.has(method)) {
			const app = ident.credId.startsWith('app:') ? ident.credId.slice(4) : undefined;
			const result = this.events.handle({ ...ident, clientId: app }, method, params);
			return {
				status: 200,
				body: { result, time: timeBlock(startMs, this.operating.info(undefined)) },
			};
		}
		if (!CLASSIC_METHODS[method]) throw v2.methodNotFound();
		const r = this.classicExec(ident)(method, params);
		if (!r.ok) return { status: r.status, body: r.error };
		const body: Obj = { result: r.out.result };
		if (r.out.next !== undefined) body.next = r.out.next;
		if (r.out.total !== undefined) body.total = r.out.total;
		body.time = r.time;
		return { status: 200, body };
	}

	/** one classic call (also a classic batch command): scope → operating limit → run */
	private classicExec(ident: Identity): ClassicExec {
		return (method, params) => {
			const startMs = Date.now();
			const failWith = (e: ApiError) => ({ ok: false as const, status: e.status, error: e.body });
			const def = CLASSIC_METHODS[method];
			if (!def) return failWith(v2.methodNotFound());
			const scopes = def.scope === null ? [] : ([] as string[]).concat(def.scope);
			if (
				scopes.length &&
				ident.kind === 'webhook' &&
				!scopes.some((s) => ident.scopes.includes(s))
			) {
				return failWith(v2.insufficientScope());
			}
			const opKey = `${ident.credId}|${method}`;
			if (this.operating.isBlocked(opKey)) {
				this.counters.operatingLimited++;
				return failWith(v2.operationTimeLimit());
			}
			this.counters.executedCommands++;
			try {
				const out = def.run(this.ctx(ident), params);
				this.operating.record(opKey);
				return {
					ok: true as const,
					out,
					time: timeBlock(startMs, this.operating.info(opKey), this.cfg.timeZoneOffset),
				};
			} catch (e) {
				this.operating.record(opKey);
				const o = toOutcome(e);
				return { ok: false as const, status: o.status, error: o.body };
			}
		};
	}

	// ---------- REST v3 ----------

	private processV3(
		route: Route,
		req: IncomingMessage,
		url: URL,
		raw: string,
		ct: string,
		parsed: ReturnType<typeof parseBody>,
		rec: RecordedRequest,
		startMs: number,
	): Outcome {
		if (!this.cfg.v3Enabled) throw v2.methodNotFound();
		const method = route.method ?? '';
		if (route.jsonSuffix || !method) throw v3.methodNotFound(route.rawMethod ?? '');
		const jsonError =
			raw.trim() !== '' &&
			(!parsed.json || ct.includes('x-www-form-urlencoded') || ct.includes('multipart'));
		let body = jsonError ? undefined : parsed.value;
		const queryParams = parseBracketQuery(url.search.slice(1));
		const ident = this.authenticate(route, req, 'v3', queryParams, isObj(body) ? body : {}, rec);
		const isBatch = method === 'batch';
		const def = this.v3Method(method);
		if (!isBatch && !def) throw v3.methodNotFound(method);
		if (req.method === 'GET') {
			// v3 never reads method parameters from the query string: the method runs without them and
			// reports what is missing (docs: `GET …/tasks.task.get?id=51` → missing `id`)
			body = undefined;
		} else if (req.method !== 'POST') {
			throw v3.wrongVerb();
		}
		if (jsonError) throw v3.invalidJson();
		if (isBatch || !def) return this.v3Batch(ident, body, startMs);
		if (body !== undefined && !isObj(body))
			throw v3.requestValidation([{ message: 'A JSON object is expected' }]);
		const params: Obj = { ...(body as Obj | undefined) };
		delete params.auth;
		delete params.access_token;
		// webhook scope check; the sandbox answers INSUFFICIENTSCOPE 403 (§6.3), not ACCESSDENIED 403 (§4.4)
		if (ident.kind === 'webhook' && !ident.scopes.includes('tasks')) throw v3.insufficientScope();

		let idemHeaders: Record<string, string> | undefined;
		let idemKey: string | undefined;
		const header = req.headers['idempotency-key'];
		if (def.write && header !== undefined) {
			const key = Array.isArray(header) ? header[0] : header;
			if (!isValidIdempotencyKey(key)) throw v3.invalidIdempotencyKey();
			idemHeaders = { 'Idempotency-Key': key };
			idemKey = `${ident.credId}|${ident.userId}|${method}|${key}`;
			const hit = this.idem.lookup(idemKey, raw); // sha256 over the raw body only (a ?auth= token is not part of it)
			if (hit.kind === 'replay') {
				this.counters.idempotentReplays++;
				return {
					status: hit.stored.status,
					text: hit.stored.text,
					headers: { ...idemHeaders, 'Idempotent-Replayed': 'true' },
				};
			}
			if (hit.kind === 'reused') {
				return { status: 422, body: v3.idempotencyKeyReused().body, headers: idemHeaders };
			}
		}

		const opKey = `${ident.credId}|${method}`;
		let out: Outcome;
		if (this.operating.isBlocked(opKey)) {
			this.counters.operatingLimited++;
			const e = v3.rateLimit();
			out = { status: e.status, body: e.body };
		} else {
			this.counters.executedCommands++;
			try {
				const payload = def.run(this.ctx(ident), params);
				this.operating.record(opKey);
				out = {
					status: 200,
					body: {
						result: payload,
						time: timeBlock(startMs, this.operating.info(opKey), this.cfg.timeZoneOffset),
					},
				};
			} catch (e) {
				this.operating.record(opKey);
				out = toOutcome(e);
			}
		}
		if (idemKey && idemHeaders) {
			const text = JSON.stringify(out.body);
			this.idem.store(idemKey, raw, out.status, text);
			out = { ...out, text, headers: idemHeaders };
		}
		return out;
	}

	/** one HTTP request for the leaky bucket; each command counts against its own operating budget; no idempotency */
	private v3Batch(ident: Identity, body: unknown, startMs: number): Outcome {
		const results = runV3Batch(
			body,
			(method, query) => this.v3BatchCommand(ident, method, query),
			(method) => this.v3Method(method.toLowerCase()) !== undefined,
		);
		return {
			status: 200,
			body: {
				result: results,
				time: timeBlock(startMs, this.operating.info(undefined), this.cfg.timeZoneOffset),
			},
		};
	}

	/** one command of a v3 batch; its failure ends the batch (the caller returns that error alone) */
	private v3BatchCommand(ident: Identity, method: string, query: Obj): unknown {
		const m = method.toLowerCase();
		const def = this.v3Method(m);
		if (!def) throw v3.methodNotFound(method);
		const fault = this.faults.take(m, true);
		if (fault) {
			this.counters.faultsInjected[fault.kind] =
				(this.counters.faultsInjected[fault.kind] ?? 0) + 1;
			if (fault.kind === 'reset') throw new ConnectionDropped();
			if (fault.kind === 'status') throw new ApiError(fault.status, fault.body);
		}
		if (ident.kind === 'webhook' && !ident.scopes.includes('tasks')) throw v3.insufficientScope();
		const opKey = `${ident.credId}|${m}`;
		if (this.operating.isBlocked(opKey)) {
			this.counters.operatingLimited++;
			throw v3.rateLimit();
		}
		this.counters.executedCommands++;
		try {
			return def.run(this.ctx(ident), query);
		} finally {
			this.operating.record(opKey);
		}
	}
}
