/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals -- a command-line demo prints and sets its exit code */
import deleteExample from '../examples/delete-task-result.json';
import { runWorkflow } from '../test/harness/engine';
import { startSandbox } from '../test/sandbox';

/**
 * `npm run demo`: starts the sandbox portal with a task and three results, runs
 * examples/delete-task-result.json through n8n's real workflow engine with a webhook credential
 * that points at the sandbox, and prints the node's output and what the portal holds afterwards.
 */
async function main(): Promise<void> {
	const sandbox = await startSandbox({
		seed: {
			tasks: [{ id: 51, title: 'Prepare the quarterly report', memberIds: [1] }],
			results: [
				{ id: 17, taskId: 51, text: 'Draft sent to finance', authorId: 1 },
				{ id: 18, taskId: 51, text: 'Numbers checked', authorId: 1 },
				{ id: 19, taskId: 51, text: 'Report approved', authorId: 1 },
			],
		},
	});
	try {
		const webhookUrl = sandbox.webhookUrl();
		console.log(`Sandbox Bitrix24 portal: ${sandbox.url}`);
		console.log(`Task 51 has results: ${[...sandbox.state.results.keys()].join(', ')}`);
		console.log(`Running ${deleteExample.name} (results 17 and 18) through the n8n engine…\n`);

		const run = await runWorkflow(deleteExample, {
			items: [{ resultId: 17 }, { resultId: 18 }],
			credentials: { bitrix24WebhookApi: { webhookUrl, portalPlan: 'standard' } },
		});
		if (run.error) {
			console.error(`The workflow failed: ${run.error.message}\n${run.error.description ?? ''}`);
			process.exitCode = 1;
			return;
		}
		const output = run.output('Delete task result');
		console.log('Node output:');
		for (const item of output)
			console.log(
				`  ${JSON.stringify(item.json)}  ← input item ${JSON.stringify(item.pairedItem)}`,
			);

		const calls = sandbox.requests.filter((r) => r.restMethod === 'tasks.task.result.delete');
		console.log(
			`\nRequests the portal received: ${calls.map((c) => `POST ${c.path.replace(/\/rest\/api\/1\/[^/]+\//, '/rest/api/1/***/')} ${c.rawBody} → ${c.status}`).join('; ')}`,
		);
		const left = [...sandbox.state.results.values()].map((r) => `#${r.id} "${r.text}"`);
		console.log(`The portal now holds for task 51: ${left.join(', ') || 'no results'}`);
		const ok =
			output.length === 2 &&
			output.every((i) => i.json.deleted === true) &&
			!sandbox.state.results.has(17) &&
			!sandbox.state.results.has(18);
		if (!ok) {
			console.error('Unexpected outcome: results 17 and 18 should be gone.');
			process.exitCode = 1;
		}
	} finally {
		await sandbox.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
