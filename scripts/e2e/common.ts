/* eslint-disable @n8n/community-nodes/no-restricted-imports, no-console */
// Shared by the e2e runner and its browser step: logging, assertions, ports, the fixed credential ids.
import { createServer } from 'node:net';

export const WEBHOOK_CRED = { id: 'b24WebhookCred01', name: 'Bitrix24 webhook' };
export const OAUTH_CRED = { id: 'b24OAuth2Cred01', name: 'Bitrix24 OAuth2' };

export const started = Date.now();
export function log(message: string): void {
	const t = new Date().toISOString().slice(11, 19);
	console.log(`[e2e ${t} +${((Date.now() - started) / 1000).toFixed(0)}s] ${message}`);
}

export const tally = { passes: 0, failures: 0 };
export function check(condition: unknown, what: string, detail?: unknown): boolean {
	if (condition) {
		tally.passes++;
		log(`  ok   ${what}`);
		return true;
	}
	tally.failures++;
	log(
		`  FAIL ${what}${detail === undefined ? '' : `\n       got: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`}`,
	);
	return false;
}

export async function freePort(): Promise<number> {
	return await new Promise((resolvePromise, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolvePromise(port));
		});
	});
}

export interface N8nInstall {
	version: string;
	dir: string;
	nodeBin: string;
	env: NodeJS.ProcessEnv;
	userFolder: string;
}
