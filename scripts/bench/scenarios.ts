/* eslint-disable @n8n/community-nodes/no-restricted-globals -- benchmark harness: measures the process */
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { runWorkflow, singleNodeWorkflow } from '../../test/harness/engine';
import { parseWebhookUrl, webhookRequestUrl } from '../../nodes/Bitrix24Tasks/transport/webhookUrl';

export const TASK_ID = 51;
export const BATCH_SIZE = 50;

export interface Bucket {
	drainPerSec: number;
	burst: number;
}

export interface NodeRunResult {
	/** epoch ms when the workflow was started */
	startedAt: number;
	wallMs: number;
	cpuMs: number;
	rssBeforeMb: number;
	rssPeakMb: number;
	deleted: number;
	failed: number;
	/** items (or the whole run) that ended with QUERY_LIMIT_EXCEEDED / a rate-limit error */
	rateLimitErrors: number;
	firstError?: string;
}

export interface RawRunResult {
	wallMs: number;
	/** HTTP requests sent */
	requests: number;
	deleted: number;
	failed: number;
	/** 503 QUERY_LIMIT_EXCEEDED answers the loop (and so its user) saw */
	rateLimitErrors: number;
}

const isRateLimit = (text: string) =>
	/QUERY_LIMIT_EXCEEDED|rate limit|too many requests/i.test(text);

/**
 * How the deletes reach the node:
 * - `taskOption`: items `{ resultId, taskId }`, Task ID set from the item (`{{ $json.taskId }}`);
 * - `getManyDelete`: Get Many (Return All) of the task → Delete with only Result ID = `{{ $json.id }}`;
 * - `idsOnly`: items `{ id }`, only Result ID set: the task is unknown.
 */
export type DeleteFlow = 'taskOption' | 'getManyDelete' | 'idsOnly';

function deleteWorkflow(flow: DeleteFlow, batching: boolean) {
	const batchOption = batching ? {} : { batchRequests: false };
	if (flow === 'taskOption')
		return singleNodeWorkflow(
			{
				operation: 'delete',
				resultId: '={{ $json.resultId }}',
				options: { taskId: '={{ $json.taskId }}', ...batchOption },
			},
			{ continueOnFail: true },
		);
	const wf = singleNodeWorkflow(
		{ operation: 'delete', resultId: '={{ $json.id }}', options: batchOption },
		{ continueOnFail: true },
	);
	if (flow === 'idsOnly') return wf;
	// Start → Get Many → Bitrix24 Tasks (the delete)
	const list = {
		...structuredClone(wf.nodes[1]),
		id: 'list',
		name: 'Get Many',
		parameters: {
			authentication: 'webhook',
			resource: 'taskResult',
			operation: 'getAll',
			taskId: { __rl: true, mode: 'id', value: String(TASK_ID) },
			returnAll: true,
		},
	};
	const main = (node: string) => ({ main: [[{ node, type: 'main', index: 0 }]] });
	return {
		nodes: [wf.nodes[0], list, wf.nodes[1]],
		connections: { Start: main('Get Many'), 'Get Many': main('Bitrix24 Tasks') },
	} as typeof wf;
}

/** The Delete operation over `ids` through n8n's real WorkflowExecute (by default with the Task ID taken from the item). */
export async function runNodeDeletes(
	webhookUrl: string,
	ids: number[],
	options: { batching: boolean; plan?: string; flow?: DeleteFlow },
): Promise<NodeRunResult> {
	const flow = options.flow ?? 'taskOption';
	const items =
		flow === 'taskOption'
			? ids.map((resultId) => ({ resultId, taskId: TASK_ID }))
			: flow === 'idsOnly'
				? ids.map((id) => ({ id }))
				: [{}];
	const credentials = {
		bitrix24WebhookApi: { webhookUrl, portalPlan: options.plan ?? 'standard' },
	};

	let rssPeak = process.memoryUsage.rss();
	const rssBefore = rssPeak;
	const sampler = setInterval(() => {
		rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
	}, 25);
	const cpu0 = process.cpuUsage();
	const startedAt = Date.now();
	const t0 = performance.now();
	const run = await runWorkflow(deleteWorkflow(flow, options.batching), { items, credentials });
	const wallMs = performance.now() - t0;
	const cpu = process.cpuUsage(cpu0);
	clearInterval(sampler);
	rssPeak = Math.max(rssPeak, process.memoryUsage.rss());

	const out = run.output('Bitrix24 Tasks').map((item) => item.json);
	const errors = out.filter((json) => json.deleted !== true);
	const messages = errors.map((json) => `${String(json.code)} ${String(json.error)}`);
	if (run.error) messages.push(`${run.error.message} ${run.error.description ?? ''}`);
	return {
		startedAt,
		wallMs,
		cpuMs: (cpu.user + cpu.system) / 1000,
		rssBeforeMb: rssBefore / 2 ** 20,
		rssPeakMb: rssPeak / 2 ** 20,
		deleted: out.length - errors.length,
		failed: errors.length + (run.error || out.length < ids.length ? ids.length - out.length : 0),
		rateLimitErrors: messages.filter(isRateLimit).length,
		firstError: messages[0],
	};
}

