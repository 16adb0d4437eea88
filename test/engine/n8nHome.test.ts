/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- spawns the demo and the engine tests with a home of their own */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** Runs a command with a brand-new HOME and TMPDIR, as a user who never ran n8n would. */
function runWithFreshHome(cmd: string, args: string[]) {
	const home = mkdtempSync(join(tmpdir(), 'b24-home-'));
	const tmp = mkdtempSync(join(tmpdir(), 'b24-tmp-'));
	const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, TMPDIR: tmp };
	delete env.N8N_USER_FOLDER; // what a user's shell has: nothing chosen
	delete env.JEST_WORKER_ID;
	const r = spawnSync(cmd, args, { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
	const leftInTmp = readdirSync(tmp).filter((name) => name.includes('n8n-user'));
	const n8nHomeCreated = existsSync(join(home, '.n8n'));
	rmSync(home, { recursive: true, force: true });
	rmSync(tmp, { recursive: true, force: true });
	return { status: r.status, output: `${r.stdout}\n${r.stderr}`, leftInTmp, n8nHomeCreated };
}

test('`npm run demo` leaves $HOME/.n8n alone and removes its temp n8n user folder', () => {
	const r = runWithFreshHome('npm', ['run', 'demo']);
	expect(r.output).toContain('Node output:');
	expect(r.status).toBe(0);
	expect(r.output).not.toMatch(/No encryption key found/);
	expect(r.n8nHomeCreated).toBe(false);
	expect(r.leftInTmp).toEqual([]);
});

test('engine tests leave $HOME/.n8n alone and remove their temp n8n user folder', () => {
	const r = runWithFreshHome(join(ROOT, 'node_modules/.bin/jest'), [
		'--ci',
		'--runInBand',
		'test/engine/update.test.ts',
	]);
	expect(r.output).toMatch(/Tests: +\d+ passed/);
	expect(r.status).toBe(0);
	expect(r.n8nHomeCreated).toBe(false);
	expect(r.leftInTmp).toEqual([]);
});
