import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { eventProperties } from './description';
import { checkExists, create, remove } from './events/binding';
import { receiveTaskEvent } from './events/receive';
import { credentialSlots } from '../Bitrix24Tasks/authentication.description';

/**
 * Task events (OnTaskAdd, OnTaskUpdate, OnTaskDelete, OnTaskCommentAdd) pushed by Bitrix24. A node is
 * either polling or webhook-driven in n8n, so new task results (which have no event) are the polling
 * Bitrix24 Tasks Trigger's job.
 */
export class Bitrix24TasksEventTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Tasks Event Trigger',
		name: 'bitrix24TasksEventTrigger',
		icon: { light: 'file:../../icons/bitrix24.svg', dark: 'file:../../icons/bitrix24.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when a Bitrix24 task is added, updated, deleted or commented',
		defaults: { name: 'Bitrix24 Tasks Event Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialSlots,
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: eventProperties,
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await create.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await remove.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveTaskEvent.call(this);
	}
}
