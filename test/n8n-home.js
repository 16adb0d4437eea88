// The user's real n8n home must come out of a test run as it went in (see test/harness/userFolder.ts).
const { createHash } = require('node:crypto');
const { existsSync, readFileSync } = require('node:fs');
const { homedir } = require('node:os');
const { join } = require('node:path');

/**
 * What n8n-core would leave in `$HOME/.n8n` if it ran there: the folder itself and its `config` file
 * (the encryption key it generates). The rest of the folder is not compared, so an n8n the user runs
 * at the same time (its database, logs) does not fail the tests.
 */
function describeN8nHome(home = process.env.HOME || homedir()) {
	const root = join(home, '.n8n');
	if (!existsSync(root)) return `${root}: absent`;
	const config = join(root, 'config');
	if (!existsSync(config)) return `${root}: present, no config file`;
	const hash = createHash('sha256').update(readFileSync(config)).digest('hex');
	return `${root}: present, config sha256 ${hash}`;
}

module.exports = { describeN8nHome };
