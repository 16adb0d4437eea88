import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** Bitrix24 stores IDs in signed 32-bit integer columns. */
export const MAX_ID = 2_147_483_647;

function show(value: unknown): string {
	if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	return String(value);
}

/** Reads a positive whole-number ID from a parameter value (number, or digits in a string). */
export function parseId(node: INode, value: unknown, field: string, itemIndex: number): number {
	const fail = (why: string) =>
		new NodeOperationError(node, `Invalid ${field} in item ${itemIndex}: ${why}`, {
			itemIndex,
			description: `${field} must be a positive whole number, like 17 (got ${show(value)}).`,
		});
	let id: number;
	if (typeof value === 'number') {
		id = value;
	} else if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') throw fail('it is empty');
		if (!/^\d+$/.test(text)) throw fail('it is not a whole number');
		id = Number(text);
	} else if (value === undefined || value === null) {
		throw fail('it is empty');
	} else {
		throw fail('it is not a number');
	}
	if (!Number.isFinite(id)) throw fail('it is not a finite number');
	if (!Number.isInteger(id)) throw fail('it is not a whole number');
	if (id <= 0) throw fail('it must be greater than 0');
	if (id > MAX_ID) throw fail(`it is larger than ${MAX_ID}, the largest ID Bitrix24 stores`);
	return id;
}

/** Reads a non-blank text parameter. */
export function parseText(node: INode, value: unknown, field: string, itemIndex: number): string {
	const text =
		typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
	if (text === undefined || text.trim() === '') {
		throw new NodeOperationError(node, `Invalid ${field} in item ${itemIndex}: it is empty`, {
			itemIndex,
			description: `${field} must contain some text.`,
		});
	}
	return text;
}
