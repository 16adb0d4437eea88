import { mock } from 'jest-mock-extended';
import { LoadOptionsContext } from 'n8n-core';
import type { IDataObject, INode, IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { nodeTypes, TestCredentialsHelper } from '../harness/engine';

/**
 * The context n8n gives a node's `methods.listSearch` when the editor opens a resource locator list:
 * n8n-core's own LoadOptionsContext for an unsaved node, with the test credentials helper.
 */
export function loadOptionsContext(
	parameters: IDataObject,
	credentials: Record<string, IDataObject>,
): LoadOptionsContext {
	const node: INode = {
		id: 'b24',
		name: 'Bitrix24 Tasks',
		type: 'n8n-nodes-bitrix24-tasks.bitrix24Tasks',
		typeVersion: 1,
		position: [0, 0],
		parameters: { authentication: 'webhook', resource: 'taskResult', ...parameters },
		credentials: { bitrix24WebhookApi: { id: 'cred-webhook', name: 'Bitrix24 webhook' } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
		settings: {},
	});
	const additionalData = (mock as (init: object) => unknown)({
		executionId: undefined,
		currentNodeParameters: node.parameters,
		evalLlmMockHandler: undefined,
		ssrfBridge: undefined,
		encryptedRunnerIdentity: undefined,
		otel: undefined,
		'oauth-jwe': undefined,
		executionContext: undefined,
		variables: {},
	}) as IWorkflowExecuteAdditionalData;
	additionalData.credentialsHelper = new TestCredentialsHelper(structuredClone(credentials));
	return new LoadOptionsContext(workflow, node, additionalData, 'parameters.taskId');
}
