/* eslint-disable @n8n/community-nodes/no-restricted-imports */
// first: n8n-core must never see the user's real n8n home
import './userFolder';

import http from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { HookContext, WebhookContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
	IWebhookData,
	IWorkflowExecuteAdditionalData,
	WorkflowActivateMode,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { Bitrix24TasksEventTrigger } from '../../nodes/Bitrix24TasksEventTrigger/Bitrix24TasksEventTrigger.node';
import { TestCredentialsHelper } from './engine';

const TYPE = 'n8n-nodes-bitrix24-tasks.bitrix24TasksEventTrigger';
const nodeType = new Bitrix24TasksEventTrigger();

class EventTriggerTypes implements INodeTypes {
	getByName(): INodeType | IVersionedNodeType {
		return nodeType;
	}

	getByNameAndVersion(_name: string, version?: number) {
		return NodeHelpers.getVersionedNodeType(nodeType, version);
	}

	getKnownTypes() {
		return {};
	}
}

/**
 * An active Bitrix24 Tasks Event Trigger served like n8n serves a production webhook: an HTTP server
 * on 127.0.0.1 that parses form bodies flat with `querystring` (as n8n's body parser does), runs the
 * node's webhook() in n8n-core's real WebhookContext, and answers as n8n does for responseMode
 * onReceived. The lifecycle methods run in n8n-core's real HookContext.
 */
export class EventTriggerHarness {
	readonly credentials: TestCredentialsHelper;
	readonly node: INode;
	readonly workflow: Workflow;
	/** the items of every execution the webhook started */
	readonly executions: IDataObject[][] = [];
	/** every error webhook() threw (answered with 500) */
	readonly errors: unknown[] = [];
	private server: http.Server | undefined;
	private baseUrl = 'http://127.0.0.1:1/webhook';

	constructor(
		parameters: IDataObject,
		credentials: Record<string, IDataObject>,
		auth: 'webhook' | 'oAuth2' = 'webhook',
	) {
		const credentialType = auth === 'oAuth2' ? 'bitrix24OAuth2Api' : 'bitrix24WebhookApi';
		this.node = {
			id: 'event-trigger-1',
			name: 'Bitrix24 Tasks Event Trigger',
			type: TYPE,
			typeVersion: 1,
			position: [0, 0],
			webhookId: 'b24-hook-0001',
			parameters: { authentication: auth, ...parameters },
			credentials: { [credentialType]: { id: `cred-${auth}`, name: `Bitrix24 ${auth}` } },
		};
		this.credentials = new TestCredentialsHelper(
			structuredClone(credentials) as Record<string, ICredentialDataDecryptedObject>,
		);
		this.workflow = new Workflow({
			id: 'wf-events',
			nodes: [this.node],
			connections: {},
			nodeTypes: new EventTriggerTypes(),
			active: true,
			settings: {},
		});
	}

	/**
	 * The workflow as n8n saves and exports it: every node with its parameters completed from the node
	 * description (as the editor stores them) and its credential references.
	 */
	exportedWorkflowJson(): string {
		const nodes = Object.values(this.workflow.nodes).map((node) => ({
			...node,
			parameters: NodeHelpers.getNodeParameters(
				nodeType.description.properties,
				node.parameters,
				true,
				false,
				node,
				nodeType.description,
			),
		}));
		return JSON.stringify({ id: this.workflow.id, nodes, connections: {} });
	}

	/** The production URL n8n shows for this node. */
	get url(): string {
		return `${this.baseUrl}/${this.node.webhookId}/webhook`;
	}

	private additionalData(extra: IDataObject = {}): IWorkflowExecuteAdditionalData {
		return {
			executionId: undefined,
			userId: 'test-user',
			credentialsHelper: this.credentials,
			variables: {},
			webhookBaseUrl: this.baseUrl,
			webhookTestBaseUrl: `${this.baseUrl}-test`,
			instanceBaseUrl: 'http://127.0.0.1/',
			restApiUrl: 'http://127.0.0.1/rest',
			formWaitingBaseUrl: 'http://127.0.0.1/f',
			webhookWaitingBaseUrl: 'http://127.0.0.1/w',
			currentNodeParameters: undefined,
			executionContext: undefined,
			...extra,
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	async listen(): Promise<void> {
		this.server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				void this.serve(req, res, Buffer.concat(chunks).toString('utf8'));
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		const address = this.server.address();
		const port = typeof address === 'object' && address ? address.port : 0;
		this.baseUrl = `http://127.0.0.1:${port}/webhook`;
	}

	async close(): Promise<void> {
		await new Promise<void>((resolve) =>
			this.server ? this.server.close(() => resolve()) : resolve(),
		);
	}

	private async serve(req: http.IncomingMessage, res: http.ServerResponse, raw: string) {
		if (
			req.method !== 'POST' ||
			new URL(req.url ?? '/', 'http://x').pathname !== new URL(this.url).pathname
		) {
			res.writeHead(404).end();
			return;
		}
		const type = String(req.headers['content-type'] ?? '');
		(req as unknown as { body: unknown }).body = type.includes('x-www-form-urlencoded')
			? { ...parseQuery(raw, '&', '=', { maxKeys: 1000 }) }
			: raw
				? (JSON.parse(raw) as unknown)
				: {};
		const webhookData = {
			httpMethod: 'POST',
			node: this.node.name,
			path: 'webhook',
			webhookDescription: nodeType.description.webhooks![0],
			workflowId: this.workflow.id,
		} as unknown as IWebhookData;
		const context = new WebhookContext(
			this.workflow,
			this.node,
			this.additionalData({ httpRequest: req, httpResponse: res }),
			'webhook',
			webhookData,
			[],
			null,
		);
		try {
			const answer = await nodeType.webhook.call(context);
			if (answer.noWebhookResponse) return;
			if (answer.workflowData) {
				this.executions.push(answer.workflowData[0].map((item) => item.json));
				res.writeHead(200, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ message: 'Workflow was started' }));
				return;
			}
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(answer.webhookResponse ?? { message: 'Webhook call received' }));
		} catch (error) {
			this.errors.push(error);
			res.writeHead(500).end((error as Error).message);
		}
	}

	/** A webhook lifecycle method, as n8n runs it on activation (checkExists, then create) and deactivation. */
	async hook(
		method: 'checkExists' | 'create' | 'delete',
		activation: WorkflowActivateMode = 'activate',
	): Promise<boolean> {
		const context = new HookContext(
			this.workflow,
			this.node,
			this.additionalData(),
			method === 'delete' ? 'internal' : 'trigger',
			method === 'delete' ? 'update' : activation,
		);
		return await nodeType.webhookMethods.default[method].call(context);
	}

	/** n8n's activation: create only when checkExists says the registration is missing. */
	async activate(activation: WorkflowActivateMode = 'activate'): Promise<void> {
		if (!(await this.hook('checkExists', activation))) await this.hook('create', activation);
	}
}
