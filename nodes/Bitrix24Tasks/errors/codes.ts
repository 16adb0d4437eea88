/**
 * The one table of Bitrix24 error codes: what the user sees, how to fix it, and whether the
 * transport may retry. Sources: bitrix24-rest.md §6.2 (system codes), §6.3 (REST 3.0 codes), §6.4.
 * Keys are matched exactly first, then upper-cased (the docs spell some codes in lower case). A key
 * `<code>: <message>` is one message of a code that Bitrix24 uses for several errors (the classic `0`);
 * it wins over the bare code when the portal's message is exactly that.
 */
export type RetryClass =
	/** leaky-bucket overflow: back off and retry any method */
	| 'rateLimit'
	/** operating (execution-time) limit: wait for the reset time if it is near, else fail */
	| 'operatingLimit'
	/** server or network fault: retry reads, and writes that carry an Idempotency-Key */
	| 'transient'
	/** OAuth access token expired: refresh once and retry once (never for webhooks) */
	| 'tokenExpired'
	| 'never';

export interface ErrorSpec {
	message: string;
	hint: string;
	retry: RetryClass;
}

const V3 = 'BITRIX_REST_V3_EXCEPTION_';

/** REST 3.0 "access denied": 401 when the auth failed, 403 when the caller may not touch the entity (or it is gone) */
export const V3_ACCESS_DENIED = `${V3}ACCESSDENIEDEXCEPTION`;

/** The portal does not know the method: no REST 3.0 at all, or no REST 3.0 task results (reference §11) */
export function isMethodNotFound(code: string): boolean {
	return code === 'ERROR_METHOD_NOT_FOUND' || code === `${V3}METHODNOTFOUNDEXCEPTION`;
}

const CONTACT_SUPPORT =
	'This is a fault on the Bitrix24 side. Try again later; if it persists, contact Bitrix24 support.';
const CHECK_WEBHOOK =
	'Check the credential: for a webhook, copy the URL again from Bitrix24 (Developer resources → Other → Inbound webhook); for OAuth2, reconnect the credential. A webhook whose URL was published anywhere is blocked by Bitrix24 and must be recreated.';

