/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/require-node-api-error */
/// <reference lib="dom" />
// Browser step of the e2e test: `n8n start` on a loopback port, owner set up over REST, the editor
// opened in headless Debian Chromium through playwright-core (installed into the cache, not the project).
import { spawnSync, type ChildProcess } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	renameSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import type { Sandbox } from '../../test/sandbox';
import { check, log, OAUTH_CRED, startN8nServer, WEBHOOK_CRED, type N8nInstall } from './common';
import { taskBrowserChecks } from './tasks';

const ROOT = resolve(__dirname, '../..');
const ARTIFACTS = join(ROOT, 'test/e2e/artifacts');
// E2E_SCREENSHOTS_DIR=docs/images: the same step also writes the README's screenshots there (fixed names,
// cropped to the panel they show, a modest viewport); relative paths are taken from the repository root.
const SCREENSHOTS_DIR = process.env.E2E_SCREENSHOTS_DIR
	? resolve(ROOT, process.env.E2E_SCREENSHOTS_DIR)
	: undefined;
const VIEWPORT = SCREENSHOTS_DIR ? { width: 1280, height: 800 } : { width: 1440, height: 900 };
const PLAYWRIGHT_VERSION = '1.64.1';
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
export const OWNER = {
	email: 'owner@example.com',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-owner-Passw0rd',
};

function ensureChromium(): void {
	if (existsSync(CHROMIUM)) return;
	log('browser: /usr/bin/chromium missing — apt-get install -y chromium (a minute or two)');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
	const r = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
	if (r.status !== 0 || !existsSync(CHROMIUM)) throw new Error('could not install Debian chromium');
}

// playwright-core's types are not a project dependency: the few calls used here, typed loosely.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Page = any;

function loadPlaywright(cache: string): any {
	const dir = join(cache, `playwright-core-${PLAYWRIGHT_VERSION}`);
	const installed = join(dir, 'node_modules/playwright-core/package.json');
	const usable =
		existsSync(installed) &&
		(JSON.parse(readFileSync(installed, 'utf8')) as { version?: string }).version ===
			PLAYWRIGHT_VERSION;
	if (!usable) {
		// installed next to the cache entry and moved in whole: an interrupted install leaves no half folder
		log(`browser: npm install playwright-core@${PLAYWRIGHT_VERSION} into ${dir}`);
		mkdirSync(cache, { recursive: true });
		const tmp = mkdtempSync(join(cache, '.playwright-tmp-'));
		writeFileSync(join(tmp, 'package.json'), '{"name":"e2e-playwright","private":true}');
		const r = spawnSync(
			'npm',
			[
				'install',
				'--no-save',
				'--no-audit',
				'--no-fund',
				'--loglevel=error',
				`playwright-core@${PLAYWRIGHT_VERSION}`,
			],
			{
				cwd: tmp,
				stdio: 'inherit',
				env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
			},
		);
		if (r.status !== 0) {
			rmSync(tmp, { recursive: true, force: true });
			throw new Error('npm install playwright-core failed');
		}
		rmSync(dir, { recursive: true, force: true });
		renameSync(tmp, dir);
	}
	return createRequire(join(dir, 'package.json'))('playwright-core');
}

