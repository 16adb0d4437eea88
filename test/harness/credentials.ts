import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_OAUTH_APP, type IssuedTokens, type Sandbox } from '../sandbox';

// The one place tests build credentials for a sandbox portal. `runWorkflow({ credentials })` takes the
// `…Credentials` maps; the `…Data` functions give the bare credential data (for a shared
// TestCredentialsHelper, a worker process or a credential test).

/**
 * Webhook credential data for a sandbox portal, as n8n would store it. Client-side throttling off
 * (`portalPlan: 'none'`) unless `extra` says otherwise; `userId` picks the webhook of another user
 * configured on the sandbox (e.g. ADMIN_WEBHOOK, user 9).
 */
export function webhookCredentialData(
	sandbox: Sandbox,
	extra: IDataObject = {},
	userId?: number,
): IDataObject {
	return { webhookUrl: sandbox.webhookUrl(userId), portalPlan: 'none', ...extra };
}

export function oAuth2CredentialData(
	sandbox: Sandbox,
	tokens: IssuedTokens,
	extra: IDataObject = {},
): IDataObject {
	return {
		portalUrl: sandbox.url,
		clientId: DEFAULT_OAUTH_APP.clientId,
		clientSecret: DEFAULT_OAUTH_APP.clientSecret,
		accessTokenUrl: sandbox.tokenUrl,
		portalPlan: 'none',
		oauthTokenData: { ...tokens },
		...extra,
	};
}

/** `{ bitrix24WebhookApi: … }` for `runWorkflow`: see webhookCredentialData. */
export function webhookCredentials(
	sandbox: Sandbox,
	extra: IDataObject = {},
	userId?: number,
): Record<string, IDataObject> {
	return { bitrix24WebhookApi: webhookCredentialData(sandbox, extra, userId) };
}

/** `{ bitrix24OAuth2Api: … }` for `runWorkflow`, connected with `tokens` (default: fresh tokens of user 1). */
export function oAuth2Credentials(
	sandbox: Sandbox,
	tokens: IssuedTokens = sandbox.issueTokens(),
	extra: IDataObject = {},
): Record<string, IDataObject> {
	return { bitrix24OAuth2Api: oAuth2CredentialData(sandbox, tokens, extra) };
}

/**
 * The credential of a Bitrix24 Tasks Event Trigger: the application token Bitrix24 signs every event
 * with lives in the credential (`applicationToken`), never in a node parameter.
 */
export function eventTriggerCredentials(
	sandbox: Sandbox,
	auth: 'webhook' | 'oAuth2',
	applicationToken: string | undefined,
): Record<string, IDataObject> {
	const token = applicationToken === undefined ? {} : { applicationToken };
	return auth === 'oAuth2'
		? oAuth2Credentials(sandbox, sandbox.issueTokens(), token)
		: webhookCredentials(sandbox, token);
}
