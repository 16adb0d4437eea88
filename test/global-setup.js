const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const { describeN8nHome } = require('./n8n-home');

/** One temp n8n user folder for the whole run (the workers inherit it), and a picture of `$HOME/.n8n`. */
module.exports = async () => {
	globalThis.__n8nHomeBefore = describeN8nHome();
	if (!process.env.N8N_USER_FOLDER) {
		globalThis.__n8nUserFolder = mkdtempSync(join(tmpdir(), 'b24-jest-n8n-user-'));
		process.env.N8N_USER_FOLDER = globalThis.__n8nUserFolder;
	}
};