async function waitForHttp(url: string, timeoutMs: number, proc: ChildProcess): Promise<void> {
	const until = Date.now() + timeoutMs;
	let last = 0;
	while (Date.now() < until) {
		if (proc.exitCode !== null) throw new Error(`n8n start exited with ${proc.exitCode}`);
		try {
			const res = await fetch(url);
			if (res.ok) return;
		} catch {
			// not up yet
		}
		if (Date.now() - last > 10_000) {
			last = Date.now();
			log(`browser: waiting for ${url} …`);
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

async function shot(page: Page, name: string, version: string): Promise<string> {
	mkdirSync(ARTIFACTS, { recursive: true });
	const file = join(ARTIFACTS, `n8n-${version}-${name}.png`);
	await page.screenshot({ path: file });
	log(`browser: screenshot ${file}`);
	return file;
}

/** A README screenshot (only with E2E_SCREENSHOTS_DIR): the element's box, or the page when none is given. */
async function docShot(page: Page, name: string, selectors: string[] = []): Promise<void> {
	if (!SCREENSHOTS_DIR) return;
	mkdirSync(SCREENSHOTS_DIR, { recursive: true });
	const file = join(SCREENSHOTS_DIR, `${name}.png`);
	let clip: { x: number; y: number; width: number; height: number } | undefined;
	for (const selector of selectors) {
		const box = (await page
			.locator(selector)
			.first()
			.boundingBox({ timeout: 2000 })
			.catch(() => null)) as typeof clip | null;
		if (!box) continue;
		const x = Math.min(box.x, clip?.x ?? box.x);
		const y = Math.min(box.y, clip?.y ?? box.y);
		const right = Math.max(box.x + box.width, clip ? clip.x + clip.width : 0);
		const bottom = Math.max(box.y + box.height, clip ? clip.y + clip.height : 0);
		clip = { x, y, width: right - x, height: bottom - y };
	}
	if (clip) {
		// a few pixels of margin, kept inside the viewport
		const x = Math.max(0, Math.floor(clip.x) - 4);
		const y = Math.max(0, Math.floor(clip.y) - 4);
		clip = {
			x,
			y,
			width: Math.min(VIEWPORT.width - x, Math.ceil(clip.width) + 8),
			height: Math.min(VIEWPORT.height - y, Math.ceil(clip.height) + 8),
		};
	}
	await page.screenshot({ path: file, ...(clip ? { clip } : {}) });
	log(`browser: README screenshot ${file}`);
}

async function visible(page: Page, selector: string, timeout = 15_000): Promise<boolean> {
	try {
		await page.locator(selector).first().waitFor({ state: 'visible', timeout });
		return true;
	} catch {
		return false;
	}
}

async function closeModal(page: Page): Promise<void> {
	await page.keyboard.press('Escape');
	await page.waitForTimeout(500);
}

export async function runBrowserChecks(
	install: N8nInstall,
	sandbox: Sandbox,
	cache: string,
): Promise<void> {
	const v = install.version;
	ensureChromium();
	const playwright = loadPlaywright(cache);
	const server = await startN8nServer(install, 'browser');
	const { base, proc } = server;
	let browser: any;
	let page: Page | undefined;
	let userDataDir: string | undefined;
	try {
		await waitForHttp(`${base}/rest/settings`, 60_000, proc);
		// /healthz and the editor's files answer before every REST route is registered: retry a 404
		let setup: Response | undefined;
		for (let attempt = 1; attempt <= 60; attempt++) {
			setup = await fetch(`${base}/rest/owner/setup`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(OWNER),
			});
			if (setup.status !== 404) break;
			if (attempt % 10 === 1)
				log(
					`browser: POST /rest/owner/setup answered 404, n8n is still registering its routes; retrying`,
				);
			await new Promise((r) => setTimeout(r, 1000));
		}
		check(
			setup?.ok,
			`browser: owner created through POST /rest/owner/setup (HTTP ${setup?.status})`,
			(await setup?.text())?.slice(0, 300),
		);

		userDataDir = mkdtempSync(join(tmpdir(), 'b24-e2e-chromium-'));
		// a fresh profile each run; launchPersistentContext is how playwright takes --user-data-dir
		browser = await playwright.chromium.launchPersistentContext(userDataDir, {
			executablePath: CHROMIUM,
			headless: true,
			viewport: VIEWPORT,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-dev-shm-usage',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--disable-quic',
				'--no-first-run',
			],
		});
		const context = browser;
		page = context.pages()[0] ?? (await context.newPage());
		const consoleErrors: string[] = [];
		page.on('console', (m: any) => {
			if (m.type() === 'error') consoleErrors.push(m.text());
		});

		// sign in through the form (n8n binds its auth cookie to the browser's id)
		const email = page
			.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]')
			.first();
		for (let attempt = 1; ; attempt++) {
			await page.goto(`${base}/signin`, { waitUntil: 'domcontentloaded' });
			try {
				await email.waitFor({ state: 'visible', timeout: 30_000 });
				break;
			} catch (error) {
				if (attempt >= 3) throw error;
				log(`browser: sign-in form not shown yet (attempt ${attempt}), reloading`);
			}
		}
		await email.fill(OWNER.email);
		await page.locator('input[type="password"]').first().fill(OWNER.password);
		await page.keyboard.press('Enter');
		await page.waitForURL((url: URL) => !url.pathname.includes('signin'), { timeout: 30_000 });
		check(true, `browser: signed in as ${OWNER.email}`);

		// the workflow with our node
		await page.goto(`${base}/workflow/b24DeleteResult01`, { waitUntil: 'domcontentloaded' });
		const nodeSel = '[data-test-id="canvas-node"]:has-text("Delete task result")';
		check(
			await visible(page, nodeSel, 60_000),
			'browser: canvas shows the "Delete task result" node',
		);
		await page.waitForTimeout(1500);
		const icon = await page.evaluate(() => {
			const nodes = Array.from(document.querySelectorAll('[data-test-id="canvas-node"]'));
			const node = nodes.find((n: Element) => (n.textContent ?? '').includes('Delete task result'));
			const img = node?.querySelector('img') as HTMLImageElement | null;
			return img
				? { src: img.src, loaded: img.complete && img.naturalWidth > 0 }
				: { src: node?.innerHTML.slice(0, 300) ?? '', loaded: false };
		});
		check(
			/bitrix24/i.test(icon.src) && icon.loaded,
			'browser: the node shows our icon (loaded from the community package)',
			icon,
		);
		await shot(page, 'canvas', v);

		await page.locator(nodeSel).first().dblclick();
		check(await visible(page, '[data-test-id="ndv"]'), 'browser: the node panel (NDV) opens');
		await page.waitForTimeout(1000);
		// n8n folds the node's `authentication` parameter into the Credential selector (it offers both
		// credential types), so there is no parameter-input-authentication to look for.
		for (const [name, label] of [
			['resource', 'Resource'],
			['operation', 'Operation'],
			['resultId', 'Result ID'],
		]) {
			const ok = await visible(
				page,
				`[data-test-id="ndv"] [data-test-id="parameter-input-${name}"]`,
				5000,
			);
			check(ok, `browser: NDV renders the ${label} parameter (parameter-input-${name})`);
		}
		const values = (await page.evaluate(() =>
			Array.from(
				document.querySelectorAll(
					'[data-test-id="ndv"] input, [data-test-id="ndv"] [contenteditable="true"]',
				),
			).map((el) => (el as HTMLInputElement).value ?? (el as HTMLElement).innerText),
		)) as string[];
		const ndvText = (await page.locator('body').innerText()) as string;
		const shows = (text: string) => values.some((x) => x?.includes(text)) || ndvText.includes(text);
		check(
			shows('Task Result') && shows('Delete'),
			'browser: Resource shows "Task Result", Operation shows "Delete"',
			values,
		);
		check(
			shows('Bitrix24 webhook'),
			'browser: the Credential selector shows the imported "Bitrix24 webhook" credential',
			values,
		);
		check(
			ndvText.includes('$json.resultId') || values.some((x) => x?.includes('$json.resultId')),
			"browser: Result ID holds the example's expression",
			values,
		);
		const ndvIcon = await page.evaluate(() => {
			const img = document.querySelector('[data-test-id="ndv"] img') as HTMLImageElement | null;
			return img ? { src: img.src, loaded: img.complete && img.naturalWidth > 0 } : undefined;
		});
		check(
			ndvIcon && /bitrix24/i.test(ndvIcon.src) && ndvIcon.loaded,
			'browser: the NDV header shows our icon',
			ndvIcon,
		);
		await shot(page, 'node-panel', v);
		await docShot(page, 'delete-parameters', ['[data-test-id="ndv"]']);

		// the operation list: the Operation parameter opened
		await page
			.locator('[data-test-id="ndv"] [data-test-id="parameter-input-operation"]')
			.first()
			.click();
		const operations = ['Create', 'Create From Chat Message', 'Delete', 'Get Many', 'Update'];
		const listed = await visible(page, 'text="Create From Chat Message"', 10_000);
		const optionTexts = listed
			? ((await page.evaluate(() =>
					Array.from(document.querySelectorAll('.el-select-dropdown__item, [role="option"]'))
						.filter((el) => (el as HTMLElement).offsetParent !== null)
						.map((el) => (el as HTMLElement).innerText.split('\n')[0].trim()),
				)) as string[])
			: [];
		check(
			operations.every((name) => optionTexts.includes(name)),
			`browser: the Operation list offers ${operations.join(', ')}`,
			optionTexts,
		);
		await docShot(page, 'operations', [
			'[data-test-id="ndv"] [data-test-id="parameter-input-operation"]',
			'.el-select-dropdown:visible, .el-popper:visible [role="listbox"]',
		]);
		await page.keyboard.press('Escape'); // closes the list, not the panel
		await page.waitForTimeout(300);
		await closeModal(page);
		await taskBrowserChecks({
			page,
			base,
			visible: (selector, timeout) => visible(page, selector, timeout),
			shot: (name) => shot(page, name, v),
			docShot: (name, selectors) => docShot(page, name, selectors),
		});

		// both credential dialogs, opened from the credentials list
		for (const cred of [
			{ ...WEBHOOK_CRED, expect: /Webhook URL/, file: 'credential-webhook' },
			{ ...OAUTH_CRED, expect: /Portal URL/, file: 'credential-oauth2' },
		]) {
			const before = sandbox.requests.length;
			await page.goto(`${base}/home/credentials`, { waitUntil: 'domcontentloaded' });
			// :has-text() matches substrings case-insensitively, so "Bitrix24 webhook" would also match every
			// card whose type reads "Bitrix24 Webhook API": the card whose title is exactly the name
			const cardSel = `[data-test-id="resources-list-item"]:has(:text-is("${cred.name}"))`;
			const card = page.locator(cardSel).first();
			const cardOk = await visible(page, cardSel, 30_000);
			if (cardOk) await card.click();
			const modalOk = await visible(page, '[data-test-id="editCredential-modal"]', 15_000);
			let text = '';
			if (modalOk) {
				await page.waitForTimeout(2500); // let the automatic credential test finish
				text = (await page
					.locator('[data-test-id="editCredential-modal"]')
					.first()
					.innerText()) as string;
			}
			check(
				modalOk && cred.expect.test(text),
				`browser: the "${cred.name}" credential dialog opens and shows ${cred.expect.source}`,
				text.slice(0, 500) || 'no dialog',
			);
			const icons = await page.evaluate(() =>
				Array.from(document.querySelectorAll('[data-test-id="editCredential-modal"] img')).map(
					(i) => ({
						src: (i as HTMLImageElement).src,
						loaded: (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0,
					}),
				),
			);
			check(
				icons.some((i: { src: string; loaded: boolean }) => /bitrix24/i.test(i.src) && i.loaded),
				`browser: the "${cred.name}" dialog shows our icon`,
				icons,
			);
			await shot(page, cred.file, v);
			await docShot(page, cred.file, ['.el-dialog:visible']);
			const calls = sandbox.requests.slice(before);
			log(
				`browser: while the "${cred.name}" dialog was open the sandbox saw: ${calls.map((c) => `${c.method} ${c.path.replace(/[0-9a-f]{40}/g, '<token>')} → ${c.status}`).join(', ') || 'nothing'}`,
			);
			if (cred.id === WEBHOOK_CRED.id && calls.length > 0) {
				check(
					calls.some((c) => c.path === '/rest/1/sbx1webhookcode/profile'),
					'browser: the credential test went through authenticate() (POST /rest/1/<code>/profile)',
					calls.map((c) => c.path),
				);
			}
			if (cred.id === WEBHOOK_CRED.id) {
				check(
					/successfully|tested/i.test(text),
					'browser: the webhook credential test passes in the dialog',
					text.slice(0, 500),
				);
			}
			await closeModal(page);
		}
		// an execution with an error item: error-output.json in the editor, result 20 (ours) and 21 (user 2's)
		// (the CLI suite ran this workflow already: put both results back as they were seeded)
		if (!sandbox.state.results.has(20))
			sandbox.seed({
				results: [{ id: 20, taskId: 52, text: 'error-output.json deletes this one', authorId: 1 }],
			});
		if (!sandbox.state.results.has(21))
			sandbox.seed({
				results: [{ id: 21, taskId: 51, text: 'error-output.json fails on this one', authorId: 2 }],
			});
		await page.goto(`${base}/workflow/e2eErrorOutput01`, { waitUntil: 'domcontentloaded' });
		const failedSel = '[data-test-id="canvas-node"]:has-text("Failed")';
		check(await visible(page, failedSel, 60_000), 'browser: the error-output workflow opens');
		await page.waitForTimeout(1000);
		await page.locator('[data-test-id="execute-workflow-button"]').first().click();
		const until = Date.now() + 60_000;
		while (Date.now() < until && sandbox.state.results.has(20)) await page.waitForTimeout(250);
		await page.waitForTimeout(2000); // the editor receives the run's data over its push connection
		await page.locator(failedSel).first().dblclick();
		const errorShown = await visible(
			page,
			'[data-test-id="ndv"] >> text=/Access denied by Bitrix24/',
			15_000,
		);
		check(
			errorShown && !sandbox.state.results.has(20) && sandbox.state.results.has(21),
			'browser: run from the editor, the error output holds the refused delete ("Access denied by Bitrix24"), the other result is deleted',
		);
		await shot(page, 'execution-error-item', v);
		await docShot(page, 'execution-error-item', ['[data-test-id="ndv"]']);
		await closeModal(page);

		if (consoleErrors.length)
			log(
				`browser: console errors (informational): ${consoleErrors.slice(0, 5).join(' | ').slice(0, 800)}`,
			);
	} catch (error) {
		if (page) await shot(page, 'failure', v).catch(() => undefined);
		check(
			false,
			`browser: n8n ${v} editor checks crashed`,
			`${(error as Error).stack}\n--- n8n start log (tail) ---\n${server.output().slice(-3000)}`,
		);
	} finally {
		if (browser) await browser.close().catch(() => undefined);
		await server.stop();
		if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
	}
}
