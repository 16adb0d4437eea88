import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

/** The Authentication parameter every Bitrix24 node starts with (workflow JSON depends on its values). */
export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{ name: 'Inbound Webhook', value: 'webhook' },
		{ name: 'OAuth2 (Bitrix24 App)', value: 'oAuth2' },
	],
	default: 'webhook',
};

/** One credential per Authentication value. */
export const credentialSlots: INodeCredentialDescription[] = [
	{
		name: 'bitrix24WebhookApi',
		required: true,
		displayOptions: { show: { authentication: ['webhook'] } },
	},
	{
		name: 'bitrix24OAuth2Api',
		required: true,
		displayOptions: { show: { authentication: ['oAuth2'] } },
	},
];
