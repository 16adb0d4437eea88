import type { INode } from 'n8n-workflow';

export const testNode: INode = {
	id: 'unit',
	name: 'Bitrix24 Tasks',
	type: 'n8n-nodes-bitrix24-tasks.bitrix24Tasks',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
