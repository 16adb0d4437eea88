/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-hardcoded-secrets */
// Events (triggers.md §3): event.bind / event.unbind / event.get for OAuth applications, and delivery of
// task events to handlers as Bitrix24's queue server posts them (form-encoded, flat bracket keys).
import http from 'node:http';
import https from 'node:https';

import { v2Error } from './errors';
import type { Obj } from './params';

/** Task events the portal knows (restservice.php; `events` method, §3.2); others → ERROR_EVENT_NOT_FOUND. */
export const KNOWN_EVENTS = [
	'ONTASKADD',
	'ONTASKUPDATE',
	'ONTASKDELETE',
	'ONTASKCOMMENTADD',
	'ONTASKCOMMENTUPDATE',
	'ONTASKCOMMENTDELETE',
	'ONAPPTEST',
];

/** The sandbox app's application token (an n8n credential cannot derive it, §3.4). */
export const APP_APPLICATION_TOKEN = 'sbxapptoken51856fefc120afa4b628';
/** The token an outgoing webhook configured by hand in the portal shows (local-webhooks.md). */
export const OUTGOING_WEBHOOK_TOKEN = 'sbxoutgoingjvh9y1ulvt2m6k5or90v';

export interface EventBinding {
	id: number;
	event: string;
	handler: string;
	clientId: string;
	userId: number;
}

export interface EventCall {
	method: 'event.bind' | 'event.unbind' | 'event.get';
	event?: string;
	handler?: string;
	ok: boolean;
}

export interface Delivery {
	url: string;
	event: string;
	status: number;
}

export interface EventIdentity {
	kind: 'webhook' | 'oauth';
	userId: number;
	clientId?: string;
}

const str = (value: unknown) => (typeof value === 'string' ? value : '');

