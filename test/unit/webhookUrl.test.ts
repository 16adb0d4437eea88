import {
	maskWebhookUrl,
	parseWebhookUrl,
	webhookRequestUrl,
} from '../../nodes/Bitrix24Tasks/transport/webhookUrl';

const CODE = 'k3yS3cr3tW3bh00k';

describe('parseWebhookUrl accepts what Bitrix24 shows', () => {
	test.each([
		[`https://portal.bitrix24.com/rest/1/${CODE}/`, 'https://portal.bitrix24.com', ''],
		[`https://portal.bitrix24.com/rest/1/${CODE}`, 'https://portal.bitrix24.com', ''],
		[`https://portal.bitrix24.com/rest/1/${CODE}/profile.json`, 'https://portal.bitrix24.com', ''],
		[`https://portal.bitrix24.com/rest/api/1/${CODE}/`, 'https://portal.bitrix24.com', ''],
		[
			`https://portal.bitrix24.com/rest/api/1/${CODE}/tasks.task.result.list`,
			'https://portal.bitrix24.com',
			'',
		],
		[`  https://crm.example.org:8443/rest/1/${CODE}/  `, 'https://crm.example.org:8443', ''],
		[`http://10.0.0.5/bitrix/rest/1/${CODE}/`, 'http://10.0.0.5', '/bitrix'],
		[`https://portal.bitrix24.com/rest/1/${CODE}/?x=1#frag`, 'https://portal.bitrix24.com', ''],
		[`https://[::1]:8080/rest/1/${CODE}/`, 'https://[::1]:8080', ''],
	])('%s', (input, origin, prefix) => {
		const parsed = parseWebhookUrl(input);
		expect(parsed).toEqual({ origin, prefix, userId: '1', code: CODE });
	});
});

describe('parseWebhookUrl refuses the rest with the expected form and without the secret', () => {
	test.each([
		['', 'empty'],
		[CODE, 'not a URL'],
		[`portal.bitrix24.com/rest/1/${CODE}/`, 'not a URL'],
		[`ftp://portal.bitrix24.com/rest/1/${CODE}/`, 'https://'],
		[`https://portal.bitrix24.com/${CODE}/`, '/rest/<user ID>/<webhook code>/'],
		[`https://portal.bitrix24.com/rest/abc/${CODE}/`, '/rest/<user ID>/<webhook code>/'],
		[`https://admin:pw@portal.bitrix24.com/rest/1/${CODE}/`, 'user name or password'],
	])('%s', (input, why) => {
		let message = '';
		try {
			parseWebhookUrl(input);
		} catch (error) {
			message = (error as Error).message;
		}
		expect(message).toContain(why);
		expect(message).toContain('https://your-portal.bitrix24.com/rest/1/');
		expect(message).not.toContain(CODE);
	});

	test('a non-string value', () => {
		expect(() => parseWebhookUrl(42)).toThrow('empty');
	});
});

test('builds classic and REST 3.0 URLs from one pasted URL', () => {
	const parsed = parseWebhookUrl(`https://crm.example.org:8443/bitrix/rest/api/7/${CODE}/profile`);
	expect(webhookRequestUrl(parsed, 'profile')).toBe(
		`https://crm.example.org:8443/bitrix/rest/7/${CODE}/profile`,
	);
	expect(webhookRequestUrl(parsed, 'api/tasks.task.result.delete')).toBe(
		`https://crm.example.org:8443/bitrix/rest/api/7/${CODE}/tasks.task.result.delete`,
	);
});

test('masks the webhook code', () => {
	const masked = maskWebhookUrl(parseWebhookUrl(`https://portal.bitrix24.com/rest/1/${CODE}/`));
	expect(masked).toBe('https://portal.bitrix24.com/rest/1/k3y***/');
});
