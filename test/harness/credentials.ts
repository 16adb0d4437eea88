import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_OAUTH_APP, type IssuedTokens, type Sandbox } from '../sandbox';

/** Credential data for a sandbox portal, as n8n would store it. Client-side throttling off unless asked. */
export function webhookCredentialData(sandbox: Sandbox, extra: IDataObject = {}): IDataObject {
	return { webhookUrl: sandbox.webhookUrl(), portalPlan: 'none', ...extra };
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
