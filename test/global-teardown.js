const { rmSync } = require('node:fs');

const { describeN8nHome } = require('./n8n-home');

/** Fails the run when a test created `$HOME/.n8n` or changed its config; removes the run's temp user folder. */
module.exports = async () => {
	if (globalThis.__n8nUserFolder)
		rmSync(globalThis.__n8nUserFolder, { recursive: true, force: true });
	const after = describeN8nHome();
	if (after !== globalThis.__n8nHomeBefore)
		throw new Error(
			`The tests changed the user's real n8n home.\nBefore: ${globalThis.__n8nHomeBefore}\nAfter:  ${after}`,
		);
};
