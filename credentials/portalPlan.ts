import type { INodeProperties } from 'n8n-workflow';

/** Shared by both credentials: the portal's request-rate limits, which the node respects client-side. */
export const portalPlanProperties: INodeProperties[] = [
	{
		displayName: 'Portal Plan',
		name: 'portalPlan',
		type: 'options',
		default: 'standard',
		description:
			'Bitrix24 limits requests per portal. The node paces its requests to stay within the plan\u2019s limit, shared by every workflow in this n8n process.',
		options: [
			{ name: 'Standard (2 Requests/s, Burst 50)', value: 'standard' },
			{ name: 'Enterprise (5 Requests/s, Burst 250)', value: 'enterprise' },
			{ name: 'Custom', value: 'custom' },
			{ name: 'No Limit (Self-Hosted Portal Without Limits)', value: 'none' },
		],
	},
	{
		displayName: 'Requests per Second',
		name: 'customDrainRate',
		type: 'number',
		default: 2,
		typeOptions: { minValue: 0.1, numberPrecision: 2 },
		displayOptions: { show: { portalPlan: ['custom'] } },
	},
	{
		displayName: 'Burst',
		name: 'customBurst',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'How many requests the portal accepts at once before throttling',
		displayOptions: { show: { portalPlan: ['custom'] } },
	},
];
