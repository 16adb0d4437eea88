import { sameSecret, unflatten } from '../../nodes/Bitrix24TasksEventTrigger/events/formBody';

test('flat bracket keys of a Bitrix24 event become nested objects', () => {
	expect(
		unflatten({
			event: 'ONTASKADD',
			'data[FIELDS_AFTER][ID]': '123',
			'data[FIELDS_BEFORE]': 'undefined',
			'auth[application_token]': 'tok',
		}),
	).toEqual({
		event: 'ONTASKADD',
		data: { FIELDS_AFTER: { ID: '123' }, FIELDS_BEFORE: 'undefined' },
		auth: { application_token: 'tok' },
	});
});

test('keys that reach a prototype are dropped', () => {
	const out = unflatten({
		'__proto__[polluted]': 'yes',
		'data[constructor][prototype][x]': '1',
		'a[prototype]': '2',
	});
	expect(out).toEqual({});
	expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

test('an already nested body is kept', () => {
	expect(unflatten({ auth: { application_token: 't' } })).toEqual({
		auth: { application_token: 't' },
	});
});

test('secrets compare equal only when identical and not empty', () => {
	expect(sameSecret('abc', 'abc')).toBe(true);
	expect(sameSecret('abd', 'abc')).toBe(false);
	expect(sameSecret('ab', 'abc')).toBe(false);
	expect(sameSecret('abcd', 'abc')).toBe(false);
	expect(sameSecret('', '')).toBe(false);
	expect(sameSecret(undefined, 'abc')).toBe(false);
	expect(sameSecret(['abc'], 'abc')).toBe(false);
});
