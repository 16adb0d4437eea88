/* eslint-disable @n8n/community-nodes/no-restricted-imports */
// e2e step "classic": the delete and Get Many → Delete examples (as test/e2e/workflows/classic-*.json, on
// their own credential) executed by the n8n CLI against a portal without REST 3.0 task results
// (sandbox `v3Results: false`): API Version Auto switches to the classic result methods (docs/classic-api.md).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { isoWithOffset, startSandbox, type Sandbox } from '../../test/sandbox';
import { check, log, n8n, type N8nInstall } from './common';
import { parseJsonOutput } from './run';

export const CLASSIC_WORKFLOW_IDS = ['e2eClassicDelete01', 'e2eClassicClean01'];
const CLASSIC_CRED = { id: 'b24ClassicCred01', name: 'Classic-only portal (webhook)' };

const daysAgo = (days: number) => isoWithOffset(Date.now() - days * 86_400_000);

/** Old-card results made from comments; 5 is old but of the new card (no comment), 3 is user 2's. */
const SEED = {
	tasks: [{ id: 51, title: 'Quarterly report (old task card)', memberIds: [1, 2] }],
	comments: [
		{ id: 517, taskId: 51, authorId: 1, text: 'delete-task-result.json deletes this one' },
		{ id: 501, taskId: 51, authorId: 1, text: 'old, mine' },
		{ id: 502, taskId: 51, authorId: 1, text: 'old, mine too' },
		{ id: 503, taskId: 51, authorId: 2, text: 'old, by a colleague' },
		{ id: 504, taskId: 51, authorId: 1, text: 'recent' },
	],
	results: [
		{
			id: 17,
			taskId: 51,
			text: 'delete-task-result.json deletes this one',
			commentId: 517,
			createdAt: daysAgo(1),
		},
		{ id: 1, taskId: 51, text: 'old, mine', commentId: 501, createdAt: daysAgo(90) },
		{ id: 2, taskId: 51, text: 'old, mine too', commentId: 502, createdAt: daysAgo(31) },
		{
			id: 3,
			taskId: 51,
			text: 'old, by a colleague',
			authorId: 2,
			commentId: 503,
			createdAt: daysAgo(45),
		},
		{ id: 4, taskId: 51, text: 'recent', commentId: 504, createdAt: daysAgo(2) },
		{ id: 5, taskId: 51, text: 'old, new task card', createdAt: daysAgo(60) },
	],
};

type Item = { json: Record<string, unknown>; pairedItem?: { item?: number } };
type Run = {
	data?: {
		resultData?: {
			runData?: Record<
				string,
				Array<{ data?: { main?: Item[][] }; hints?: Array<{ message?: string }> }>
			>;
			error?: unknown;
		};
	};
};

const taskData = (run: Run | undefined, node: string) =>
	run?.data?.resultData?.runData?.[node]?.[0];
const out = (run: Run | undefined, node: string) =>
	(taskData(run, node)?.data?.main?.[0] ?? []).map(
		(i): Record<string, unknown> => ({ ...i.json, item: i.pairedItem?.item }),
	);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

async function execute(install: N8nInstall, sandbox: Sandbox, id: string) {
	const before = sandbox.requests.length;
	log(`n8n ${install.version}: execute --id=${id} (classic portal)`);
	const r = await n8n(install, ['execute', `--id=${id}`, '--rawOutput']);
	const calls = sandbox.requests.slice(before);
	log(
		`  exit ${r.code} in ${r.ms} ms; ${calls.map((c) => `${c.apiVersion} ${c.restMethod} ${c.status}`).join(', ')}`,
	);
	const run = parseJsonOutput(r.stdout) as Run | undefined;
	check(
		run !== undefined,
		`${id}: run JSON parsed`,
		`${r.stdout.slice(-2000)}\n${r.stderr.slice(-1000)}`,
	);
	return { r, run, calls };
}

