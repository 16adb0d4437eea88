import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { Bitrix24Client, type AuthenticationType } from '../transport';

const label = (value: unknown): string | undefined => {
	if (typeof value === 'string' && value.trim()) return value.trim();
	if (value && typeof value === 'object')
		return Object.values(value as IDataObject).find(
			(text): text is string => typeof text === 'string' && text.trim() !== '',
		);
	return undefined;
};

/**
 * Custom task fields (`UF_*`) of the portal. REST 3.0 has no user fields in its task schema
 * (reference tasks-v3 §4), so they come from the classic `task.item.userfield.getlist` (scope `task`).
 */
export async function getTaskCustomFields(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const authentication = this.getNodeParameter('authentication', 'webhook') as AuthenticationType;
	const client = await Bitrix24Client.connect(this, authentication);
	const { result } = await client.call({ api: 'v2', method: 'task.item.userfield.getlist' });
	return (Array.isArray(result) ? (result as IDataObject[]) : [])
		.filter((field) => /^UF_/i.test(String(field.FIELD_NAME ?? '')))
		.map((field) => {
			const name = String(field.FIELD_NAME);
			return {
				name: label(field.EDIT_FORM_LABEL) ?? label(field.LIST_COLUMN_LABEL) ?? name,
				value: name,
				description: `${name} (${String(field.USER_TYPE_ID ?? 'value')})`,
			};
		})
		.sort((a, b) => a.name.localeCompare(b.name));
}
