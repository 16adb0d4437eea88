import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MAX_ID, parseId, parseText } from '../../nodes/Bitrix24Tasks/helpers/validate';

const node = { name: 'Bitrix24 Tasks', type: 'n8n-nodes-bitrix24-tasks.bitrix24Tasks' } as INode;

test.each([
	[17, 17],
	['17', 17],
	[' 17 ', 17],
	[MAX_ID, MAX_ID],
])('parseId(%p) = %p', (value, expected) => {
	expect(parseId(node, value, 'Result ID', 0)).toBe(expected);
});

test.each([
	['', 'empty'],
	['   ', 'empty'],
	[undefined, 'empty'],
	[null, 'empty'],
	['abc', 'not a whole number'],
	['12abc', 'not a whole number'],
	['1e3', 'not a whole number'],
	['+5', 'not a whole number'],
	['-5', 'not a whole number'],
	[0, 'greater than 0'],
	[-5, 'greater than 0'],
	[1.5, 'not a whole number'],
	[NaN, 'not a finite number'],
	[Infinity, 'not a finite number'],
	[MAX_ID + 1, 'larger than'],
	['99999999999999999999', 'larger than'],
	[[17], 'not a number'],
	[{ id: 17 }, 'not a number'],
	[true, 'not a number'],
])('parseId(%p) fails naming the item and field: %s', (value, why) => {
	let error: unknown;
	try {
		parseId(node, value, 'Result ID', 3);
	} catch (e) {
		error = e;
	}
	expect(error).toBeInstanceOf(NodeOperationError);
	expect((error as Error).message).toBe(
		`Invalid Result ID in item 3: ${(error as Error).message.split(': ').slice(1).join(': ')}`,
	);
	expect((error as Error).message).toContain(why);
	expect((error as NodeOperationError).context.itemIndex).toBe(3);
});

test('parseText keeps text as is and refuses blank text', () => {
	expect(parseText(node, '  done  ', 'Text', 0)).toBe('  done  ');
	expect(() => parseText(node, ' \n ', 'Text', 2)).toThrow('Invalid Text in item 2: it is empty');
});
