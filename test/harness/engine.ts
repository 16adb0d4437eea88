// first: n8n-core must never see the user's real n8n home
import './userFolder';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	Workflow as WorkflowType,
} from 'n8n-workflow';
import {
	createRunExecutionData,
	ICredentialsHelper,
	LoggerProxy,
	NodeConnectionTypes,
	NodeHelpers,
	Workflow,
} from 'n8n-workflow';

import { Bitrix24OAuth2Api } from '../../credentials/Bitrix24OAuth2Api.credentials';
import { Bitrix24WebhookApi } from '../../credentials/Bitrix24WebhookApi.credentials';
import { Bitrix24Tasks } from '../../nodes/Bitrix24Tasks/Bitrix24Tasks.node';

/** Pass-through stand-in for n8n-nodes-base.manualTrigger: emits the items the test puts on it. */
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool -- a trigger stand-in, never a tool
class Start implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Start',
		name: 'start',
		group: ['input'],
		version: 1,
		description: 'pass-through',
		defaults: { name: 'Start' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

class MapNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(name: string) {
		return this.types[name];
	}

	getByNameAndVersion(name: string, version?: number) {
		return NodeHelpers.getVersionedNodeType(this.types[name], version);
	}

	getKnownTypes() {
		return {};
	}
}

const node = new Bitrix24Tasks();
export const nodeTypes = new MapNodeTypes({
	'n8n-nodes-base.manualTrigger': new Start(),
	'n8n-nodes-bitrix24-tasks.bitrix24Tasks': node,
	'CUSTOM.bitrix24Tasks': node,
});

export const credentialTypes: Record<string, ICredentialType> = {
	bitrix24WebhookApi: new Bitrix24WebhookApi(),
	bitrix24OAuth2Api: new Bitrix24OAuth2Api(),
};

/** The defaults n8n fills in for fields a saved credential leaves out (plain values only). */
function withDefaults(
	type: string,
	data: ICredentialDataDecryptedObject,
): ICredentialDataDecryptedObject {
	const out: ICredentialDataDecryptedObject = {};
	for (const property of credentialTypes[type]?.properties ?? []) {
		const value = property.default;
		if (typeof value === 'string' && value.startsWith('=')) continue;
		out[property.name] = value as ICredentialDataDecryptedObject[string];
	}
	return { ...out, ...data };
}

/** Stores credentials in memory and authenticates like n8n's CLI does (function or generic `authenticate`). */
export class TestCredentialsHelper extends ICredentialsHelper {
	/** every token set n8n persisted after a refresh, in order */
	readonly savedTokens: Array<{ type: string; data: ICredentialDataDecryptedObject }> = [];

	readonly data: Record<string, ICredentialDataDecryptedObject>;

	constructor(data: Record<string, IDataObject>) {
		super();
		this.data = data as Record<string, ICredentialDataDecryptedObject>;
	}

