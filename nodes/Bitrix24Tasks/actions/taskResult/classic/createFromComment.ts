import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { forEachItem } from '../../batch';
import type { OperationRun } from '../../node.type';
import type { CreateFromCommentInput } from '../createFromComment.operation';
import { fromClassicRow, nodeFailure } from './rows';

/** `tasks.task.result.addFromComment`, one item at a time; a classic write is never retried. */
export async function createFromCommentClassic(
	this: IExecuteFunctions,
	run: OperationRun<CreateFromCommentInput>,
): Promise<void> {
	await forEachItem(run, run.items, async (client, { input, itemIndex }) => {
		const { result } = await client.call(
			{
				api: 'v2',
				method: 'tasks.task.result.addFromComment',
				body: { commentId: input.commentId },
				write: true,
			},
			itemIndex,
		);
		if (!result || typeof result !== 'object' || Array.isArray(result))
			throw client.errorFor(
				nodeFailure('ERROR_UNEXPECTED_ANSWER', 'the answer has no task result'),
				itemIndex,
				{ mayHaveRun: true },
			);
		return [fromClassicRow(result as IDataObject)];
	});
}
