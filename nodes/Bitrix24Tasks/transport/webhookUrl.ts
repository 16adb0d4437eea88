/**
 * Inbound webhook URLs as Bitrix24 shows them:
 *   https://portal.bitrix24.com/rest/1/abc123/            (classic)
 *   https://portal.bitrix24.com/rest/api/1/abc123/        (REST 3.0)
 * with or without the trailing slash, with a method after it (…/profile.json), on any host, port
 * or path prefix (self-hosted portals). Everything after the code is ignored.
 */
export interface ParsedWebhook {
	/** scheme + host + port, e.g. https://portal.example.com:8443 */
	origin: string;
	/** anything between the host and `/rest/` on self-hosted portals, without trailing slash */
	prefix: string;
	userId: string;
	code: string;
}

export const WEBHOOK_URL_EXAMPLE = 'https://your-portal.bitrix24.com/rest/1/xxxxxxxxxxxxxxxx/';

const WEBHOOK_PATH = /^(.*?)\/rest\/(?:api\/)?(\d+)\/([A-Za-z0-9_-]+)(?:\/.*)?$/;

export class WebhookUrlError extends Error {}

export function parseWebhookUrl(input: unknown): ParsedWebhook {
	const text = typeof input === 'string' ? input.trim() : '';
	const problem = (why: string) =>
		new WebhookUrlError(
			`The Bitrix24 webhook URL is not valid: ${why}. Paste the whole URL Bitrix24 shows for the inbound webhook, like ${WEBHOOK_URL_EXAMPLE}`,
		);
	if (!text) throw problem('it is empty');
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw problem('it is not a URL (it must start with https://)');
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:')
		throw problem('it must start with https://');
	if (url.username || url.password)
		throw problem('it must not contain a user name or password before the host');
	const match = WEBHOOK_PATH.exec(url.pathname);
	if (!match) throw problem('its path must contain /rest/<user ID>/<webhook code>/');
	return {
		origin: url.origin,
		prefix: match[1].replace(/\/+$/, ''),
		userId: match[2],
		code: match[3],
	};
}

/** `path` is the method, prefixed with `api/` for REST 3.0: `api/tasks.task.result.delete`, `profile`. */
export function webhookRequestUrl(webhook: ParsedWebhook, path: string): string {
	const v3 = path.startsWith('api/');
	const method = v3 ? path.slice(4) : path;
	return `${webhook.origin}${webhook.prefix}/rest/${v3 ? 'api/' : ''}${webhook.userId}/${webhook.code}/${method}`;
}

/** Shows a webhook URL without its secret: https://portal/rest/1/abc***\/ */
export function maskWebhookUrl(webhook: ParsedWebhook): string {
	return `${webhook.origin}${webhook.prefix}/rest/${webhook.userId}/${webhook.code.slice(0, 3)}***/`;
}
