import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { Bitrix24Client, type AuthenticationType } from '../../Bitrix24Tasks/transport';
import { configuredApplicationToken } from './applicationToken';
import { sameSecret, unflatten } from './formBody';

/** Numbers for IDs (Bitrix24 sends every value as a string); the string "undefined" for a missing part. */
function toId(value: unknown): number | undefined {
	const id = Number(value);
	return value !== undefined && value !== '' && Number.isInteger(id) && id >= 0 ? id : undefined;
}

function fields(part: unknown): IDataObject | null {
	if (!part || typeof part !== 'object') return null;
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(part as IDataObject)) out[key] = toId(value) ?? value;
	return out;
}

/** The event as the workflow sees it: ids as numbers, no tokens (only the portal's public identity). */
export function eventItem(body: IDataObject): IDataObject {
	const data = (body.data ?? {}) as IDataObject;
	const before = fields(data.FIELDS_BEFORE);
	const after = fields(data.FIELDS_AFTER);
	const auth = (body.auth ?? {}) as IDataObject;
	const comment = String(body.event).toUpperCase().startsWith('ONTASKCOMMENT');
	const item: IDataObject = {
		event: String(body.event ?? '').toUpperCase(),
		taskId: comment
			? (toId(after?.TASK_ID) ?? toId(before?.TASK_ID))
			: (toId(after?.ID) ?? toId(before?.ID)),
	};
	if (comment) {
		item.commentId = toId(after?.ID ?? before?.ID);
		if (after?.MESSAGE_ID !== undefined) item.messageId = toId(after.MESSAGE_ID);
	}
	Object.assign(item, {
		fieldsBefore: before,
		fieldsAfter: after,
		isAccessibleBefore: data.IS_ACCESSIBLE_BEFORE ?? null,
		isAccessibleAfter: data.IS_ACCESSIBLE_AFTER ?? null,
		eventHandlerId: toId(body.event_handler_id) ?? null,
		ts: toId(body.ts) ?? null,
		portal: typeof auth.domain === 'string' ? auth.domain : null,
		memberId: typeof auth.member_id === 'string' ? auth.member_id : null,
	});
	return item;
}

/**
 * One call from Bitrix24: the application token is checked first against the credential's (a forged
 * or missing one, or any call while the credential has none, gets 401 and starts nothing), then the
 * event filter (others are acknowledged with 200 and ignored).
 */
export async function receiveTaskEvent(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const body = unflatten(this.getBodyData());
	const expected = await configuredApplicationToken(this);
	const given = ((body.auth ?? {}) as IDataObject).application_token;
	if (!sameSecret(given, expected)) {
		const response = this.getResponseObject();
		response.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' });
		response.end('Unauthorized');
		return { noWebhookResponse: true };
	}
	const events = this.getNodeParameter('events', []) as string[];
	const item = eventItem(body);
	if (!events.includes(String(item.event))) return { webhookResponse: 'OK' };

	const options = this.getNodeParameter('options', {}) as IDataObject;
	if (options.fetchTask === true && item.event !== 'ONTASKDELETE' && item.taskId !== undefined) {
		const authentication = this.getNodeParameter('authentication', 'webhook') as AuthenticationType;
		const client = await Bitrix24Client.connect(this, authentication);
		const outcome = await client.tryCall({
			api: 'v2',
			method: 'tasks.task.get',
			body: { taskId: item.taskId },
		});
		if (outcome.ok)
			item.task = ((outcome.result as IDataObject | null)?.task ?? null) as IDataObject;
		else {
			item.task = null;
			item.taskError = outcome.error.message;
		}
	}
	return { workflowData: [this.helpers.returnJsonArray([item])] };
}