export const ERROR_TABLE: Record<string, ErrorSpec> = {
	// System-wide codes (REST 2 and REST 3.0)
	INTERNAL_SERVER_ERROR: {
		message: 'Bitrix24 internal server error',
		hint: CONTACT_SUPPORT,
		retry: 'transient',
	},
	ERROR_UNEXPECTED_ANSWER: {
		message: 'Bitrix24 returned an unexpected response',
		hint: CONTACT_SUPPORT,
		retry: 'transient',
	},
	QUERY_LIMIT_EXCEEDED: {
		message: 'Too many requests to the Bitrix24 portal',
		hint: 'The portal rate limit (leaky bucket: 2 requests/s with a burst of 50, or 5/s and 250 on Enterprise) was exceeded. The node backs off and retries; if this still fails, lower the load on the portal, raise Max Retries, or set the correct Portal Plan on the credential.',
		retry: 'rateLimit',
	},
	OPERATION_TIME_LIMIT: {
		message: 'The Bitrix24 method is blocked by its operation time limit',
		hint: 'This method used more than its execution-time budget in the last 10 minutes for this webhook or app. Wait until the block lifts, spread the work over time, or raise "Max Wait for Operating Limit" in the node options.',
		retry: 'operatingLimit',
	},
	ERROR_BATCH_METHOD_NOT_ALLOWED: {
		message: 'This method is not allowed inside a Bitrix24 batch',
		hint: 'Turn off "Batch Requests" in the node options.',
		retry: 'never',
	},
	ERROR_BATCH_LENGTH_EXCEEDED: {
		message: 'The Bitrix24 batch has more than 50 commands',
		hint: 'This is a bug in the node: batches are limited to 50 commands. Turn off "Batch Requests" and report it.',
		retry: 'never',
	},
	NO_AUTH_FOUND: {
		message: 'Bitrix24 did not accept the authorization data',
		hint: CHECK_WEBHOOK,
		retry: 'never',
	},
	INVALID_REQUEST: {
		message: 'Bitrix24 requires HTTPS',
		hint: 'Use the https:// address of the portal in the credential.',
		retry: 'never',
	},
	OVERLOAD_LIMIT: {
		message: 'The Bitrix24 REST API is blocked for this webhook or app because of overload',
		hint: 'Bitrix24 support blocked this webhook or application manually. Retrying does not help: contact Bitrix24 support.',
		retry: 'never',
	},
	ACCESS_DENIED: {
		message: 'Bitrix24 denied access to the REST API',
		hint: 'REST API is available only on commercial Bitrix24 plans, and the webhook user must be allowed to use it. Check the plan and the user\u2019s permissions.',
		retry: 'never',
	},
	INVALID_CREDENTIALS: {
		message: 'Invalid Bitrix24 credentials',
		hint: 'The webhook or its user lacks permissions, or the webhook was blocked (for example because its URL was published). Check the user\u2019s permissions, or create a new webhook and paste its URL.',
		retry: 'never',
	},
	ERROR_MANIFEST_IS_NOT_AVAILABLE: {
		message: 'Bitrix24 manifest is not available',
		hint: 'The requested manifest does not exist on this portal.',
		retry: 'never',
	},
	insufficient_scope: {
		message: 'The Bitrix24 webhook or app lacks the required permission (scope)',
		hint: 'Edit the inbound webhook (or the app) in Bitrix24 and tick the "Tasks" permission: REST 3.0 task methods need the `tasks` scope, the classic ones `task`. Save, then run again.',
		retry: 'never',
	},
	expired_token: {
		message: 'The Bitrix24 access token has expired',
		hint: 'The node refreshes OAuth2 tokens automatically. If you see this, the refresh did not work: reconnect the credential.',
		retry: 'tokenExpired',
	},
	invalid_token: {
		message: 'The Bitrix24 access token is invalid or expired',
		hint: 'Reconnect the OAuth2 credential.',
		retry: 'tokenExpired',
	},
	user_access_error: {
		message: 'The Bitrix24 user has no access to this application',
		hint: 'The app is restricted to some users on the portal. Give the connecting user access to the application in Bitrix24, or connect as a user who has it.',
		retry: 'never',
	},
	PORTAL_DELETED: {
		message: 'The Bitrix24 portal was deleted',
		hint: 'The portal behind this credential no longer exists. Point the credential at an existing portal.',
		retry: 'never',
	},
	ERROR_METHOD_NOT_FOUND: {
		message: 'Bitrix24 method not found',
		hint: 'The portal does not know this method. Task results need REST 3.0 (`/rest/api/`) and the new task card: update the portal (self-hosted: the rest and tasks modules) and enable the new tasks. Also check that the webhook URL was copied completely.',
		retry: 'never',
	},
	WRONG_AUTH_TYPE: {
		message: 'This Bitrix24 method does not accept this type of authorization',
		hint: 'The method needs another authorization type (for example an OAuth2 application instead of a webhook). Switch the node\u2019s Authentication.',
		retry: 'never',
	},
	METHOD_CONFIRM_WAITING: {
		message: 'The Bitrix24 administrator has not yet confirmed this method for the app',
		hint: 'Ask a portal administrator to confirm the application\u2019s access to this method.',
		retry: 'never',
	},
	METHOD_CONFIRM_DENIED: {
		message: 'The Bitrix24 administrator denied this method for the app',
		hint: 'Ask a portal administrator to allow the application\u2019s access to this method.',
		retry: 'never',
	},
	PAYMENT_REQUIRED: {
		message: 'The Bitrix24 application requires payment',
		hint: 'Renew the application\u2019s subscription in Bitrix24 Market.',
		retry: 'never',
	},
	ERROR_CORE: {
		message: 'Bitrix24 rejected the request',
		hint: 'See the details below; they come from the Bitrix24 tasks module. "Action is not allowed" (4/TE/ACTION_NOT_ALLOWED): the user behind the credential may not do this to the task or its result.',
		retry: 'never',
	},
	ERROR_ARGUMENT: {
		message: 'Bitrix24 rejected an argument',
		hint: 'Check the field named in the details.',
		retry: 'never',
	},
	ERROR_NOT_FOUND: { message: 'Not found in Bitrix24', hint: 'Check the ID.', retry: 'never' },
	ERROR_OAUTH: {
		message: 'Bitrix24 OAuth error',
		hint: 'Reconnect the OAuth2 credential.',
		retry: 'never',
	},
	authorization_error: {
		message: 'Bitrix24 authorization error',
		hint: CHECK_WEBHOOK,
		retry: 'never',
	},
	APPLICATION_NOT_FOUND: {
		message: 'Bitrix24 application not found',
		hint: 'The application is not installed on this portal. Install it, then reconnect the credential.',
		retry: 'never',
	},
	CONNECTION_ERROR: {
		message: 'Bitrix24 connection error',
		hint: CONTACT_SUPPORT,
		retry: 'transient',
	},
	invalid_grant: {
		message: 'The Bitrix24 refresh token is no longer valid',
		hint: 'The OAuth2 credential must be reconnected (refresh tokens live 180 days and each refresh replaces the previous one).',
		retry: 'never',
	},
	invalid_client: {
		message: 'Bitrix24 did not accept the OAuth2 client ID or secret',
		hint: 'Copy the Client ID (application code) and Client Secret (application key) again from the app settings in Bitrix24.',
		retry: 'never',
	},

	// Classic (v2) task result methods (bitrix24-rest.md §3, §11): `0` carries several messages
	'0': {
		message: 'The Bitrix24 tasks module refused the request',
		hint: 'See the details below; they come from the classic task result methods.',
		retry: 'never',
	},
	'0: Access denied.': {
		message: 'Access denied by Bitrix24',
		hint: 'The user behind the credential has no access to the task, the task does not exist, or the comment belongs to another user (only its author, or a portal administrator, can make a comment a result or delete that result). Check the Task ID and the user\u2019s access to the task.',
		retry: 'never',
	},
	'0: Task not found.': {
		message: 'The Bitrix24 task was not found',
		hint: 'Check the Task ID: the task may have been deleted, or the user behind the credential cannot see it.',
		retry: 'never',
	},
	'0: Comment not found.': {
		message: 'The Bitrix24 task comment was not found',
		hint: 'Check the Comment ID: it is the ID of a comment of an old-card task (Get Many shows it as commentId). The comment may have been deleted.',
		retry: 'never',
	},
	'0: Result already exists.': {
		message: 'This comment is already a task result',
		hint: 'A comment whose result is still open cannot be made a result again (one whose result is closed can). Use Get Many to find the existing result.',
		retry: 'never',
	},
	'100': {
		message: 'Bitrix24 rejected a parameter',
		hint: 'A value does not have the type the classic method expects (for example an ID that is not a whole number); the details name the parameter. This is most likely a bug in the node: please report it.',
		retry: 'never',
	},

	// REST 3.0 codes
	[`${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`]: {
		message: 'Bitrix24 rejected the request parameters',
		hint: 'Fix the fields listed below.',
		retry: 'never',
	},
	[`${V3}VALIDATION_DTOVALIDATIONEXCEPTION`]: {
		message: 'Bitrix24 rejected the field values',
		hint: 'Fix the fields listed below.',
		retry: 'never',
	},
	[`${V3}VALIDATION_REQUESTFILTERVALIDATIONEXCEPTION`]: {
		message: 'Bitrix24 rejected the filter',
		hint: 'A filter on the task ID is required; fix the filter fields listed below.',
		retry: 'never',
	},
	[`${V3}VALIDATION_INVALIDFILEEXCEPTION`]: {
		message: 'Bitrix24 rejected a file',
		hint: 'Check the files listed below.',
		retry: 'never',
	},
	[V3_ACCESS_DENIED]: {
		message: 'Access denied by Bitrix24',
		hint: 'The user behind the credential may not do this: results can be edited or deleted only by their author, and added or listed only by users with access to the task; a task can be read or chatted in by its members, changed by its creator or users with the edit right, and deleted only by users with the delete right. The same answer comes back when the object does not exist (for example a result or task that was already deleted), when the new task card is disabled on the portal, or when the credential is not accepted (HTTP 401).',
		retry: 'never',
	},
	[`${V3}INSUFFICIENTSCOPEEXCEPTION`]: {
		message: 'The Bitrix24 webhook or app lacks the required permission (scope)',
		hint: 'Edit the inbound webhook (or the app) in Bitrix24 and tick the "Tasks" (`tasks`) permission, save, then run again.',
		retry: 'never',
	},
	[`${V3}ENTITYNOTFOUNDEXCEPTION`]: {
		message: 'The Bitrix24 record was not found',
		hint: 'Check the ID: the record may have been deleted.',
		retry: 'never',
	},
	[`${V3}METHODNOTFOUNDEXCEPTION`]: {
		message: 'Bitrix24 REST 3.0 method not found',
		hint: 'The portal does not offer this REST 3.0 method. Task results need REST 3.0 and the new task card: update the portal (self-hosted: the rest and tasks modules) and enable the new tasks.',
		retry: 'never',
	},
	[`${V3}INVALIDJSONEXCEPTION`]: {
		message: 'Bitrix24 could not parse the request JSON',
		hint: 'This is a bug in the node; please report it.',
		retry: 'never',
	},
	[`${V3}INVALIDFILTEREXCEPTION`]: {
		message: 'Bitrix24 rejected the filter',
		hint: 'Check the Filters values.',
		retry: 'never',
	},
	[`${V3}UNKNOWNFILTEROPERATOREXCEPTION`]: {
		message: 'Bitrix24 does not know a filter operator',
		hint: 'Check the Filters values.',
		retry: 'never',
	},
	[`${V3}UNKNOWNDTOPROPERTYEXCEPTION`]: {
		message: 'Bitrix24 does not know a field',
		hint: 'Remove the unknown field named below (check Fields, Sort and Filters).',
		retry: 'never',
	},
	[`${V3}INVALIDPAGINATIONEXCEPTION`]: {
		message: 'Bitrix24 rejected the pagination',
		hint: 'Limit must be a positive whole number.',
		retry: 'never',
	},
	[`${V3}INVALIDORDEREXCEPTION`]: {
		message: 'Bitrix24 rejected the sort order',
		hint: 'Sort direction must be ascending or descending on a sortable field.',
		retry: 'never',
	},
	[`${V3}INVALIDSELECTEXCEPTION`]: {
		message: 'Bitrix24 rejected the selected fields or a batch command',
		hint: 'Check the Fields option; if Batch Requests is on, try turning it off.',
		retry: 'never',
	},
	[`${V3}UNKNOWNAGGREGATEFUNCTIONEXCEPTION`]: {
		message: 'Bitrix24 does not know an aggregate function',
		hint: 'This is a bug in the node; please report it.',
		retry: 'never',
	},
	[`${V3}RATELIMITEXCEPTION`]: {
		message: 'The Bitrix24 method is blocked by its operation time limit',
		hint: 'This method used more than its execution-time budget in the last 10 minutes for this webhook or app. Wait until the block lifts, spread the work over time, or raise "Max Wait for Operating Limit" in the node options.',
		retry: 'operatingLimit',
	},
	[`${V3}IDEMPOTENCYKEYREUSEDEXCEPTION`]: {
		message: 'Bitrix24 saw the same Idempotency-Key with a different request',
		hint: 'The Idempotency Key option (an AI tool\u2019s requestKey) was already used in the last 24 hours for a different change, such as another text or task. Use a new key for a new change; a retry must send the same input. If the option is empty, this is a bug in the node: please report it. Nothing was executed twice.',
		retry: 'never',
	},
	[`${V3}INVALIDIDEMPOTENCYKEYEXCEPTION`]: {
		message: 'Bitrix24 rejected the Idempotency-Key',
		hint: 'This is a bug in the node; please report it.',
		retry: 'never',
	},
	[`${V3}HTTPSREQUIREDEXCEPTION`]: {
		message: 'Bitrix24 requires HTTPS',
		hint: 'Use the https:// address of the portal in the credential.',
		retry: 'never',
	},
	[`${V3}RESTUNAVAILABLEEXCEPTION`]: {
		message: 'The REST API is not available on this Bitrix24 plan',
		hint: 'REST is available only on commercial plans: upgrade the portal\u2019s plan.',
		retry: 'never',
	},
	[`${V3}MARKETSUBSCRIPTIONREQUIREDEXCEPTION`]: {
		message: 'A Bitrix24 Market subscription is required',
		hint: 'Renew the portal\u2019s Market subscription, or use an inbound webhook.',
		retry: 'never',
	},
	[`${V3}LICENSEEXCEPTION`]: {
		message: 'This feature is not supported by the Bitrix24 license',
		hint: 'Upgrade the portal\u2019s license or plan.',
		retry: 'never',
	},
	[`${V3}WRONGHTTPREQUESTMETHODEXCEPTION`]: {
		message: 'Bitrix24 accepts only POST requests for this method',
		hint: 'This is a bug in the node; please report it.',
		retry: 'never',
	},
	[`${V3}LOGICEXCEPTION`]: {
		message: 'Bitrix24 business logic error',
		hint: 'See the details below.',
		retry: 'never',
	},
	[`${V3}INTERNAL_INTERNALEXCEPTION`]: {
		message: 'Bitrix24 internal error',
		hint: CONTACT_SUPPORT,
		retry: 'transient',
	},
	[`${V3}INTERNAL_ORMSAVEEXCEPTION`]: {
		message: 'Bitrix24 could not save to its database',
		hint: CONTACT_SUPPORT,
		retry: 'transient',
	},
	[`${V3}CLASSREQUIREATTRIBUTEEXCEPTION`]: {
		message: 'Bitrix24 server configuration error',
		hint: CONTACT_SUPPORT,
		retry: 'never',
	},
	[`${V3}INVALIDCLASSINSTANCEPROVIDEDEXCEPTION`]: {
		message: 'Bitrix24 server configuration error',
		hint: CONTACT_SUPPORT,
		retry: 'never',
	},
	[`${V3}TOOMANYATTRIBUTESEXCEPTION`]: {
		message: 'Bitrix24 server configuration error',
		hint: CONTACT_SUPPORT,
		retry: 'never',
	},
	[`${V3}RELATIONMETHODNOTFOUNDEXCEPTION`]: {
		message: 'Bitrix24 server configuration error',
		hint: CONTACT_SUPPORT,
		retry: 'never',
	},

	// What the node itself reports about the API a portal offers for task results (API Version)
	RESULTS_NEED_REST_V3: {
		message: 'This operation needs REST 3.0 task results, which this Bitrix24 portal does not have',
		hint: 'Create, Create From Chat Message and Update exist only in REST 3.0: they need the Bitrix24 tasks module 26.0.0 or later (self-hosted: update the tasks and rest modules). Over the classic API this portal offers Get Many, Delete (of results made from a task comment) and Create From Comment.',
		retry: 'never',
	},
	CLASSIC_ONLY_OPERATION: {
		message: 'Create From Comment is for portals without REST 3.0 task results',
		hint: 'This portal has REST 3.0 task results: use Create (a result from a text) or Create From Chat Message (in the new task card, comments are chat messages). To make a comment of an old-card task a result anyway, set API Version to Classic.',
		retry: 'never',
	},
	RESULT_NOT_ON_TASK: {
		message: 'The task result is not on its task',
		hint: 'Over the classic API a result is deleted through its comment, found in the list of its task: check the Task ID (or the taskId of the input item). If the result was deleted already, turn on "Ignore Already Deleted" to report it as already deleted.',
		retry: 'never',
	},
	RESULT_WITHOUT_COMMENT: {
		message: 'This task result was not made from a task comment',
		hint: 'Over the classic API only results made from a comment of the old task card can be deleted. A result of the new task card (task chat) can be deleted only over REST 3.0 task results, which need the Bitrix24 tasks module 26.0.0 or later.',
		retry: 'never',
	},
	COMMENT_HAS_OTHER_RESULTS: {
		message: 'The comment of this task result also carries other results',
		hint: 'Over the classic API a result is deleted through its comment, and that deletes every result made from the comment. Add the other results named here to the delete, or delete over REST 3.0 task results (tasks module 26.0.0 or later).',
		retry: 'never',
	},
	DELETE_NOT_CONFIRMED: {
		message: 'Bitrix24 answered the delete, but the result is still on its task',
		hint: 'The node reports a result deleted only when its task\u2019s results confirm it is gone. Run Get Many on the task to check, then delete it again if it is still there.',
		retry: 'never',
	},
	BITRIX_REST_V3_REALISATION_EXCEPTION_FIELDNOTFOUNDEXCEPTION: {
		message: 'Bitrix24 does not know this task field',
		hint: 'The field name is not part of the portal\u2019s REST 3.0 task schema. Custom fields (UF_…) are not in REST 3.0: pick them under Custom Fields, which sets them through the classic API.',
		retry: 'never',
	},

	// Failures that never reach Bitrix24's error body: produced by the transport itself.
	NETWORK_ERROR: {
		message: 'Could not reach the Bitrix24 portal',
		hint: 'Check the portal address in the credential and that n8n can reach it (DNS, firewall, proxy, TLS certificate).',
		retry: 'transient',
	},
	TIMEOUT: {
		message: 'The Bitrix24 portal did not answer in time',
		hint: 'The portal is slow or unreachable. Try again later, or raise "Timeout" in the node options.',
		retry: 'transient',
	},
	NON_JSON_RESPONSE: {
		message: 'The Bitrix24 portal answered with something that is not JSON',
		hint: 'The portal may be under maintenance, or the URL in the credential does not point at a Bitrix24 portal. Open the portal in a browser to check.',
		retry: 'never',
	},
	REDIRECT: {
		message: 'The Bitrix24 portal redirected the request',
		hint: 'The portal moved (for example to a new domain or to https). Update the address in the credential to the one shown here; the node does not follow redirects so that your webhook code or token is never sent to another host.',
		retry: 'never',
	},
	SERVER_ERROR: {
		message: 'The Bitrix24 portal failed with a server error',
		hint: 'The response carried no Bitrix24 error code (often a proxy or maintenance page in front of the portal). Try again later.',
		retry: 'transient',
	},
	HTTP_ERROR: {
		message: 'The Bitrix24 portal returned an HTTP error',
		hint: 'The response carried no Bitrix24 error code. Check the portal address in the credential.',
		retry: 'never',
	},
	UNKNOWN_ERROR: {
		message: 'Bitrix24 returned an error',
		hint: 'Bitrix24 returned an error code this node does not know; the details below are Bitrix24\u2019s own.',
		retry: 'never',
	},
};

/**
 * The Bitrix24 `tasks` module version that brought each REST 3.0 task method (reference
 * bitrix24-tasks-v3.md §2, bitrix24-rest.md §11; docs dates, the exact versions are UNCONFIRMED).
 * A portal answering "method not found" for one of them is told which version it needs.
 */
export const TASK_METHOD_MIN_VERSION: Record<string, string> = {
	'tasks.task.add': '25.700.0',
	'tasks.task.get': '25.700.0',
	'tasks.task.update': '25.700.0',
	'tasks.task.delete': '25.700.0',
	'tasks.task.access.get': '25.700.0',
	'tasks.task.file.attach': '25.700.0',
	'tasks.task.chat.message.send': '25.700.0',
	'tasks.task.list': '26.0.0',
};

/** The row of a code; `detail` (the portal's message) picks a `<code>: <message>` row when there is one. */
export function lookupError(code: string, detail?: string): ErrorSpec | undefined {
	return (
		(detail === undefined ? undefined : ERROR_TABLE[`${code}: ${detail}`]) ??
		ERROR_TABLE[code] ??
		ERROR_TABLE[code.toUpperCase()] ??
		ERROR_TABLE[code.toLowerCase()]
	);
}