/** Imports the classic portal's credential, runs the two classic workflows, checks outputs, requests and state. */
export async function runClassicChecks(install: N8nInstall): Promise<void> {
	const sandbox = await startSandbox({ v3Results: false, seed: SEED });
	const v = install.version;
	try {
		const file = join(install.userFolder, '..', 'classic-credentials.json');
		writeFileSync(
			file,
			JSON.stringify([
				{
					...CLASSIC_CRED,
					type: 'bitrix24WebhookApi',
					data: { webhookUrl: sandbox.webhookUrl(), portalPlan: 'none' },
				},
			]),
		);
		const imported = await n8n(install, ['import:credentials', `--input=${file}`]);
		if (
			!check(
				imported.code === 0,
				`n8n ${v}: import:credentials of the classic portal`,
				imported.stderr,
			)
		)
			return;

		// the delete example with its Task ID: Auto tries REST 3.0 once, then deletes through the comment
		const del = await execute(install, sandbox, 'e2eClassicDelete01');
		check(del.r.code === 0, 'e2eClassicDelete01: exit 0', del.r.stderr.slice(-2000));
		check(
			same(out(del.run, 'Delete task result'), [{ id: 17, deleted: true, item: 0 }]),
			'e2eClassicDelete01: output [{ id: 17, deleted: true }] paired to item 0',
			out(del.run, 'Delete task result'),
		);
		check(
			!sandbox.state.results.has(17) && sandbox.state.comments.has(517),
			'e2eClassicDelete01: result 17 gone, its comment kept',
		);
		const sequence = del.calls.map((c) => `${c.apiVersion} ${c.restMethod} ${c.status}`);
		check(
			same(sequence, [
				'v3 tasks.task.result.delete 404',
				'v2 tasks.task.result.list 200',
				'v2 tasks.task.result.deletefromcomment 200',
				'v2 tasks.task.result.list 200',
			]) && same(del.calls[2]?.body, { commentId: 517 }),
			'e2eClassicDelete01: one REST 3.0 attempt (404), then list, deleteFromComment { commentId: 517 }, list',
			sequence,
		);
		const hints = (taskData(del.run, 'Delete task result')?.hints ?? []).map(
			(h) => h.message ?? '',
		);
		check(
			hints.some((h) => h.includes('has no REST 3.0 task results')),
			'e2eClassicDelete01: the execution hint says the classic API was used',
			hints,
		);

		// Get Many → Delete, unchanged: each old-card result deleted once, each reported exactly
		const clean = await execute(install, sandbox, 'e2eClassicClean01');
		check(clean.r.code === 0, 'e2eClassicClean01: exit 0', clean.r.stderr.slice(-2000));
		check(
			same(
				out(clean.run, 'Get old results').map((i) => i.id),
				[1, 5, 3, 2],
			),
			'e2eClassicClean01: Get Many lists the results older than 30 days, oldest first: 1, 5, 3, 2',
			out(clean.run, 'Get old results'),
		);
		const deleted = out(clean.run, 'Delete old result').map((i) =>
			i.deleted
				? { id: i.id, deleted: i.deleted, item: i.item }
				: { code: i.code, httpCode: i.httpCode, item: i.item },
		);
		check(
			same(deleted, [
				{ id: 1, deleted: true, item: 0 },
				{ code: 'RESULT_WITHOUT_COMMENT', httpCode: null, item: 1 },
				{ code: '0', httpCode: 400, item: 2 },
				{ id: 2, deleted: true, item: 3 },
			]),
			'e2eClassicClean01: 1 and 2 deleted; 5 (no comment) and 3 (a colleague\u2019s) are error items, each paired',
			deleted,
		);
		const noComment = out(clean.run, 'Delete old result')[1];
		check(
			String(noComment?.error ?? '').startsWith(
				'This task result was not made from a task comment',
			),
			'e2eClassicClean01: the result without a comment gets a clear error',
			noComment,
		);
		const batches = clean.calls.filter((c) => c.restMethod === 'batch');
		check(
			same(
				batches.map((c) => c.body),
				[
					{
						halt: 0,
						cmd: {
							d0: 'tasks.task.result.deleteFromComment?commentId=501',
							d1: 'tasks.task.result.deleteFromComment?commentId=503',
							d2: 'tasks.task.result.deleteFromComment?commentId=502',
						},
					},
				],
			) && !clean.calls.some((c) => c.restMethod === 'tasks.task.result.deletefromcomment'),
			'e2eClassicClean01: one classic batch deleting through comments 501, 503, 502 (none for 5)',
			batches.map((c) => c.body),
		);
		check(
			clean.calls.filter((c) => c.apiVersion === 'v3').length === 1,
			'e2eClassicClean01: one REST 3.0 attempt in the execution (the Delete node knows the portal)',
			clean.calls.filter((c) => c.apiVersion === 'v3').length,
		);
		check(
			same(
				[...sandbox.state.results.keys()].sort((a, b) => a - b),
				[3, 4, 5],
			),
			'e2eClassicClean01: results 3, 4, 5 remain on the portal',
			[...sandbox.state.results.keys()],
		);
	} finally {
		await sandbox.stop();
	}
}
