import type { INodeProperties } from 'n8n-workflow';
import { authenticationProperty } from '../Bitrix24Tasks/authentication.description';

/** Bitrix24 task events (upper case, as the portal names them in `event.bind` and in each call). */
export const TASK_EVENTS = [
	'ONTASKADD',
	'ONTASKUPDATE',
	'ONTASKDELETE',
	'ONTASKCOMMENTADD',
] as const;

export const eventProperties: INodeProperties[] = [
	authenticationProperty,
	{
		displayName:
			"An inbound webhook cannot subscribe to events, so Bitrix24 needs an outgoing webhook: 1. Copy the Production URL from Webhook URLs above. 2. In Bitrix24 open Applications → Developer resources → Other → Outgoing webhook. 3. Paste the URL as the handler address, tick the task events chosen below and save. 4. Copy the application token Bitrix24 shows there and paste the token into the credential's Application Token field. 5. Activate this workflow.",
		name: 'outgoingWebhookNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { authentication: ['webhook'] } },
	},
	{
		displayName:
			"With OAuth2 the trigger binds the chosen events to its Production URL when the workflow is activated and unbinds them when it is deactivated. n8n must be reachable from the internet under that URL. Bitrix24 signs every event with the application's token (delivered to its install handler): paste the token into the credential's Application Token field.",
		name: 'oAuthNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { authentication: ['oAuth2'] } },
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		options: [
			{ name: 'Task Added', value: 'ONTASKADD', description: 'OnTaskAdd' },
			{
				name: 'Task Comment Added',
				value: 'ONTASKCOMMENTADD',
				description: 'OnTaskCommentAdd (in the new task card: any task chat message)',
			},
			{ name: 'Task Deleted', value: 'ONTASKDELETE', description: 'OnTaskDelete' },
			{
				name: 'Task Updated',
				value: 'ONTASKUPDATE',
				description: 'OnTaskUpdate: edits, status changes, delegation, stage moves',
			},
		],
		default: ['ONTASKADD', 'ONTASKUPDATE'],
		description: 'The events that start the workflow; other events are acknowledged and ignored',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Fetch Full Task',
				name: 'fetchTask',
				type: 'boolean',
				default: false,
				description:
					'Whether to read the task with tasks.task.get before starting the workflow (one request per event; not for deleted tasks)',
			},
		],
	},
];
