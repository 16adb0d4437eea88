import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { makeRedactor } from '../helpers/redact';
import { PLAN_LIMITS, type BucketConfig } from './limiter';
import { maskWebhookUrl, parseWebhookUrl, type ParsedWebhook } from './webhookUrl';

export type AuthenticationType = 'webhook' | 'oAuth2';

/** The node's `authentication` parameter value → the credential type it uses. */
export function credentialTypeFor(auth: AuthenticationType): string {
	return auth === 'oAuth2' ? 'bitrix24OAuth2Api' : 'bitrix24WebhookApi';
}

/** What the transport knows about one credential; secrets stay inside `redact` and the token. */
export interface Connection {
	auth: AuthenticationType;
	credentialType: string;
	/** origin + path prefix of the portal: the rate-limit key, never secret */
	portal: string;
	/** how the portal is shown to users */
	displayUrl: string;
	/** identity of the webhook or app on the portal (for the operating-limit key), never secret */
	identity: string;
	limits: BucketConfig | undefined;
	webhook?: ParsedWebhook;
	/** OAuth2 only: REST base `https://portal/rest/` */
	restBase?: string;
	accessToken?: string;
	redact: (text: string) => string;
}

export function planLimits(credentials: ICredentialDataDecryptedObject): BucketConfig | undefined {
	const plan = (credentials.portalPlan as string) || 'standard';
	if (plan === 'custom') {
		const drainPerSec = Number(credentials.customDrainRate);
		const burst = Number(credentials.customBurst);
		if (drainPerSec > 0 && burst >= 1) return { drainPerSec, burst: Math.floor(burst) };
		return PLAN_LIMITS.standard;
	}
	return plan in PLAN_LIMITS ? PLAN_LIMITS[plan] : PLAN_LIMITS.standard;
}

export function portalFromUrl(input: unknown): { origin: string; prefix: string } {
	const text = typeof input === 'string' ? input.trim() : '';
	const withScheme = /^https?:\/\//i.test(text) ? text : `https://${text}`;
	const url = new URL(withScheme);
	if (url.username || url.password)
		throw new Error('the portal URL must not contain a user name or password');
	const prefix = url.pathname.replace(/\/rest(\/.*)?$/, '').replace(/\/+$/, '');
	return { origin: url.origin, prefix };
}

export function webhookConnection(credentials: ICredentialDataDecryptedObject): Connection {
	const webhook = parseWebhookUrl(credentials.webhookUrl);
	return {
		auth: 'webhook',
		credentialType: credentialTypeFor('webhook'),
		portal: `${webhook.origin}${webhook.prefix}`,
		displayUrl: maskWebhookUrl(webhook),
		identity: `webhook:${webhook.userId}:${webhook.code.slice(0, 3)}`,
		limits: planLimits(credentials),
		webhook,
		redact: makeRedactor([webhook.code]),
	};
}

export function oAuth2Connection(credentials: ICredentialDataDecryptedObject): Connection {
	const tokenData = (credentials.oauthTokenData ?? {}) as IDataObject;
	const { origin, prefix } = portalFromUrl(credentials.portalUrl);
	const accessToken =
		typeof tokenData.access_token === 'string' ? tokenData.access_token : undefined;
	return {
		auth: 'oAuth2',
		credentialType: credentialTypeFor('oAuth2'),
		portal: `${origin}${prefix}`,
		displayUrl: `${origin}${prefix}/`,
		identity: `app:${String(credentials.clientId ?? '')}:${String(tokenData.user_id ?? tokenData.member_id ?? '')}`,
		limits: planLimits(credentials),
		restBase: `${origin}${prefix}/rest/`,
		accessToken,
		redact: makeRedactor([
			accessToken,
			tokenData.refresh_token as string | undefined,
			credentials.clientSecret as string | undefined,
		]),
	};
}
