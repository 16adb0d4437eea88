import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { Bitrix24Client } from '../../transport';
import { taskLocator } from '../taskLocator.description';

/** The Task picker of the Task resource's operations. */
export const taskIdField = (description: string): INodeProperties => ({
	...taskLocator,
	description,
});

const callers = new WeakMap<Bitrix24Client, Promise<number>>();

/**
 * The ID of the user behind the credential: a webhook names it in its URL; for OAuth2 the portal's
 * `profile` method (no scope needed) tells, once per run.
 */
export async function callerUserId(client: Bitrix24Client, itemIndex: number): Promise<number> {
	const fromWebhook = Number(client.connection.webhook?.userId);
	if (fromWebhook > 0) return fromWebhook;
	let caller = callers.get(client);
	if (!caller) {
		caller = client
			.call({ api: 'v2', method: 'profile' }, itemIndex)
			.then(({ result }) => Number((result as IDataObject | null)?.ID));
		callers.set(client, caller);
	}
	return await caller;
}

/** `result.result === true`: the portal's confirmation of an update, delete, attach or chat message. */
export function confirmed(result: unknown): boolean {
	return (result as IDataObject | null)?.result === true;
}

/** The classic API writes `UF_ORDER_NO` and answers it as `ufOrderNo`. */
function classicKey(name: string): string {
	const [first, ...rest] = name.toLowerCase().split('_');
	return first + rest.map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

/**
 * Sets custom fields (`UF_*`) with the classic `tasks.task.update` (scope `task`): REST 3.0 has no
 * user fields. Returns the values the portal's answer holds (a field it does not know is left out);
 * a failure names the task, which exists by then.
 */
export async function setCustomFields(
	client: Bitrix24Client,
	taskId: number,
	values: IDataObject,
	itemIndex: number,
): Promise<IDataObject> {
	if (Object.keys(values).length === 0) return {};
	const outcome = await client.tryCall(
		{ api: 'v2', method: 'tasks.task.update', body: { taskId, fields: values }, write: true },
		itemIndex,
	);
	if (!outcome.ok) {
		const { error } = outcome;
		error.description = `Task ${taskId} was saved, but its custom fields were not set.\n\n${error.description ?? ''}`;
		throw error;
	}
	const task = ((outcome.result as IDataObject | null)?.task ?? {}) as IDataObject;
	const stored: IDataObject = {};
	for (const name of Object.keys(values)) {
		const value = task[name] ?? task[classicKey(name)];
		if (value !== undefined) stored[name] = value;
	}
	return stored;
}
