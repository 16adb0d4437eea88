// OAuth 2.0 token server and token store (reference §4.2–4.4).
import { randomBytes } from 'node:crypto';

import type { Obj } from './params';
import type { IssuedTokens } from './types';

export const OAUTH_SCOPE = 'task,tasks,user';
export const MEMBER_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

interface AccessEntry {
	userId: number;
	clientId: string;
	expiresAt: number;
}
interface RefreshEntry {
	userId: number;
	clientId: string;
	valid: boolean;
}
interface CodeEntry {
	userId: number;
	clientId: string;
	expiresAt: number;
}

export type AccessCheck =
	| { ok: true; userId: number; clientId: string }
	| { ok: false; reason: 'unknown' | 'expired' };

const token = () => randomBytes(20).toString('hex');

export class OAuthServer {
	private readonly access = new Map<string, AccessEntry>();
	private readonly refresh = new Map<string, RefreshEntry>();
	private readonly codes = new Map<string, CodeEntry>();
	baseUrl = '';

	constructor(
		private readonly apps: Array<{ clientId: string; clientSecret: string }>,
		private readonly ttlSec: number,
		private readonly onRefresh: () => void,
	) {}

	defaultClientId(): string {
		return this.apps[0]?.clientId ?? 'local.sandbox.app';
	}

	issue(userId: number, clientId: string, expired = false): IssuedTokens {
		const access_token = token();
		const refresh_token = token();
		const now = Date.now();
		this.access.set(access_token, {
			userId,
			clientId,
			expiresAt: expired ? now - 1000 : now + this.ttlSec * 1000,
		});
		this.refresh.set(refresh_token, { userId, clientId, valid: true });
		return {
			access_token,
			refresh_token,
			expires_in: this.ttlSec,
			expires: Math.floor(now / 1000) + this.ttlSec,
			client_endpoint: `${this.baseUrl}/rest/`,
			server_endpoint: `${this.baseUrl}/oauth/rest/`,
			member_id: MEMBER_ID,
			domain: '127.0.0.1',
			scope: OAUTH_SCOPE,
			user_id: userId,
			status: 'L',
		};
	}

	issueCode(userId: number, clientId: string): string {
		const code = token();
		this.codes.set(code, { userId, clientId, expiresAt: Date.now() + 30_000 });
		return code;
	}

	check(accessToken: string): AccessCheck {
		const e = this.access.get(accessToken);
		if (!e) return { ok: false, reason: 'unknown' };
		if (e.expiresAt <= Date.now()) return { ok: false, reason: 'expired' };
		return { ok: true, userId: e.userId, clientId: e.clientId };
	}

	expireAll(): void {
		const past = Date.now() - 1000;
		for (const e of this.access.values()) e.expiresAt = past;
	}

	revokeAll(): void {
		for (const e of this.refresh.values()) e.valid = false;
	}

	/** POST|GET /oauth/token/ with params from query and/or form body */
	handleToken(p: Obj): { status: number; body: unknown } {
		const s = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
		const grant = s('grant_type');
		const app = this.apps.find((a) => a.clientId === s('client_id'));
		if (!grant) {
			return {
				status: 400,
				body: { error: 'invalid_request', error_description: 'grant_type is required' },
			};
		}
		if (!app || app.clientSecret !== s('client_secret')) {
			return {
				status: 401,
				body: { error: 'invalid_client', error_description: 'Invalid client credentials' },
			};
		}
		if (grant === 'refresh_token') {
			const rt = s('refresh_token') ?? '';
			const e = this.refresh.get(rt);
			if (!e || !e.valid || e.clientId !== app.clientId) {
				return {
					status: 400,
					body: { error: 'invalid_grant', error_description: 'Invalid refresh token' },
				};
			}
			e.valid = false; // rotation: the old refresh token is single-use
			this.onRefresh();
			return { status: 200, body: this.issue(e.userId, app.clientId) };
		}
		if (grant === 'authorization_code') {
			const code = s('code') ?? '';
			const c = this.codes.get(code);
			this.codes.delete(code);
			if (!c || c.expiresAt <= Date.now() || c.clientId !== app.clientId) {
				return {
					status: 400,
					body: { error: 'invalid_grant', error_description: 'Invalid authorization code' },
				};
			}
			return { status: 200, body: this.issue(c.userId, app.clientId) };
		}
		return {
			status: 400,
			body: { error: 'invalid_request', error_description: `Unsupported grant_type ${grant}` },
		};
	}
}
