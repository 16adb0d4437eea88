import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { toNodeApiError } from '../../errors/translate';

/** The `item` of a REST 3.0 add/update answer (`{ result: { item: {…} } }`). */
export function resultItem(node: INode, result: unknown, itemIndex: number): IDataObject {
	const item = (result as IDataObject | null)?.item;
	if (!item || typeof item !== 'object' || Array.isArray(item)) {
		// the portal answered 200, so the write itself most likely happened
		throw toNodeApiError(
			node,
			{ code: 'ERROR_UNEXPECTED_ANSWER', detail: 'the answer has no task result item' },
			{ itemIndex, redact: (text) => text, mayHaveRun: true },
		);
	}
	return item as IDataObject;
}

/** `SingleCall.output` of the operations whose answer is one result item. */
export function resultItemOutput(
	this: IExecuteFunctions,
	_input: unknown,
	result: unknown,
	itemIndex: number,
): IDataObject[] {
	return [resultItem(this.getNode(), result, itemIndex)];
}
