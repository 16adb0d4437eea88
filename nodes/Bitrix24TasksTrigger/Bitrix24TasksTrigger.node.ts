import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { pollProperties } from './description';
import { pollTaskResults } from './poll/pollResults';
import { credentialSlots } from '../Bitrix24Tasks/authentication.description';

/**
 * Polls watched tasks for new results (Bitrix24 has no result event). Task events (OnTaskAdd, …)
 * come through webhooks, which a polling node cannot receive: they are the Bitrix24 Tasks Event
 * Trigger node's job.
 */
export class Bitrix24TasksTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Tasks Trigger',
		name: 'bitrix24TasksTrigger',
		icon: { light: 'file:../../icons/bitrix24.svg', dark: 'file:../../icons/bitrix24.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Task Result Added"}}',
		description: 'Starts the workflow when a result is added to a watched Bitrix24 task',
		defaults: { name: 'Bitrix24 Tasks Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialSlots,
		properties: pollProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollTaskResults.call(this);
	}
}