async function post(url: string, body: unknown): Promise<{ status: number; json: IDataObject }> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	const text = await response.text();
	let json: IDataObject = {};
	try {
		json = JSON.parse(text) as IDataObject;
	} catch {
		json = { error: 'NON_JSON', error_description: text.slice(0, 80) };
	}
	return { status: response.status, json };
}

function v3Url(webhookUrl: string, method: string): string {
	return webhookRequestUrl(parseWebhookUrl(webhookUrl), `api/${method}`);
}

/**
 * (c) What a user builds with the HTTP Request node: one POST per item, one after another. A 503
 * QUERY_LIMIT_EXCEEDED is an error the user sees; it is retried after 1 s (n8n's Retry On Fail).
 */
export async function runNaiveLoop(
	webhookUrl: string,
	ids: number[],
	onProgress?: (done: number) => void,
): Promise<RawRunResult> {
	const url = v3Url(webhookUrl, 'tasks.task.result.delete');
	const result: RawRunResult = {
		wallMs: 0,
		requests: 0,
		deleted: 0,
		failed: 0,
		rateLimitErrors: 0,
	};
	const t0 = performance.now();
	for (const id of ids) {
		for (;;) {
			result.requests++;
			const { status, json } = await post(url, { id });
			if (status === 503 && json.error === 'QUERY_LIMIT_EXCEEDED') {
				result.rateLimitErrors++;
				await sleep(1000);
				continue;
			}
			if (status === 200) result.deleted++;
			else result.failed++;
			break;
		}
		onProgress?.(result.deleted + result.failed);
	}
	result.wallMs = performance.now() - t0;
	return result;
}

/**
 * (d) The physical limit: ⌈N/50⌉ REST 3.0 batch requests, each sent as soon as the previous one is
 * answered and the portal's bucket has room (computed from its drain rate and burst).
 */
export async function runPhysicalLimit(
	webhookUrl: string,
	ids: number[],
	bucket: Bucket,
): Promise<RawRunResult> {
	const url = v3Url(webhookUrl, 'batch');
	const result: RawRunResult = {
		wallMs: 0,
		requests: 0,
		deleted: 0,
		failed: 0,
		rateLimitErrors: 0,
	};
	const t0 = performance.now();
	for (let start = 0, k = 0; start < ids.length; start += BATCH_SIZE, k++) {
		const chunk = ids.slice(start, start + BATCH_SIZE);
		const earliest = t0 + Math.max(0, ((k + 1 - bucket.burst) / bucket.drainPerSec) * 1000);
		for (;;) {
			const wait = earliest - performance.now();
			if (wait > 0) await sleep(Math.ceil(wait));
			result.requests++;
			const { status, json } = await post(
				url,
				chunk.map((id) => ({ method: 'tasks.task.result.delete', query: { id } })),
			);
			if (status === 503) {
				result.rateLimitErrors++;
				await sleep(50);
				continue;
			}
			const results = Array.isArray(json.result) ? json.result : [];
			result.deleted += status === 200 ? results.length : 0;
			result.failed += chunk.length - (status === 200 ? results.length : 0);
			break;
		}
	}
	result.wallMs = performance.now() - t0;
	return result;
}

/**
 * The computed floor for `requests` sequential requests: request k (0-based) may arrive at
 * max(0, (k + 1 − burst) / drain) s and not before the previous answer; each takes `latencyMs`.
 */
export function physicalFloorMs(requests: number, bucket: Bucket, latencyMs: number): number {
	let end = 0;
	for (let k = 0; k < requests; k++) {
		const start = Math.max(end, Math.max(0, ((k + 1 - bucket.burst) / bucket.drainPerSec) * 1000));
		end = start + latencyMs;
	}
	return end;
}
