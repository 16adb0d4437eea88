// Lets tests import Markdown files as text (test files may not read the file system: n8n lint).
module.exports = {
	process(source) {
		return { code: `module.exports = ${JSON.stringify(source)};` };
	},
};
