// first: n8n-core must never see the user's real n8n home
import './userFolder';

import { PollContext, TriggersAndPollers } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	WorkflowActivateMode,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { Bitrix24TasksTrigger } from '../../nodes/Bitrix24TasksTrigger/Bitrix24TasksTrigger.node';
import { TestCredentialsHelper } from './engine';

const TYPE = 'n8n-nodes-bitrix24-tasks.bitrix24TasksTrigger';

class TriggerTypes implements INodeTypes {
	private readonly types: Record<string, INodeType | IVersionedNodeType> = {
		[TYPE]: new Bitrix24TasksTrigger(),
	};

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

export interface PollOutcome {
	/** what poll() returned: the items of one execution, or null */
	items: IDataObject[] | null;
	error?: Error;
}

/**
 * An active Bitrix24 Tasks Trigger as n8n runs it: n8n-core's real PollContext (credentials resolved
 * runless, real request helpers) and TriggersAndPollers.runPollFunction, on a Workflow that holds the
 * node's static data. `restart()` saves the static data as JSON and loads it into a new Workflow, as
 * n8n does through its database between processes.
 */
export class PollHarness {
	readonly credentials: TestCredentialsHelper;
	private workflow: Workflow;
	private readonly pollers = new TriggersAndPollers();
	readonly node: INode;
	/** the static data last saved (as n8n saves it after an emitting poll and after activation) */
	saved: IDataObject = {};

	constructor(
		parameters: IDataObject,
		credentials: Record<string, IDataObject>,
		auth: 'webhook' | 'oAuth2' = 'webhook',
	) {
		const credentialType = auth === 'oAuth2' ? 'bitrix24OAuth2Api' : 'bitrix24WebhookApi';
		this.node = {
			id: 'trigger-1',
			name: 'Bitrix24 Tasks Trigger',
			type: TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				pollTimes: { item: [{ mode: 'everyMinute' }] },
				authentication: auth,
				...parameters,
			},
			credentials: { [credentialType]: { id: `cred-${auth}`, name: `Bitrix24 ${auth}` } },
		};
		this.credentials = new TestCredentialsHelper(
			structuredClone(credentials) as Record<string, ICredentialDataDecryptedObject>,
		);
		this.workflow = this.load({});
	}

	private load(staticData: IDataObject): Workflow {
		return new Workflow({
			id: 'wf-trigger',
			nodes: [structuredClone(this.node)],
			connections: {},
			nodeTypes: new TriggerTypes(),
			active: true,
			settings: {},
			staticData: structuredClone(staticData),
		});
	}

	private additionalData(): IWorkflowExecuteAdditionalData {
		return {
			executionId: undefined,
			userId: 'test-user',
			credentialsHelper: this.credentials,
			variables: {},
			webhookBaseUrl: 'http://localhost/webhook',
			webhookTestBaseUrl: 'http://localhost/webhook-test',
			instanceBaseUrl: 'http://localhost/',
			restApiUrl: 'http://localhost/rest',
			formWaitingBaseUrl: 'http://localhost/f',
			webhookWaitingBaseUrl: 'http://localhost/w',
			currentNodeParameters: undefined,
			executionContext: undefined,
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	/** The node's static data as the running workflow holds it now. */
	get staticData(): IDataObject {
		return JSON.parse(
			JSON.stringify(this.workflow.getStaticData('node', this.node)),
		) as IDataObject;
	}

	/**
	 * One poll. `trigger` = a tick of the active workflow (the first with activation `activate`);
	 * `manual` = "Fetch Test Event". Like n8n, static data is saved after an emitting poll and after
	 * the activation poll; a poll that returns null in a later tick is not saved.
	 */
	async poll(
		mode: 'trigger' | 'manual' = 'trigger',
		activation: WorkflowActivateMode = 'activate',
	): Promise<PollOutcome> {
		const node = this.workflow.getNode(this.node.name)!;
		const context = new PollContext(
			this.workflow,
			node,
			this.additionalData(),
			mode,
			mode === 'manual' ? 'manual' : activation,
			() => {},
			() => {},
		);
		try {
			const result: INodeExecutionData[][] | null = await this.pollers.runPollFunction(
				this.workflow,
				node,
				context,
			);
			const items = result ? result[0].map((item) => item.json) : null;
			if (mode !== 'manual' && (items || activation === 'activate')) this.save();
			return { items };
		} catch (error) {
			return { items: null, error: error as Error };
		}
	}

	/** n8n's saveStaticData: what the workflow holds now is written to the database. */
	save(): void {
		const data = JSON.parse(JSON.stringify(this.workflow.staticData)) as IDataObject;
		delete data.__dataChanged;
		this.saved = data;
	}

	/** A restart of n8n: the workflow is loaded again from the saved static data. */
	restart(): void {
		this.workflow = this.load(this.saved);
	}
}
