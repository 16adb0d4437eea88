/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test harness: reads the environment, writes a temp folder */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * n8n-core keeps its instance settings (an encryption key it generates on first use) in
 * `$N8N_USER_FOLDER/.n8n`, or `$HOME/.n8n` when that is unset. The demo, tests, soak and bench must never
 * create or change the user's real n8n home, so unless a parent process already chose a folder, n8n-core
 * is pointed at a new temp folder that is removed when this process exits. Import this module before
 * anything that loads n8n-core.
 */
export function isolateN8nUserFolder(): string {
	const chosen = process.env.N8N_USER_FOLDER;
	if (chosen) return chosen;
	const dir = mkdtempSync(join(tmpdir(), 'b24-n8n-user-'));
	process.env.N8N_USER_FOLDER = dir;
	process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
	return dir;
}

isolateN8nUserFolder();
