import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { parseWebhookUrl, webhookRequestUrl } from '../nodes/Bitrix24Tasks/transport/webhookUrl';
import { portalPlanProperties } from './portalPlan';

export class Bitrix24WebhookApi implements ICredentialType {
	name = 'bitrix24WebhookApi';

	displayName = 'Bitrix24 Webhook API';

	icon: Icon = { light: 'file:../icons/bitrix24.svg', dark: 'file:../icons/bitrix24.dark.svg' };

	documentationUrl = 'https://apidocs.bitrix24.com/local-integrations/local-webhooks.html';

	properties: INodeProperties[] = [
		// the URL carries the webhook's secret code: keep it hidden like a password
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'https://your-portal.bitrix24.com/rest/1/xxxxxxxxxxxxxxxx/',
			description:
				'The URL Bitrix24 shows for the inbound webhook (Developer resources → Other → Inbound webhook), with the "Tasks" permission ticked. Both /rest/1/… and /rest/api/1/… forms work, on any host and port (self-hosted portals too). Keep it secret: it works like a password. Use https://; plain http:// works for a self-hosted portal but sends the webhook code unencrypted.',
		},
		{
			displayName: 'Application Token (Event Trigger)',
			name: 'applicationToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for the Bitrix24 Tasks Event Trigger: the application token Bitrix24 shows in the settings of the outgoing webhook that calls the trigger. Every event call must carry it; calls without it get 401.',
		},
		...portalPlanProperties,
	];

	/** The webhook code lives in the URL path, so the request's method path becomes the full URL here. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const webhook = parseWebhookUrl(credentials.webhookUrl);
		// an absolute URL is a redirect target the node already checked is on the same portal
		if (/^https?:\/\//i.test(requestOptions.url)) return requestOptions;
		return { ...requestOptions, url: webhookRequestUrl(webhook, requestOptions.url) };
	}

	test: ICredentialTestRequest = {
		request: { method: 'POST', url: 'profile' },
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error',
					value: 'NO_AUTH_FOUND',
					message: 'Bitrix24 did not accept the webhook: copy its URL again from Bitrix24',
				},
			},
		],
	};
}
