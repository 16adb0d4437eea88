import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { idempotencyKeyField, userIdempotencyKey } from '../../helpers/idempotencyKey';
import { parseId } from '../../helpers/validate';
import { oneCallPerItem } from '../batch';
import { optionsCollection } from '../common.description';
import type { SingleCall } from '../node.type';
import { confirmed, taskIdField } from './common';
import { taskIdParam } from './taskFields';
import { unconfirmed } from './update.operation';

const properties: INodeProperties[] = [
	taskIdField('The task to attach the files to (its task ID, e.g. 51)'),
	{
		displayName: 'Drive File IDs',
		name: 'fileIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 1043, 1044',
		description:
			'IDs of Bitrix24 Drive files (from disk.folder.uploadfile or disk.folder.getchildren), separated by commas. The user behind the credential needs access to each file.',
	},
	optionsCollection([idempotencyKeyField]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['attachFiles'] } },
	properties,
);

export interface AttachFilesInput {
	taskId: number;
	fileIds: number[];
	idempotencyKey?: string;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): AttachFilesInput {
	const node = this.getNode();
	const raw = this.getNodeParameter('fileIds', itemIndex, '') as unknown;
	const parts = (Array.isArray(raw) ? raw : String(raw ?? '').split(','))
		.map((part) => (typeof part === 'string' ? part.trim() : part))
		.filter((part) => part !== '');
	if (parts.length === 0)
		throw new NodeOperationError(node, `Invalid Drive File IDs in item ${itemIndex}: it is empty`, {
			itemIndex,
			description: 'Give at least one Drive file ID, like 1043.',
		});
	return {
		taskId: taskIdParam(this, itemIndex),
		fileIds: [...new Set(parts.map((part) => parseId(node, part, 'Drive File ID', itemIndex)))],
		idempotencyKey: userIdempotencyKey(this, itemIndex, 'task.attachFiles'),
	};
}

const call: SingleCall<AttachFilesInput> = {
	request: (input) => ({
		api: 'v3',
		method: 'tasks.task.file.attach',
		body: { taskId: input.taskId, fileIds: input.fileIds },
		write: true,
		idempotencyKey: input.idempotencyKey,
	}),
	output(input, result, itemIndex) {
		if (!confirmed(result)) throw unconfirmed(this, 'tasks.task.file.attach', itemIndex);
		return [{ taskId: input.taskId, fileIds: input.fileIds, attached: true }];
	},
};

export const execute = oneCallPerItem(call);
