/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals -- a command-line soak prints and sets its exit code */
import { runSoak } from '../test/soak/soak';

/** `npm run soak [items] [faultRate]`: the full fault soak (default 2,000 items at 20 %). */
async function main(): Promise<void> {
	const items = Number(process.argv[2] ?? 2000);
	const faultRate = Number(process.argv[3] ?? 0.2);
	console.log(
		`Fault soak: ${items} mixed items (delete, create, update) at a ${Math.round(faultRate * 100)} % fault rate, OAuth2, Continue On Fail`,
	);
	const report = await runSoak({ items, faultRate }, (line) => console.log(`  ${line}`));
	const faults = Object.entries(report.faultsInjected);
	console.log(
		`\nitems                ${report.items} (${report.succeeded} succeeded, ${report.failed} failed)`,
	);
	console.log(`failed by code       ${JSON.stringify(report.failedByCode)}`);
	console.log(
		`faults injected      ${faults.reduce((sum, [, n]) => sum + n, 0)} ${JSON.stringify(report.faultsInjected)}`,
	);
	console.log(
		`requests             ${report.requests} (${report.retries} more than a fault-free run)`,
	);
	console.log(`token refreshes      ${report.tokenRefreshes}`);
	console.log(`idempotent replays   ${report.idempotentReplays}`);
	console.log(`lost                 ${report.lost.length}`);
	console.log(`duplicated           ${report.duplicated.length}`);
	console.log(`wrong outcome        ${report.wrongOutcome.length}`);
	console.log(
		`flagged mayHaveRun   ${report.flagged.length} (failed items whose write may have run; the error says so)`,
	);
	console.log(`duration             ${report.seconds} s`);
	for (const line of [
		...report.lost,
		...report.duplicated,
		...report.wrongOutcome,
		...report.flagged,
	])
		console.log(`  ! ${line}`);
	if (report.lost.length || report.duplicated.length || report.wrongOutcome.length)
		process.exitCode = 1;
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
