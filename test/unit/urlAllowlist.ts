/**
 * The URL allowlist of the package's sources and docs: every http(s) URL must point at a host that
 * exists and that we mean (Bitrix24's and n8n's documentation, npm, standards), or at a host that is
 * obviously an example (localhost, example.com, your-portal.bitrix24.com). An invented repository or
 * documentation URL fails `test/unit/urlAllowlist.test.ts`.
 */

/** Hosts allowed with any path. */
export const ALLOWED_HOSTS = [
	// Bitrix24: documentation and its OAuth servers (the credential's Access Token URL defaults)
	'apidocs.bitrix24.com',
	'helpdesk.bitrix24.com',
	'oauth.bitrix.info',
	'oauth.bitrix24.tech',
	// n8n
	'n8n.io',
	'docs.n8n.io',
	// npm, GitHub's documentation, standards
	'www.npmjs.com',
	'npmjs.com',
	'docs.npmjs.com',
	'registry.npmjs.org',
	'docs.github.com',
	'keepachangelog.com',
	'semver.org',
	'opensource.org',
	'choosealicense.com',
	'www.w3.org', // the SVG namespace of the icons
	// local and placeholder hosts of examples and tests
	'localhost',
	'127.0.0.1',
	'your-portal.bitrix24.com',
	'portal.bitrix24.com',
	'portal',
];

/** Allowed only with these path prefixes (GitHub: n8n's own repositories, nothing invented). */
export const ALLOWED_PREFIXES = ['https://github.com/n8n-io/'];

/** Reserved example domains (RFC 2606 / 6761): never real, always allowed. */
const RESERVED = /(^|\.)(example\.(com|org|net)|example|invalid|test|localhost)$/;

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`)\]\\|]+/g;

/** The host of a URL, or undefined when it is a template or placeholder rather than a link. */
export function hostOf(url: string): string | undefined {
	const host = /^https?:\/\/([^/?#]*)/.exec(url)?.[1]?.replace(/:\d*$/, '').toLowerCase();
	// `https://${host}`, `http://…`, `https://<your n8n>`: written about URLs, not links
	if (!host || /[^a-z0-9.-]/.test(host) || !/[a-z0-9]/.test(host)) return undefined;
	return host;
}

export function isAllowedUrl(url: string): boolean {
	const host = hostOf(url);
	if (host === undefined) return true;
	if (ALLOWED_HOSTS.includes(host) || RESERVED.test(host)) return true;
	return ALLOWED_PREFIXES.some((prefix) => url.toLowerCase().startsWith(prefix));
}

/** Every URL in `text` whose host is not on the allowlist, with its line number. */
export function disallowedUrls(text: string): Array<{ line: number; url: string }> {
	const found: Array<{ line: number; url: string }> = [];
	text.split('\n').forEach((content, index) => {
		for (const match of content.matchAll(URL_PATTERN)) {
			// `https://github.com/<owner>/<repo>`: a URL with placeholders to fill in, not a link
			if (content[(match.index ?? 0) + match[0].length] === '<') continue;
			const url = match[0].replace(/[.,;:!?*]+$/, '');
			if (!isAllowedUrl(url)) found.push({ line: index + 1, url });
		}
	});
	return found;
}