	getParentTypes(name: string): string[] {
		return credentialTypes[name]?.extends ?? [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow: WorkflowType,
		nodeRef: INode,
	): Promise<IHttpRequestOptions> {
		const authenticate = credentialTypes[typeName]?.authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!authenticate) return requestOptions;
		const request = requestOptions as unknown as Record<string, IDataObject>;
		for (const [outer, values] of Object.entries(authenticate.properties ?? {})) {
			for (const [key, value] of Object.entries(values as IDataObject)) {
				request[outer] ??= {};
				request[outer][key] = String(
					workflow.expression.getSimpleParameterValue(
						nodeRef,
						value as string,
						'internal',
						{ $credentials: credentials },
						undefined,
						'',
					),
				);
			}
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used by the engine in these tests');
	}

	async getDecrypted(
		_additionalData: unknown,
		_nodeCredentials: unknown,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		if (!this.data[type]) throw new Error(`No test credentials of type ${type}`);
		return structuredClone(withDefaults(type, this.data[type]));
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: unknown,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.savedTokens.push({ type, data: structuredClone(data) });
		this.data[type] = { ...this.data[type], oauthTokenData: data.oauthTokenData };
	}

	getCredentialsProperties(type: string) {
		return credentialTypes[type]?.properties ?? [];
	}
}

/** Every log line the engine and the node wrote during the tests (scanned for secrets). */
export const logLines: string[] = [];
const capture =
	(level: string) =>
	(message: string, meta?: object): void => {
		logLines.push(`${level} ${message} ${meta ? JSON.stringify(meta) : ''}`);
	};
LoggerProxy.init({
	error: capture('error'),
	warn: capture('warn'),
	info: capture('info'),
	debug: capture('debug'),
});

export interface EngineRun {
	run: IRun;
	credentials: TestCredentialsHelper;
	/** output items of a node's first run, main output `index` */
	output(nodeName: string, index?: number): INodeExecutionData[];
	/** the error that stopped the workflow, if any */
	error: IRun['data']['resultData']['error'];
}

export interface RunOptions {
	/** items the Start node emits (default one empty item) */
	items?: IDataObject[];
	credentials?: Record<string, IDataObject>;
	/** share one credential store between runs, as executions of one n8n instance share its database */
	credentialsHelper?: TestCredentialsHelper;
	/** the execution's id (default '1'), for what the node remembers per execution */
	executionId?: string;
}

/** Runs a workflow (n8n JSON) inside n8n-core's real WorkflowExecute. */
export async function runWorkflow(
	workflowJson: { nodes: unknown[]; connections: object },
	options: RunOptions = {},
): Promise<EngineRun> {
	const workflow = new Workflow({
		id: 'test',
		nodes: structuredClone(workflowJson.nodes) as INode[],
		connections: structuredClone(workflowJson.connections) as IWorkflowBase['connections'],
		nodeTypes,
		active: false,
		settings: {},
	});
	const hooks = new ExecutionLifecycleHooks('manual', '1', {
		id: 'test',
		name: 'test',
		...workflowJson,
	} as unknown as IWorkflowBase);
	const done = new Promise<IRun>((resolve) =>
		hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)),
	);
	const credentials =
		options.credentialsHelper ??
		new TestCredentialsHelper(
			structuredClone(options.credentials ?? {}) as Record<string, ICredentialDataDecryptedObject>,
		);
	// A plain object, not a deep mock: keys the engine reads but we do not set must stay undefined.
	const additionalData = {
		executionId: options.executionId ?? '1',
		userId: 'test-user',
		restartExecutionId: undefined,
		currentNodeParameters: undefined,
		evalLlmMockHandler: undefined,
		ssrfBridge: undefined,
		encryptedRunnerIdentity: undefined,
		otel: undefined,
		'oauth-jwe': undefined,
		webhookWaitingBaseUrl: 'http://localhost/w',
		formWaitingBaseUrl: 'http://localhost/f',
		instanceBaseUrl: 'http://localhost/',
		restApiUrl: 'http://localhost/rest',
		webhookBaseUrl: 'http://localhost/webhook',
		webhookTestBaseUrl: 'http://localhost/webhook-test',
		evaluationRunId: undefined,
		variables: {},
		hooks,
		credentialsHelper: credentials,
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not available in the test engine');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
		startRunnerTask: async () => {
			throw new Error('task runners are not available in the test engine');
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	const start =
		workflow.nodes[
			Object.keys(workflow.nodes).find(
				(name) => workflow.nodes[name].type === 'n8n-nodes-base.manualTrigger',
			)!
		];
	const items = (options.items ?? [{}]).map((json) => ({ json }));
	const runData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: start, data: { main: [items] }, source: null }] },
	});
	await new WorkflowExecute(additionalData, 'manual', runData).processRunExecutionData(workflow);
	const run = await done;
	return {
		run,
		credentials,
		error: run.data.resultData.error,
		output(nodeName: string, index = 0) {
			const taskData = run.data.resultData.runData[nodeName]?.[0];
			return taskData?.data?.main?.[index] ?? [];
		},
	};
}

/** A two-node workflow: manual trigger → Bitrix24 Tasks with the given parameters. */
export function singleNodeWorkflow(
	parameters: IDataObject,
	options: {
		credential?: 'webhook' | 'oAuth2';
		continueOnFail?: boolean;
		onError?: INode['onError'];
	} = {},
): Pick<IWorkflowBase, 'nodes' | 'connections'> {
	const auth = options.credential ?? 'webhook';
	const credentialType = auth === 'oAuth2' ? 'bitrix24OAuth2Api' : 'bitrix24WebhookApi';
	const taskNode: INode = {
		id: 'b24',
		name: 'Bitrix24 Tasks',
		type: 'n8n-nodes-bitrix24-tasks.bitrix24Tasks',
		typeVersion: 1,
		position: [200, 0],
		parameters: { authentication: auth, resource: 'taskResult', ...parameters },
		credentials: { [credentialType]: { id: `cred-${auth}`, name: `Bitrix24 ${auth}` } },
	};
	if (options.continueOnFail) taskNode.continueOnFail = true;
	if (options.onError) taskNode.onError = options.onError;
	return {
		nodes: [
			{
				id: 'start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			taskNode,
		],
		connections: {
			Start: { main: [[{ node: 'Bitrix24 Tasks', type: NodeConnectionTypes.Main, index: 0 }]] },
		},
	};
}
