import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_TRANSPORT_OPTIONS, type TransportOptions } from '../transport';

/** Request settings every operation offers, inside its "Options" collection. */
export const requestOptionFields: INodeProperties[] = [
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		default: 5,
		typeOptions: { minValue: 0, maxValue: 20 },
		description:
			'How often a request is retried after a rate limit, a server fault or a network fault. Changes (create, update, delete) are retried only when Bitrix24 can recognise the repeat (REST 3.0 Idempotency-Key), so nothing is done twice.',
	},
	{
		displayName: 'Max Wait for Operating Limit (Seconds)',
		name: 'maxOperatingWaitSec',
		type: 'number',
		default: 60,
		typeOptions: { minValue: 0 },
		description:
			'When Bitrix24 blocks a method for exceeding its execution-time budget, wait for the block to lift if that happens within this many seconds; otherwise fail and say when it lifts',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeoutSec',
		type: 'number',
		default: 30,
		typeOptions: { minValue: 1 },
		description: 'How long to wait for the portal to answer one request',
	},
];

export function optionsCollection(fields: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [...fields, ...requestOptionFields].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	};
}

export function transportOptions(ctx: IExecuteFunctions): TransportOptions {
	const options = ctx.getNodeParameter('options', 0, {}) as Partial<TransportOptions>;
	const pick = (value: unknown, fallback: number) =>
		Number.isFinite(Number(value)) && value !== '' ? Number(value) : fallback;
	return {
		maxRetries: Math.max(
			0,
			Math.floor(pick(options.maxRetries, DEFAULT_TRANSPORT_OPTIONS.maxRetries)),
		),
		maxOperatingWaitSec: Math.max(
			0,
			pick(options.maxOperatingWaitSec, DEFAULT_TRANSPORT_OPTIONS.maxOperatingWaitSec),
		),
		timeoutSec: Math.max(1, pick(options.timeoutSec, DEFAULT_TRANSPORT_OPTIONS.timeoutSec)),
	};
}

/** For operations whose items may travel in REST 3.0 batches. */
export const batchRequestsField: INodeProperties = {
	displayName: 'Batch Requests',
	name: 'batchRequests',
	type: 'boolean',
	default: true,
	description:
		'Whether to send up to 50 items in one REST 3.0 batch request, which counts once against the portal\u2019s rate limit. Every item still gets its own result or error.',
};

export function batchingEnabled(ctx: IExecuteFunctions): boolean {
	return (ctx.getNodeParameter('options.batchRequests', 0, true) as boolean) !== false;
}

/** Return All and Limit, for every Get Many. */
export const returnAllAndLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** How many rows the item asks for; undefined with Return All. */
export function listMax(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	const limit = Number(ctx.getNodeParameter('limit', itemIndex, 50));
	if (!Number.isInteger(limit) || limit < 1)
		throw new NodeOperationError(
			ctx.getNode(),
			`Invalid Limit in item ${itemIndex}: it must be a whole number of at least 1`,
			{ itemIndex, description: 'Use 1 or more, like 50.' },
		);
	return limit;
}
