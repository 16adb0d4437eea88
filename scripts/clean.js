// Removes the previous build so deleted sources leave no stale files in dist/.
require('fs').rmSync(require('path').resolve(__dirname, '..', 'dist'), {
	recursive: true,
	force: true,
});
