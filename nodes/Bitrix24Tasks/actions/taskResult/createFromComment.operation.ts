import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { parseId } from '../../helpers/validate';
import { optionsCollection } from '../common.description';
import type { OperationRun } from '../node.type';
import { apiVersionOf } from './apiVersion';
import { nodeFailure } from './classic/rows';

const properties: INodeProperties[] = [
	{
		displayName: 'Comment ID',
		name: 'commentId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 501',
		description:
			'ID of a comment of an old-card task (classic API only: portals without REST 3.0 task results). The comment becomes a result of its task; only its author (or a portal administrator) can do this. On a portal with REST 3.0 task results use Create or Create From Chat Message.',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['taskResult'], operation: ['createFromComment'] } },
	properties,
);

export interface CreateFromCommentInput {
	commentId: number;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): CreateFromCommentInput {
	return {
		commentId: parseId(
			this.getNode(),
			this.getNodeParameter('commentId', itemIndex),
			'Comment ID',
			itemIndex,
		),
	};
}

/**
 * The REST 3.0 side: Create From Comment has no REST 3.0 method, so each item is told which REST 3.0
 * operations to use. Under Auto a read-only REST 3.0 list first asks the portal whether it has REST 3.0
 * task results; "method not found" there switches the run to the classic API (apiVersion.ts).
 */
export async function execute(
	this: IExecuteFunctions,
	run: OperationRun<CreateFromCommentInput>,
): Promise<void> {
	const client = await run.client();
	if (apiVersionOf(this) === 'auto') {
		const probe = await client.tryCall({
			api: 'v3',
			method: 'tasks.task.result.list',
			body: { filter: [['taskId', 1]], select: ['id'], pagination: { limit: 1 } },
		});
		if (!probe.ok && client.v3MethodMissing) return;
		if (!probe.ok && probe.failure.httpCode !== 400 && probe.failure.httpCode !== 403)
			throw probe.error;
	}
	for (const { itemIndex } of run.items)
		run.outcomes.set(itemIndex, client.errorFor(nodeFailure('CLASSIC_ONLY_OPERATION'), itemIndex));
}
