// The workflows the queue-mode test publishes: a production webhook → (Split Out) → Bitrix24 Tasks.
// The webhook answers with the last node's items once the worker has finished the execution.
import { WEBHOOK_CRED } from '../e2e/common';

const credentials = { bitrix24WebhookApi: { id: WEBHOOK_CRED.id, name: WEBHOOK_CRED.name } };

export interface QueueWorkflow {
	id: string;
	name: string;
	path: string;
	json: object;
}

function workflow(
	id: string,
	path: string,
	bitrixParameters: Record<string, unknown>,
	split: boolean,
): QueueWorkflow {
	const hook = {
		id: `${id}-hook`,
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: `${id}-webhook-id`,
		parameters: {
			httpMethod: 'POST',
			path,
			responseMode: 'lastNode',
			responseData: 'allEntries',
			options: {},
		},
	};
	const splitOut = {
		id: `${id}-split`,
		name: 'Split Out',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: [220, 0],
		parameters: { fieldToSplitOut: 'body.items', include: 'noOtherFields', options: {} },
	};
	const bitrix = {
		id: `${id}-b24`,
		name: 'Bitrix24 Tasks',
		type: 'n8n-nodes-bitrix24-tasks.bitrix24Tasks',
		typeVersion: 1,
		position: [440, 0],
		parameters: { authentication: 'webhook', resource: 'taskResult', ...bitrixParameters },
		credentials,
	};
	const main = (node: string) => ({ main: [[{ node, type: 'main', index: 0 }]] });
	return {
		id,
		name: `queue ${path}`,
		path,
		json: {
			id,
			name: `queue ${path}`,
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: split ? [hook, splitOut, bitrix] : [hook, bitrix],
			connections: split
				? { Webhook: main('Split Out'), 'Split Out': main('Bitrix24 Tasks') }
				: { Webhook: main('Bitrix24 Tasks') },
		},
	};
}

export const WORKFLOWS = {
	/** bulk delete, Task ID set explicitly from the item, Ignore Already Deleted on (safe to re-run) */
	deleteWithTaskId: workflow(
		'qDeleteTaskId',
		'b24-delete-task-id',
		{
			operation: 'delete',
			resultId: '={{ $json.id }}',
			resultTaskId: '={{ $json.taskId }}',
			options: { ignoreAlreadyDeleted: true },
		},
		true,
	),
	/** bulk delete, nothing but Result ID: the Task ID comes from the item (Get Many output shape) */
	deleteFromItem: workflow(
		'qDeleteFromItem',
		'b24-delete-from-item',
		{ operation: 'delete', resultId: '={{ $json.id }}', options: {} },
		true,
	),
	/** IDs only: one request per item */
	deleteIdsOnly: workflow(
		'qDeleteIdsOnly',
		'b24-delete-ids-only',
		{ operation: 'delete', resultId: '={{ $json.id }}', options: {} },
		true,
	),
	/** creates with an Idempotency Key from the input, so a re-run replays instead of creating twice */
	create: workflow(
		'qCreate',
		'b24-create',
		{
			operation: 'create',
			taskId: { __rl: true, mode: 'id', value: '={{ $json.taskId }}' },
			text: '={{ $json.text }}',
			options: { idempotencyKey: '={{ $json.key }}' },
		},
		true,
	),
	getMany: workflow(
		'qGetMany',
		'b24-get-many',
		{
			operation: 'getAll',
			taskId: { __rl: true, mode: 'id', value: '={{ $json.body.taskId }}' },
			returnAll: true,
			options: {},
		},
		false,
	),
};
