import type { INodeProperties } from 'n8n-workflow';

/** Parameters several operations share; each operation gives its own description. */
export const resultIdField: INodeProperties = {
	displayName: 'Result ID',
	name: 'resultId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 17',
};

export const textField: INodeProperties = {
	displayName: 'Text',
	name: 'text',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	required: true,
};