/** Parses and checks a handler URL like the portal (handlerhelper.php): http(s), a host with a dot, ≤ 255. */
function checkHandler(handler: string): void {
	let url: URL;
	try {
		url = new URL(handler);
	} catch {
		throw v2Error(400, 'ERROR_WRONG_HANDLER_URL', 'Wrong handler URL');
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:')
		throw v2Error(400, 'ERROR_UNSUPPORTED_PROTOCOL', 'Unsupported event handler protocol');
	if (!url.hostname.includes('.'))
		throw v2Error(400, 'ERROR_WRONG_HANDLER_URL', 'Wrong handler URL');
	if (handler.length > 255) throw v2Error(400, 'ERROR_WRONG_HANDLER_URL', 'Handler URL too long');
}

export class EventHub {
	readonly bindings: EventBinding[] = [];
	readonly calls: EventCall[] = [];
	readonly deliveries: Delivery[] = [];
	private nextId = 185;

	constructor(private readonly portalUrl: () => string) {}

	static readonly METHODS = new Set(['event.bind', 'event.unbind', 'event.get']);

	/** A classic event method; only an OAuth application may call them (WRONG_AUTH_TYPE otherwise, §3.1). */
	handle(ident: EventIdentity, method: string, params: Obj): unknown {
		const call: EventCall = {
			method: method as EventCall['method'],
			event: str(params.event).toUpperCase() || undefined,
			handler: str(params.handler) || undefined,
			ok: false,
		};
		this.calls.push(call);
		// status of WRONG_AUTH_TYPE is not documented (assumed 401)
		if (ident.kind !== 'oauth' || !ident.clientId)
			throw v2Error(401, 'WRONG_AUTH_TYPE', 'Current authorization type is denied for this method');
		const clientId = ident.clientId;
		const result = this.run(method, params, clientId, ident.userId);
		call.ok = true;
		return result;
	}

	private run(method: string, params: Obj, clientId: string, userId: number): unknown {
		const mine = (b: EventBinding) => b.clientId === clientId;
		if (method === 'event.get') {
			return this.bindings
				.filter(mine)
				.map((b) => ({ event: b.event, handler: b.handler, auth_type: '0', offline: 0 }));
		}
		const event = str(params.event).toUpperCase();
		const handler = str(params.handler);
		if (method === 'event.bind') {
			if (!KNOWN_EVENTS.includes(event))
				throw v2Error(400, 'ERROR_EVENT_NOT_FOUND', 'Event not found');
			checkHandler(handler);
			if (this.bindings.some((b) => mine(b) && b.event === event && b.handler === handler))
				throw v2Error(400, 'ERROR_CORE', 'Unable to set event handler: Handler already binded');
			this.bindings.push({ id: this.nextId++, event, handler, clientId, userId });
			return true;
		}
		if (!handler) throw v2Error(400, 'ERROR_ARGUMENT', 'Handler is required');
		const before = this.bindings.length;
		for (let i = this.bindings.length - 1; i >= 0; i--) {
			const b = this.bindings[i];
			if (mine(b) && b.event === event && b.handler === handler) this.bindings.splice(i, 1);
		}
		return { count: before - this.bindings.length };
	}

	/**
	 * Fires a task event: posts it to every handler bound to it (with the app's token), as the queue
	 * server does — once, no retry. Resolves with the HTTP status of each delivery.
	 */
	async fire(event: string, fields: { before?: Obj; after?: Obj }): Promise<Delivery[]> {
		const name = event.toUpperCase();
		const targets = this.bindings.filter((b) => b.event === name);
		return await Promise.all(
			targets.map(
				async (b) =>
					await this.post(b.handler, name, fields, {
						token: APP_APPLICATION_TOKEN,
						handlerId: b.id,
					}),
			),
		);
	}

	/** Posts one event to a URL, as an outgoing webhook (or a forger, with another token) would. */
	async post(
		url: string,
		event: string,
		fields: { before?: Obj; after?: Obj },
		options: { token?: string; handlerId?: number } = {},
	): Promise<Delivery> {
		const portal = new URL(this.portalUrl());
		const form = new URLSearchParams();
		form.append('event', event.toUpperCase());
		if (options.handlerId !== undefined) form.append('event_handler_id', String(options.handlerId));
		appendFields(form, 'data[FIELDS_BEFORE]', fields.before);
		appendFields(form, 'data[FIELDS_AFTER]', fields.after);
		form.append('data[IS_ACCESSIBLE_BEFORE]', fields.before ? 'Y' : 'N');
		form.append('data[IS_ACCESSIBLE_AFTER]', fields.after ? 'Y' : 'N');
		form.append('ts', String(Math.floor(Date.now() / 1000)));
		form.append('auth[domain]', portal.host);
		form.append('auth[client_endpoint]', `${portal.origin}/rest/`);
		form.append('auth[server_endpoint]', `${portal.origin}/oauth/rest/`);
		form.append('auth[member_id]', 'a223c6b3710f85df22e9377d6c4f7553');
		if (options.handlerId !== undefined) {
			// an application's call also carries an access token: it must never reach the output
			form.append('auth[access_token]', 'sbxeventaccesstoken0000000000');
			form.append('auth[expires_in]', '3600');
		}
		if (options.token !== undefined) form.append('auth[application_token]', options.token);
		const status = await send(url, form.toString());
		const delivery = { url, event: event.toUpperCase(), status };
		this.deliveries.push(delivery);
		return delivery;
	}

	reset(): void {
		this.calls.length = 0;
		this.deliveries.length = 0;
	}
}

function appendFields(form: URLSearchParams, prefix: string, fields: Obj | undefined): void {
	if (!fields) {
		form.append(prefix, 'undefined');
		return;
	}
	for (const [key, value] of Object.entries(fields))
		form.append(`${prefix}[${key}]`, String(value));
}

function send(url: string, body: string): Promise<number> {
	return new Promise((resolve) => {
		const target = new URL(url);
		const request = (target.protocol === 'https:' ? https : http).request(
			target,
			{
				method: 'POST',
				headers: {
					'Content-Type': 'application/x-www-form-urlencoded',
					'Content-Length': Buffer.byteLength(body),
				},
			},
			(response) => {
				response.resume();
				response.on('end', () => resolve(response.statusCode ?? 0));
			},
		);
		request.on('error', () => resolve(0));
		request.end(body);
	});
}
