import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { Bitrix24Client, type AuthenticationType } from '../transport';
import { transportOptions } from './common.description';
import type { OperationModule, OperationRun } from './node.type';
import * as task from './task';
import * as taskResult from './taskResult';

const operations: Record<string, Record<string, OperationModule<unknown>>> = {
	taskResult: {
		create: taskResult.create,
		createFromChatMessage: taskResult.createFromChatMessage,
		createFromComment: taskResult.createFromComment,
		delete: taskResult.deleteResult,
		getAll: taskResult.getAll,
		update: taskResult.update,
	} as Record<string, OperationModule<unknown>>,
	task: {
		attachFiles: task.attachFiles,
		create: task.create,
		delete: task.deleteTask,
		get: task.get,
		getAccess: task.getAccess,
		getAll: task.getAll,
		sendChatMessage: task.sendChatMessage,
		update: task.update,
	} as Record<string, OperationModule<unknown>>,
};

/**
 * The `{ error, code, httpCode }` item a failed input item becomes under "Continue On Fail", plus
 * `mayHaveRun: true` when the write may have been carried out without the node seeing the answer.
 */
function errorJson(error: Error): IDataObject {
	const context = (error as NodeApiError).context ?? {};
	const httpCode = Number((error as NodeApiError).httpCode ?? context.httpCode);
	const json: IDataObject = {
		error: error.message,
		code:
			(context.errorCode as string | undefined) ??
			(error instanceof NodeOperationError ? 'INVALID_INPUT' : null),
		httpCode: Number.isFinite(httpCode) && httpCode > 0 ? httpCode : null,
	};
	if (context.mayHaveRun === true) json.mayHaveRun = true;
	return json;
}

function withItemIndex(this: IExecuteFunctions, error: Error, itemIndex: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(this.getNode(), error, { itemIndex });
}

/**
 * Owns the item loop: every item is validated before any request, the operation runs the valid ones,
 * and each input item gets its outputs or, under Continue On Fail, one error item, paired to it.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const op = operations[resource]?.[operation];
	if (!op) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not supported for "${resource}"`,
		);
	}
	const continueOnFail = this.continueOnFail();

	let client: Promise<Bitrix24Client> | undefined;
	const run: OperationRun<unknown> = {
		items: [],
		continueOnFail,
		outcomes: new Map(),
		client: async () =>
			await (client ??= Bitrix24Client.connect(
				this,
				this.getNodeParameter('authentication', 0, 'webhook') as AuthenticationType,
				transportOptions(this),
			)),
	};
	const { outcomes } = run;
	for (let i = 0; i < items.length; i++) {
		try {
			run.items.push({ itemIndex: i, input: op.prepare.call(this, i) });
		} catch (error) {
			if (!continueOnFail) throw withItemIndex.call(this, error as Error, i);
			outcomes.set(i, error as Error);
		}
	}

	try {
		await op.execute.call(this, run);
	} catch (error) {
		if (!continueOnFail)
			throw withItemIndex.call(this, error as Error, run.items[0]?.itemIndex ?? 0);
		for (const { itemIndex } of run.items)
			if (!outcomes.has(itemIndex)) outcomes.set(itemIndex, error as Error);
	}

	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const outcome = outcomes.get(i);
		if (!outcome) continue;
		if (!(outcome instanceof Error)) {
			for (const json of outcome) out.push({ json, pairedItem: { item: i } });
			continue;
		}
		if (!continueOnFail) throw withItemIndex.call(this, outcome, i);
		// n8n moves an item to the error output only when it carries `error` (and then keeps only the
		// message in its JSON); on the regular output the item keeps `{ error, code, httpCode }`
		out.push(
			this.getNode().onError === 'continueErrorOutput'
				? {
						json: errorJson(outcome),
						error: withItemIndex.call(this, outcome, i) as NodeApiError,
						pairedItem: { item: i },
					}
				: { json: errorJson(outcome), pairedItem: { item: i } },
		);
	}
	return [out];
}
