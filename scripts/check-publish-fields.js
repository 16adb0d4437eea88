#!/usr/bin/env node
// Refuses to publish while package.json still lacks what npm users and n8n's verification need:
// a real author, and the public repository and homepage (left out until they exist).
const pkg = require('../package.json');

const problems = [];
const email = pkg.author && pkg.author.email;
if (!pkg.author || !pkg.author.name || !email || /\.invalid$/.test(email))
	problems.push("author: the publisher's name and a real e-mail (now a placeholder)");
const repo = pkg.repository && (pkg.repository.url || pkg.repository);
if (!repo)
	problems.push('repository: { "type": "git", "url": "https://github.com/<owner>/<repo>.git" }');
if (!pkg.homepage) problems.push("homepage: the repository's README URL");

if (problems.length) {
	console.error(`package.json is not ready to publish. Fill in:\n- ${problems.join('\n- ')}`);
	process.exit(1);
}
console.log('package.json has author, repository and homepage: ready to publish.');
