// Public types of the Bitrix24 sandbox (see /work/shared/reference/bitrix24-rest.md).

export interface UserRecord {
	id: number;
	name: string;
	lastName: string;
	admin: boolean;
	email: string;
	workPosition: string;
	active: boolean;
}

/** A workgroup / project (sonet_group.get). */
export interface GroupRecord {
	id: number;
	name: string;
	description: string;
	ownerId: number;
	memberIds: number[];
	/** listed for everyone (VISIBLE = Y) */
	visible: boolean;
	opened: boolean;
	closed: boolean;
	project: boolean;
	created: number;
}

/** A task user field definition (task.item.userfield.getlist). */
export interface TaskUserFieldRecord {
	id: number;
	fieldName: string;
	userTypeId: 'string' | 'double' | 'boolean' | 'datetime' | 'enumeration' | 'integer';
	multiple: boolean;
	mandatory: boolean;
	label: string;
}

export type TaskPriority = 'low' | 'average' | 'high';

export interface TaskRecord {
	id: number;
	title: string;
	/** users with access to the task (always includes creator, responsible, accomplices, auditors) */
	memberIds: number[];
	groupId: number;
	chatId: number | null;
	/** classic real status: 1 new, 2 pending, 3 in progress, 4 supposedly completed, 5 completed, 6 deferred, 7 declined */
	status: number;
	description: string;
	createdBy: number;
	responsibleId: number;
	accomplices: number[];
	auditors: number[];
	/** epoch ms or null */
	deadline: number | null;
	startPlan: number | null;
	endPlan: number | null;
	priority: TaskPriority;
	parentId: number | null;
	created: number;
	changed: number;
	closed: number | null;
	changedBy: number;
	statusChanged: number | null;
	needsControl: boolean;
	allowsChangeDeadline: boolean;
	allowsTimeTracking: boolean;
	estimatedTime: number;
	crmItemIds: string[];
	fileIds: number[];
	tags: string[];
	/** custom field values by FIELD_NAME (UF_...) */
	uf: Record<string, unknown>;
	/** other v3 fields accepted by add/update and echoed by get */
	extra: Record<string, unknown>;
}

/** Seed shape of a task: only id and title are required (ISO strings or epoch ms for dates). */
export interface TaskSeed {
	id: number;
	title: string;
	/** extra members with access; default: creator + responsible + accomplices + auditors, or [1] */
	memberIds?: number[];
	groupId?: number;
	chatId?: number;
	status?: number;
	description?: string;
	createdBy?: number;
	responsibleId?: number;
	accomplices?: number[];
	auditors?: number[];
	deadline?: string | number | null;
	startPlan?: string | number | null;
	endPlan?: string | number | null;
	priority?: TaskPriority;
	parentId?: number | null;
	created?: string | number;
	changed?: string | number;
	closed?: string | number | null;
	tags?: string[];
	uf?: Record<string, unknown>;
}

export interface ChatMessageRecord {
	id: number;
	/** null = a message from a chat that is not a task chat */
	taskId: number | null;
	authorId: number;
	text: string;
}

/** The v3 result item shape (reference §2.6) without the computed `rights` / `author`. */
export interface ResultRecord {
	id: number;
	taskId: number;
	text: string;
	authorId: number;
	createdAt: string;
	updatedAt: string | null;
	status: 'open' | 'closed';
	fileIds: number[];
	messageId: number | null;
	/** old task card: the forum comment the result was pinned from (classic API); absent = none */
	commentId?: number | null;
}

/** A forum comment of the old task card (classic `task.commentitem.*`), the source of a classic result. */
export interface CommentRecord {
	id: number;
	taskId: number;
	authorId: number;
	text: string;
}

export interface SeedData {
	users?: Array<{
		id: number;
		name: string;
		lastName?: string;
		admin?: boolean;
		email?: string;
		workPosition?: string;
		active?: boolean;
	}>;
	tasks?: TaskSeed[];
	groups?: Array<{
		id: number;
		name: string;
		description?: string;
		ownerId?: number;
		memberIds?: number[];
		visible?: boolean;
		opened?: boolean;
		closed?: boolean;
		project?: boolean;
	}>;
	taskUserFields?: Array<
		Omit<TaskUserFieldRecord, 'id' | 'multiple' | 'mandatory' | 'label'> & {
			id?: number;
			multiple?: boolean;
			mandatory?: boolean;
			label?: string;
		}
	>;
	results?: Array<{
		id?: number;
		taskId: number;
		text: string;
		authorId?: number;
		createdAt?: string;
		status?: 'open' | 'closed';
		messageId?: number | null;
		commentId?: number | null;
	}>;
	/** forum comments of old-card tasks (what classic `tasks.task.result.addFromComment` pins) */
	comments?: Array<{ id: number; taskId: number; authorId?: number; text: string }>;
	chatMessages?: Array<{ id: number; taskId: number | null; authorId: number; text: string }>;
}

export type RateLimitOptions = { drainPerSec: number; burst: number } | false;
export type OperatingOptions =
	| { limitSec: number; costPerCallSec: number; windowSec?: number }
	| false;

