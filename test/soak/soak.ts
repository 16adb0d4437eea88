import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startSandbox, type Fault, type Sandbox } from '../sandbox';
import { oAuth2CredentialData } from '../harness/credentials';
import { runWorkflow, singleNodeWorkflow, TestCredentialsHelper } from '../harness/engine';

/**
 * Fault soak: delete, create and update items against a sandbox portal that injects faults at the
 * given rate, with Continue On Fail on; then the portal's state is compared with what every item said.
 */
export interface SoakOptions {
	items: number;
	faultRate: number;
	randomSeed?: number;
}

export interface SoakReport {
	items: number;
	succeeded: number;
	failed: number;
	failedByCode: Record<string, number>;
	faultsInjected: Record<string, number>;
	requests: number;
	retries: number;
	tokenRefreshes: number;
	idempotentReplays: number;
	lost: string[];
	duplicated: string[];
	/** failed items flagged `mayHaveRun` (the portal may have done them): not wrong, but to be checked */
	flagged: string[];
	wrongOutcome: string[];
	seconds: number;
}

const TASKS = [51, 52, 53, 54];
const V3 = 'BITRIX_REST_V3_EXCEPTION_';

/** The faults, each at faultRate / 8; the codes a failed item may legitimately end with. */
function faultKinds(): Array<{ fault: Fault; codes: string[] }> {
	return [
		{
			fault: {
				kind: 'status',
				status: 503,
				body: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' },
			},
			codes: ['QUERY_LIMIT_EXCEEDED'],
		},
		{
			fault: {
				kind: 'status',
				status: 500,
				body: { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' },
			},
			codes: ['INTERNAL_SERVER_ERROR'],
		},
		{ fault: { kind: 'reset' }, codes: ['NETWORK_ERROR'] },
		{ fault: { kind: 'resetAfterCommit' }, codes: ['NETWORK_ERROR'] },
		{ fault: { kind: 'delay', ms: 1500 }, codes: ['TIMEOUT'] },
		{ fault: { kind: 'html', status: 503 }, codes: ['SERVER_ERROR'] },
		{
			fault: {
				kind: 'status',
				status: 401,
				body: { error: { code: `${V3}ACCESSDENIEDEXCEPTION`, message: 'Access denied.' } },
			},
			codes: [`${V3}ACCESSDENIEDEXCEPTION`],
		},
		{
			fault: {
				kind: 'status',
				status: 429,
				// a near reset time, computed when the sandbox serialises the body
				body: {
					error: 'OPERATION_TIME_LIMIT',
					error_description: 'Method is blocked due to operation time limit.',
					get time() {
						return { operating_reset_at: Date.now() / 1000 + 0.5 };
					},
				},
			},
			codes: ['OPERATION_TIME_LIMIT'],
		},
	];
}

export async function runSoak(
	options: SoakOptions,
	progress: (line: string) => void = () => {},
): Promise<SoakReport> {
	const started = Date.now();
	const per = Math.floor(options.items / 3);
	const counts = { delete: per, create: per, update: options.items - 2 * per };
	const sandbox: Sandbox = await startSandbox({
		randomSeed: options.randomSeed ?? 7,
		seed: { tasks: TASKS.map((id) => ({ id, title: `Soak task ${id}`, memberIds: [1] })) },
	});
	try {
		const deleteIds = seed(sandbox, counts.delete, 'delete');
		const updateIds = seed(sandbox, counts.update, 'update');
		const taskOf = (id: number) => sandbox.state.results.get(id)?.taskId ?? TASKS[0];
		const deleteTasks = new Map(deleteIds.map((id) => [id, taskOf(id)]));
		const kinds = faultKinds();
		for (const { fault } of kinds)
			sandbox.injectFault(fault, { probability: options.faultRate / kinds.length });
		const allowedCodes = new Set(kinds.flatMap((k) => k.codes));

		const store = new TestCredentialsHelper({
			bitrix24OAuth2Api: oAuth2CredentialData(sandbox, sandbox.issueTokens()),
		});
		const run = async (parameters: IDataObject, items: IDataObject[]) => {
			const result = await runWorkflow(
				singleNodeWorkflow(
					{
						...parameters,
						options: { ...((parameters.options as IDataObject) ?? {}), timeoutSec: 1 },
					},
					{ credential: 'oAuth2', continueOnFail: true },
				),
				{ credentialsHelper: store, items },
			);
			if (result.error) throw new Error(`the soak run stopped: ${result.error.message}`);
			return result.output('Bitrix24 Tasks');
		};

		progress(`deleting ${counts.delete} results…`);
		const deleted = await run(
			{
				operation: 'delete',
				resultId: '={{ $json.id }}',
				options: { taskId: '={{ $json.taskId }}' },
			},
			deleteIds.map((id) => ({ id, taskId: deleteTasks.get(id) })),
		);
		progress(`creating ${counts.create} results…`);
		const createTexts = Array.from(
			{ length: counts.create },
			(_, n) => `soak create ${n} ${started}`,
		);
		const created = await run(
			{ operation: 'create', taskId: '={{ $json.taskId }}', text: '={{ $json.text }}' },
			createTexts.map((text, n) => ({ text, taskId: TASKS[n % TASKS.length] })),
		);
		progress(`updating ${counts.update} results…`);
		const updated = await run(
			{
				operation: 'update',
				resultId: '={{ $json.id }}',
				text: '={{ "soak updated " + $json.id }}',
			},
			updateIds.map((id) => ({ id })),
		);
		sandbox.clearFaults();

		const report: SoakReport = {
			items: options.items,
			succeeded: 0,
			failed: 0,
			failedByCode: {},
			faultsInjected: faultsByKind(sandbox),
			requests: sandbox.requests.filter((r) => r.apiVersion !== 'oauth').length,
			retries: 0,
			tokenRefreshes: sandbox.counters.tokenRefreshes,
			idempotentReplays: sandbox.counters.idempotentReplays,
			lost: [],
			duplicated: [],
			flagged: [],
			wrongOutcome: [],
			seconds: 0,
		};
		const reportFailedButDone = (item: INodeExecutionData, message: string) => {
			if (item.json.mayHaveRun === true) report.flagged.push(message);
			else report.wrongOutcome.push(message);
		};
		const tally = (item: INodeExecutionData | undefined, label: string): boolean => {
			if (!item) {
				report.lost.push(`${label}: no output item`);
				return false;
			}
			if (item.json.error === undefined) {
				report.succeeded++;
				return true;
			}
			report.failed++;
			const code = String(item.json.code);
			report.failedByCode[code] = (report.failedByCode[code] ?? 0) + 1;
			if (!allowedCodes.has(code))
				report.wrongOutcome.push(`${label}: failed with unexpected code ${code}`);
			return false;
		};

		deleteIds.forEach((id, n) => {
			const ok = tally(deleted[n], `delete #${id}`);
			const present = sandbox.state.results.has(id);
			if (ok && present) report.lost.push(`delete #${id}: reported deleted, still on the portal`);
			if (!ok && !present)
				reportFailedButDone(
					deleted[n],
					`delete #${id}: reported failed, but the portal deleted it`,
				);
		});
		const byText = new Map<string, number[]>();
		for (const result of sandbox.state.results.values())
			byText.set(result.text, [...(byText.get(result.text) ?? []), result.id]);
		createTexts.forEach((text, n) => {
			const ok = tally(created[n], `create ${n}`);
			const ids = byText.get(text) ?? [];
			if (ids.length > 1)
				report.duplicated.push(`create ${n}: ${ids.length} results on the portal`);
			if (ok && (ids.length === 0 || !ids.includes(Number(created[n].json.id))))
				report.lost.push(`create ${n}: reported created, not on the portal`);
			if (!ok && ids.length > 0)
				reportFailedButDone(
					created[n],
					`create ${n}: reported failed, but the portal created it (${trace(sandbox, text)})`,
				);
		});
		updateIds.forEach((id, n) => {
			const ok = tally(updated[n], `update #${id}`);
			const isUpdated = sandbox.state.results.get(id)?.text === `soak updated ${id}`;
			if (ok && !isUpdated) report.lost.push(`update #${id}: reported updated, text unchanged`);
			if (!ok && isUpdated)
				reportFailedButDone(
					updated[n],
					`update #${id}: reported failed, but the portal updated it`,
				);
		});
		report.retries = report.requests - minimalRequests(counts);
		report.seconds = Math.round((Date.now() - started) / 100) / 10;
		return report;
	} finally {
		await sandbox.stop();
	}
}

/** requests a fault-free run needs: deletes and updates in batches of 50, creates one by one */
function minimalRequests(counts: { delete: number; create: number; update: number }): number {
	return Math.ceil(counts.delete / 50) + counts.create + Math.ceil(counts.update / 50);
}

/** injected faults by what the client saw: `503`, `500`, `401`, `429` status bodies told apart */
function faultsByKind(sandbox: Sandbox): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const { faulted, status } of sandbox.requests) {
		if (!faulted) continue;
		const kind = faulted === 'status' ? `status ${status}` : faulted;
		counts[kind] = (counts[kind] ?? 0) + 1;
	}
	return counts;
}

/** the requests that carried a marker text, for a discrepancy's explanation */
function trace(sandbox: Sandbox, marker: string): string {
	return sandbox.requests
		.filter((r) => r.rawBody.includes(marker))
		.map((r) => `${r.status || 'no answer'}${r.faulted ? ` [${r.faulted}]` : ''}`)
		.join(' → ');
}

function seed(sandbox: Sandbox, count: number, label: string): number[] {
	const first = Math.max(0, ...sandbox.state.results.keys()) + 1;
	const ids = Array.from({ length: count }, (_, n) => first + n);
	sandbox.seed({
		results: ids.map((id, n) => ({
			id,
			taskId: TASKS[n % TASKS.length],
			text: `soak ${label} ${id}`,
			authorId: 1,
		})),
	});
	return ids;
}
