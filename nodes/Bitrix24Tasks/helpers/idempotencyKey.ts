import { createHash } from 'crypto';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** The "Idempotency Key" option of the operations that create or change a result. */
export const idempotencyKeyField: INodeProperties = {
	displayName: 'Idempotency Key',
	name: 'idempotencyKey',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $json.orderId }}',
	description:
		'A value from the input that names this change for good, such as an order ID. Running the same input again (e.g. after a crashed execution) is then answered by Bitrix24 from its record of the first run (kept 24 hours) instead of being done twice. Each item needs its own value. Empty: retries within one execution are protected, a new execution is not.',
};

const seenByRun = new WeakMap<object, Map<string, number>>();

/**
 * The Idempotency-Key header for the item's user-chosen key, or undefined when the option is empty.
 * Namespaced by workflow, node and operation (so the same order ID used elsewhere is another key) and
 * hashed (any value fits the header's 1–255 printable characters). Two items of one run may not share
 * a key: the portal would answer the second from the first.
 */
export function userIdempotencyKey(
	ctx: IExecuteFunctions,
	itemIndex: number,
	operation: string,
): string | undefined {
	const raw = ctx.getNodeParameter('options.idempotencyKey', itemIndex, '') as unknown;
	if (raw === '' || raw === undefined || raw === null) return undefined;
	const fail = (why: string, description: string) =>
		new NodeOperationError(ctx.getNode(), `Invalid Idempotency Key in item ${itemIndex}: ${why}`, {
			itemIndex,
			description,
		});
	if (typeof raw !== 'string' && typeof raw !== 'number')
		throw fail('it is not text', 'Use a text or number from the input, like {{ $json.orderId }}.');
	const value = String(raw).trim();
	if (value === '')
		throw fail('it is blank', 'Leave the option out, or give every item a non-blank value.');
	let seen = seenByRun.get(ctx);
	if (!seen) seenByRun.set(ctx, (seen = new Map()));
	const first = seen.get(value);
	if (first !== undefined && first !== itemIndex)
		throw fail(
			`item ${first} has the same key`,
			'Each item needs its own key: Bitrix24 would answer this item with the first one\u2019s result and do nothing. Use a value that differs per item.',
		);
	seen.set(value, itemIndex);
	const workflow = ctx.getWorkflow().id ?? '';
	const hash = createHash('sha256')
		.update(`${workflow}\n${ctx.getNode().name}\n${operation}\n${value}`)
		.digest('hex');
	return `n8n-k1-${hash}`;
}