export interface SandboxOptions {
	webhooks?: Array<{ userId: number; code: string; scopes?: string[] }>;
	oauthApps?: Array<{ clientId: string; clientSecret: string }>;
	accessTokenTtlSec?: number;
	rateLimit?: RateLimitOptions;
	latencyMs?: number;
	operating?: OperatingOptions;
	v3Enabled?: boolean;
	/**
	 * false = a portal whose tasks module predates REST 3.0 task results (< 26.0.0): `/rest/api/` works,
	 * but every `tasks.task.result.*` method answers 404 METHODNOTFOUND; the classic result methods work.
	 */
	v3Results?: boolean;
	/**
	 * Which REST 3.0 task methods the portal's tasks module has (reference tasks-v3 §2):
	 * 'all' (tasks ≥ 26.0.0, default); 'withoutList' (25.700.0 ≤ tasks < 26.0.0: no `tasks.task.list`
	 * and no `tasks.task.result.*`, which came with 26.0.0 too); 'none' (older tasks module: every
	 * `tasks.task.*` REST 3.0 method answers METHODNOTFOUND 404). Classic methods stay in every mode.
	 */
	tasksV3?: TasksV3Mode;
	/** the portal's UTC offset used in task dates, e.g. '+03:00' (default) */
	timeZoneOffset?: string;
	maxPageSize?: number;
	seed?: SeedData;
	/** seed of the PRNG used by probabilistic faults (default 42) */
	randomSeed?: number;
}

export interface RecordedRequest {
	method: string;
	path: string;
	apiVersion: 'v2' | 'v3' | 'oauth' | 'other';
	restMethod?: string;
	auth: {
		kind: 'webhook' | 'oauth' | 'none';
		userId?: number;
		tokenVia?: 'query' | 'body' | 'bearer';
	};
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	rawBody: string;
	/** 0 while pending, and for requests whose socket was destroyed */
	status: number;
	faulted?: string;
	at: number;
}

export type Fault =
	| { kind: 'status'; status: number; body: unknown; contentType?: string }
	| { kind: 'html'; status?: number }
	| { kind: 'reset' }
	| { kind: 'resetAfterCommit' }
	| { kind: 'delay'; ms: number }
	| { kind: 'redirect'; status?: 301 | 302 | 307 | 308; location: string }
	| { kind: 'truncatedJson' }
	| { kind: 'rawBody'; status?: number; body: string; contentType?: string };

export interface FaultMatch {
	restMethod?: string;
	/**
	 * Fire at a command inside a REST 3.0 batch (matched by `restMethod` against the command's method)
	 * instead of at an HTTP request: the commands before it have run, it and the ones after do not.
	 * `status` answers the whole batch with that error (a fault inside the server's batch loop);
	 * `reset` drops the connection there (the answer is lost, earlier commands stay committed).
	 */
	inBatch?: boolean;
	times?: number;
	afterMatches?: number;
	probability?: number;
}

export interface IssuedTokens {
	access_token: string;
	refresh_token: string;
	expires_in: number;
	expires: number;
	client_endpoint: string;
	server_endpoint: string;
	member_id: string;
	domain: string;
	scope: string;
	user_id: number;
	status: string;
}

export interface SandboxCounters {
	rateLimited: number;
	operatingLimited: number;
	faultsInjected: Record<string, number>;
	tokenRefreshes: number;
	idempotentReplays: number;
	executedCommands: number;
}

export type TasksV3Mode = 'all' | 'withoutList' | 'none';

export interface SandboxState {
	results: Map<number, ResultRecord>;
	tasks: Map<number, TaskRecord>;
	chatMessages: Map<number, ChatMessageRecord>;
	users: Map<number, UserRecord>;
	comments: Map<number, CommentRecord>;
	groups: Map<number, GroupRecord>;
	taskUserFields: Map<string, TaskUserFieldRecord>;
}

export interface Sandbox {
	url: string;
	/** event bindings, event method calls and event delivery (events.ts) */
	events: import('./events').EventHub;
	webhookUrl(userId?: number, form?: 'v2' | 'v3'): string;
	tokenUrl: string;
	issueTokens(opts?: { userId?: number; clientId?: string; expired?: boolean }): IssuedTokens;
	/** extra: a one-time `code` for grant_type=authorization_code (lives 30 s) */
	issueAuthCode(opts?: { userId?: number; clientId?: string }): string;
	expireAccessTokens(): void;
	revokeRefreshTokens(): void;
	state: SandboxState;
	seed(data: SeedData): void;
	requests: RecordedRequest[];
	counters: SandboxCounters;
	injectFault(fault: Fault, match?: FaultMatch): void;
	/**
	 * Runs before the portal handles each request (after recording it): lets a test act as another
	 * user of the portal at that moment, e.g. delete a result concurrently. `undefined` removes it.
	 */
	onRequest(hook: ((request: RecordedRequest) => void) | undefined): void;
	clearFaults(): void;
	setRateLimit(r: RateLimitOptions | undefined): void;
	/** switch the tasks module's REST 3.0 methods at run time (see SandboxOptions.tasksV3) */
	setTasksV3(mode: TasksV3Mode): void;
	reset(): void;
	stop(): Promise<void>;
}
