#!/usr/bin/env node
// `npm run publish:check` (also prepublishOnly, and a step of .github/workflows/publish.yml): refuses to
// publish while the package still lacks what npm users and n8n's verification need — a real author, the
// public repository and homepage (left out until they exist), and the copyright holder in LICENSE.md
// (a placeholder until the publisher fills it in). See CONTRIBUTING.md, "Releasing".
const { readFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** What is still missing, one line each; empty when ready. Exported for the unit test. */
function problems(pkg, licenseText) {
	const out = [];
	const email = pkg.author && pkg.author.email;
	if (
		!pkg.author ||
		!pkg.author.name ||
		!email ||
		/\.invalid$/.test(email) ||
		/publisher/i.test(pkg.author.name)
	)
		out.push("author: the publisher's name and a real e-mail (now a placeholder)");

	const repo =
		pkg.repository && (typeof pkg.repository === 'string' ? pkg.repository : pkg.repository.url);
	if (!repo)
		out.push(
			'repository: { "type": "git", "url": "git+https://github.com/<owner>/<repo>.git" } (missing)',
		);
	else if (
		!/^(git\+)?https:\/\/github\.com\/[\w.-]+\/[\w.-]+?(\.git)?$/.test(repo) ||
		/[<>]/.test(repo)
	)
		out.push(
			`repository: "${repo}" is not a public GitHub repository URL (https://github.com/<owner>/<repo>.git)`,
		);

	if (!pkg.homepage) out.push("homepage: the repository's README URL (missing)");
	else if (/[<>]/.test(pkg.homepage)) out.push(`homepage: "${pkg.homepage}" is a placeholder`);

	if (licenseText === undefined)
		out.push('LICENSE.md: missing (MIT text with the copyright holder)');
	else {
		const line = licenseText.split('\n').find((l) => /^Copyright \(c\)/i.test(l.trim()));
		if (!line) out.push('LICENSE.md: no "Copyright (c) <year> <holder>" line');
		else if (/[<>[\]]|publisher|holder/i.test(line))
			out.push(
				`LICENSE.md: the copyright line is still a placeholder ("${line.trim()}"): put the year and the publisher's name`,
			);
	}
	return out;
}

module.exports = { problems };

if (require.main === module) {
	const licenseFile = join(ROOT, 'LICENSE.md');
	const found = problems(
		pkg,
		existsSync(licenseFile) ? readFileSync(licenseFile, 'utf8') : undefined,
	);
	if (found.length) {
		console.error(`Not ready to publish. Fill in:\n- ${found.join('\n- ')}`);
		process.exit(1);
	}
	console.log(
		'package.json has author, repository and homepage, LICENSE.md names its holder: ready to publish.',
	);
}
