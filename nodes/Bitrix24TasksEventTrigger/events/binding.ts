import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { Bitrix24Client, type AuthenticationType } from '../../Bitrix24Tasks/transport';
import { requireApplicationToken } from './applicationToken';

/** What the trigger bound, kept in the node's static data so deactivation unbinds exactly that. */
interface BindingState {
	handler?: string;
	events?: string[];
}

function isOAuth(ctx: IHookFunctions): boolean {
	return (ctx.getNodeParameter('authentication', 'webhook') as AuthenticationType) === 'oAuth2';
}

function handlerUrl(ctx: IHookFunctions): string {
	const url = ctx.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(ctx.getNode(), 'n8n gave no webhook URL for this trigger');
	return url;
}

function chosenEvents(ctx: IHookFunctions): string[] {
	return (ctx.getNodeParameter('events', []) as string[]).map((event) => event.toUpperCase());
}

async function connect(ctx: IHookFunctions): Promise<Bitrix24Client> {
	return await Bitrix24Client.connect(ctx, 'oAuth2');
}

/** `event.get`: the app's handlers, as `EVENT|handler` keys. */
async function boundHandlers(client: Bitrix24Client): Promise<Set<string>> {
	const { result } = await client.call({ api: 'v2', method: 'event.get' });
	const rows = Array.isArray(result) ? (result as IDataObject[]) : [];
	return new Set(rows.map((row) => `${String(row.event).toUpperCase()}|${String(row.handler)}`));
}

/** Bitrix24 refuses a second identical binding ("Handler already binded"; reference §3.2, two codes seen). */
function alreadyBound(code: string, message: string): boolean {
	return (
		code === 'ERROR_EVENT_BINDING_EXISTS' ||
		(code === 'ERROR_CORE' && /already binded/i.test(message))
	);
}

/** Asks the portal (never trusts stored state): every chosen event is bound to this URL. */
export async function checkExists(this: IHookFunctions): Promise<boolean> {
	await requireApplicationToken(this);
	if (!isOAuth(this)) return true; // an outgoing webhook is set up by hand in Bitrix24
	const url = handlerUrl(this);
	const bound = await boundHandlers(await connect(this));
	return chosenEvents(this).every((event) => bound.has(`${event}|${url}`));
}

export async function create(this: IHookFunctions): Promise<boolean> {
	await requireApplicationToken(this);
	if (!isOAuth(this)) return true;
	const url = handlerUrl(this);
	const parsed = new URL(url);
	if (!parsed.hostname.includes('.') || parsed.hostname === 'localhost') {
		throw new NodeOperationError(this.getNode(), `Bitrix24 cannot call ${parsed.host}`, {
			description:
				'Bitrix24 accepts only handler URLs with a public host name. Set WEBHOOK_URL of n8n to its public address.',
		});
	}
	const client = await connect(this);
	const events = chosenEvents(this);
	for (const event of events) {
		const outcome = await client.tryCall({
			api: 'v2',
			method: 'event.bind',
			body: { event, handler: url },
		});
		if (
			!outcome.ok &&
			!alreadyBound(outcome.failure.code, outcome.failure.detail ?? outcome.error.message)
		)
			throw outcome.error;
	}
	const state = this.getWorkflowStaticData('node') as BindingState;
	state.handler = url;
	state.events = events;
	return true;
}

export async function remove(this: IHookFunctions): Promise<boolean> {
	if (!isOAuth(this)) return true;
	const state = this.getWorkflowStaticData('node') as BindingState;
	const url = state.handler ?? handlerUrl(this);
	const events = state.events ?? chosenEvents(this);
	const client = await connect(this);
	let allGone = true;
	for (const event of events) {
		const outcome = await client.tryCall({
			api: 'v2',
			method: 'event.unbind',
			body: { event, handler: url },
		});
		if (!outcome.ok) {
			this.logger.warn(
				`Bitrix24 Tasks Event Trigger: unbinding ${event} failed: ${outcome.error.message}`,
			);
			allGone = false;
		}
	}
	if (allGone) {
		delete state.handler;
		delete state.events;
	}
	return allGone;
}
