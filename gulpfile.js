const path = require('path');
const { task, src, dest } = require('gulp');

// tsc does not copy icons; n8n loads them from next to the compiled files
task('build:icons', () => {
	src(path.resolve('nodes', '**', '*.{png,svg}'), { encoding: false }).pipe(
		dest(path.resolve('dist', 'nodes')),
	);
	src(path.resolve('credentials', '**', '*.{png,svg}'), { encoding: false }).pipe(
		dest(path.resolve('dist', 'credentials')),
	);
	return src(path.resolve('icons', '*.{png,svg}'), { encoding: false }).pipe(
		dest(path.resolve('dist', 'icons')),
	);
});
