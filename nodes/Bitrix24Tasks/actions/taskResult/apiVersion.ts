import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Bitrix24Client } from '../../transport';
import type { OperationModule, OperationRun } from '../node.type';

export type ApiVersion = 'auto' | 'v3' | 'classic';

export const apiVersionField: INodeProperties = {
	displayName: 'API Version',
	name: 'apiVersion',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['taskResult'] } },
	options: [
		{
			name: 'Auto',
			value: 'auto',
			description:
				'REST 3.0; on a portal without REST 3.0 task results (tasks module before 26.0.0), the classic API',
		},
		{
			name: 'Classic',
			value: 'classic',
			description:
				'Only the classic API: Get Many, Delete of results made from a task comment, Create From Comment',
		},
		{
			name: 'REST 3.0',
			value: 'v3',
			description: 'Only REST 3.0 task results (Bitrix24 tasks module 26.0.0 or later)',
		},
	],
	default: 'auto',
	description:
		'Which Bitrix24 API serves task results. Auto tries REST 3.0 and, when the portal answers that its task result methods do not exist, uses the classic API and remembers that for the portal for 15 minutes.',
};

/** How long Auto remembers that a portal has only the classic API, and for how many portals at most. */
export const REMEMBER_CLASSIC_MS = 15 * 60_000;
export const MAX_REMEMBERED = 200;

/** portal origin → remembered until (ms); an origin never holds a secret (the webhook code is in the path) */
const classicPortals = new Map<string, number>();
/** `<execution id> <portal origin>` of the portals found classic in an execution */
const classicInExecution = new Map<string, true>();

/** Sets a key as the newest; the oldest goes when the map is full. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
	map.delete(key);
	if (map.size >= MAX_REMEMBERED) map.delete(map.keys().next().value as string);
	map.set(key, value);
}

/** Test helper: forget every portal (the memory lives as long as the n8n process). */
export function forgetApiVersions(): void {
	classicPortals.clear();
	classicInExecution.clear();
}

function portalOrigin(client: Bitrix24Client): string {
	return new URL(client.connection.portal).origin;
}

function executionKey(ctx: IExecuteFunctions, origin: string): string {
	return `${ctx.getExecutionId?.() ?? ''} ${origin}`;
}

/** Whether Auto already knows this portal as classic: in this execution, or within the last 15 minutes. */
function knownClassic(ctx: IExecuteFunctions, origin: string): boolean {
	if (classicInExecution.has(executionKey(ctx, origin))) return true;
	const until = classicPortals.get(origin);
	if (until === undefined) return false;
	if (until > Date.now()) return true;
	classicPortals.delete(origin);
	return false;
}

function rememberClassic(ctx: IExecuteFunctions, origin: string, acrossExecutions: boolean): void {
	remember(classicInExecution, executionKey(ctx, origin), true);
	if (acrossExecutions) remember(classicPortals, origin, Date.now() + REMEMBER_CLASSIC_MS);
}

export function apiVersionOf(ctx: IExecuteFunctions): ApiVersion {
	const value = ctx.getNodeParameter('apiVersion', 0, 'auto') as string;
	return value === 'v3' || value === 'classic' ? value : 'auto';
}

function hint(ctx: IExecuteFunctions, message: string): void {
	if (typeof ctx.addExecutionHints !== 'function') return;
	ctx.addExecutionHints({ message, type: 'info', location: 'outputPane' });
}

export type ClassicExecute<Input> = (
	this: IExecuteFunctions,
	run: OperationRun<Input>,
) => Promise<void>;

/**
 * An operation served by REST 3.0 or by the classic API, as API Version says. Auto runs REST 3.0
 * and, when the portal answers that a task result method does not exist (and no REST 3.0 call of the
 * run succeeded, so nothing was done), runs every item again over the classic API.
 */
export function withApiVersion<Input>(
	v3: OperationModule<Input>,
	classic: ClassicExecute<Input>,
): OperationModule<Input> {
	return {
		description: v3.description,
		prepare: v3.prepare,
		async execute(this: IExecuteFunctions, run: OperationRun<Input>): Promise<void> {
			const version = apiVersionOf(this);
			if (version === 'v3' || !run.items.length) return await v3.execute.call(this, run);
			if (version === 'classic') return await classic.call(this, run);
			const client = await run.client();
			const origin = portalOrigin(client);
			if (knownClassic(this, origin)) {
				hint(
					this,
					'Used the classic API: this Bitrix24 portal answered earlier that it has no REST 3.0 task results (remembered for 15 minutes). Set API Version to Classic to make this permanent.',
				);
				return await classic.call(this, run);
			}
			let thrown: unknown;
			client.stopV3WhenMissing = true;
			try {
				await v3.execute.call(this, run);
			} catch (error) {
				thrown = error;
			} finally {
				client.stopV3WhenMissing = false;
			}
			if (!client.v3MethodMissing || client.answered.v3) {
				if (thrown !== undefined) throw thrown;
				return;
			}
			for (const { itemIndex } of run.items) run.outcomes.delete(itemIndex);
			rememberClassic(this, origin, false);
			hint(
				this,
				'This Bitrix24 portal has no REST 3.0 task results (it answered that the method does not exist; they need the tasks module 26.0.0 or later), so the node used the classic API: Get Many, Delete of results made from a task comment, and Create From Comment work there. Remembered for this portal for 15 minutes; set API Version to Classic to skip the REST 3.0 attempt.',
			);
			try {
				await classic.call(this, run);
			} finally {
				// only a portal that answered over the classic API is remembered across executions
				if (client.answered.v2) rememberClassic(this, origin, true);
			}
		},
	};
}
