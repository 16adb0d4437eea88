import type { IDataObject, INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/** The `item` of a REST 3.0 add/update answer (`{ result: { item: {…} } }`). */
export function resultItem(node: INode, result: unknown, itemIndex: number): IDataObject {
	const item = (result as IDataObject | null)?.item;
	if (!item || typeof item !== 'object' || Array.isArray(item)) {
		throw new NodeApiError(
			node,
			{ code: 'ERROR_UNEXPECTED_ANSWER', message: 'the answer has no result item' },
			{
				message: 'Bitrix24 answered without the task result',
				description:
					'The request may still have succeeded. Check the task in Bitrix24 before running the node again.',
				itemIndex,
			},
		);
	}
	return item as IDataObject;
}
