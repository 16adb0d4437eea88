import type { INodeProperties } from 'n8n-workflow';

import * as deleteResult from './delete.operation';

export { deleteResult };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['taskResult'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a task result',
				action: 'Delete a task result',
			},
		],
		default: 'delete',
	},
	...deleteResult.description,
];
