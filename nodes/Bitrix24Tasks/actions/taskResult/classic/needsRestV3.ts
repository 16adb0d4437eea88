import type { IExecuteFunctions } from 'n8n-workflow';

import type { OperationRun } from '../../node.type';
import { nodeFailure } from './rows';

/** Create, Create From Chat Message and Update have no classic method: each item says what they need. */
export async function needsRestV3(
	this: IExecuteFunctions,
	run: OperationRun<unknown>,
): Promise<void> {
	const client = await run.client();
	for (const { itemIndex } of run.items)
		run.outcomes.set(itemIndex, client.errorFor(nodeFailure('RESULTS_NEED_REST_V3'), itemIndex));
}
