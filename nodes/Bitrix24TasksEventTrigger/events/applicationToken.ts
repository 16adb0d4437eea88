import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { AuthenticationType } from '../../Bitrix24Tasks/transport';

/**
 * The token Bitrix24 sends with every event as auth[application_token], read from the selected
 * credential (credentials are encrypted by n8n; node parameters are plain text in the workflow JSON).
 * '' when the credential has none.
 */
export async function configuredApplicationToken(
	ctx: IHookFunctions | IWebhookFunctions,
): Promise<string> {
	const authentication = ctx.getNodeParameter('authentication', 'webhook') as AuthenticationType;
	const credentials = await ctx.getCredentials(
		authentication === 'oAuth2' ? 'bitrix24OAuth2Api' : 'bitrix24WebhookApi',
	);
	const token = credentials.applicationToken;
	return typeof token === 'string' ? token.trim() : '';
}

/** Activation fails while the credential has no token: such a trigger would refuse every call. */
export async function requireApplicationToken(ctx: IHookFunctions): Promise<void> {
	if ((await configuredApplicationToken(ctx)) !== '') return;
	throw new NodeOperationError(ctx.getNode(), 'Set the Application Token in the credential', {
		description:
			'Bitrix24 signs every event call with an application token; without it the trigger would refuse every call. Outgoing webhook: copy the token Bitrix24 shows in its settings. OAuth2 app: the token delivered to its install handler.',
	});
}
