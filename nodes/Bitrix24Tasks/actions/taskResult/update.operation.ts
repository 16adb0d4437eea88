import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { idempotencyKeyField, userIdempotencyKey } from '../../helpers/idempotencyKey';
import { parseId, parseText } from '../../helpers/validate';
import { forEachItem, MAX_BATCH_COMMANDS, runSingle, sendBatch } from '../batch';
import { batchingEnabled, batchRequestsField, optionsCollection } from '../common.description';
import type { OperationRun, SingleCall } from '../node.type';
import { resultIdField, textField } from './fields';
import { resultItemOutput } from './resultItem';

const properties: INodeProperties[] = [
	{
		...resultIdField,
		description:
			"ID of the task result to change: the result's own ID (e.g. 17), not the task's ID. Only the author of a result can change it.",
	},
	{
		...textField,
		placeholder: 'e.g. Report sent and confirmed by the client',
		description: 'New text of the result; it replaces the old text',
	},
	optionsCollection([batchRequestsField, idempotencyKeyField]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['taskResult'], operation: ['update'] } },
	properties,
);

export interface UpdateInput {
	id: number;
	text: string;
	/** from the Idempotency Key option: the same on every run of the same input */
	idempotencyKey?: string;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): UpdateInput {
	const node = this.getNode();
	return {
		id: parseId(node, this.getNodeParameter('resultId', itemIndex), 'Result ID', itemIndex),
		text: parseText(node, this.getNodeParameter('text', itemIndex), 'Text', itemIndex),
		idempotencyKey: userIdempotencyKey(this, itemIndex, 'update'),
	};
}

const call: SingleCall<UpdateInput> = {
	request: (input) => ({
		api: 'v3',
		method: 'tasks.task.result.update',
		body: { id: input.id, fields: { text: input.text } },
		write: true,
		idempotencyKey: input.idempotencyKey,
	}),
	output: resultItemOutput,
};

/**
 * Up to 50 updates per batch. Sending an update again sets the same text, so the items of a batch
 * that stopped (or whose answer was lost) are sent again one by one, each for its own answer.
 */
export async function execute(
	this: IExecuteFunctions,
	run: OperationRun<UpdateInput>,
): Promise<void> {
	const queue = batchingEnabled(this) ? [...run.items] : [];
	if (queue.length < 2) queue.length = 0;
	while (queue.length) {
		const chunk = queue.splice(0, MAX_BATCH_COMMANDS);
		const client = await run.client();
		const { results } = await sendBatch(
			client,
			chunk.map(({ input }) => call.request(input)),
			chunk[0].itemIndex,
		);
		if (!results) continue;
		for (const [n, { input, itemIndex }] of chunk.entries()) {
			try {
				run.outcomes.set(itemIndex, call.output.call(this, input, results[n], itemIndex));
			} catch (error) {
				run.outcomes.set(itemIndex, error as Error);
			}
		}
	}
	if (!run.continueOnFail && [...run.outcomes.values()].some((o) => o instanceof Error)) return;
	const rest = run.items.filter(({ itemIndex }) => !run.outcomes.has(itemIndex));
	await forEachItem(
		run,
		rest,
		async (client, { input, itemIndex }) =>
			await runSingle.call(this, client, call, input, itemIndex),
	);
}
