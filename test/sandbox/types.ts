// Public types of the Bitrix24 sandbox (see /work/shared/reference/bitrix24-rest.md).

export interface UserRecord {
	id: number;
	name: string;
	lastName: string;
	admin: boolean;
}

export interface TaskRecord {
	id: number;
	title: string;
	/** users with access to the task */
	memberIds: number[];
	groupId: number;
	chatId: number | null;
	status: number;
	/** the responsible person (default: the first member) */
	responsibleId: number;
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
}

export interface SeedData {
	users?: Array<{ id: number; name: string; lastName?: string; admin?: boolean }>;
	tasks?: Array<{
		id: number;
		title: string;
		memberIds?: number[];
		groupId?: number;
		chatId?: number;
		status?: number;
		responsibleId?: number;
	}>;
	results?: Array<{
		id?: number;
		taskId: number;
		text: string;
		authorId?: number;
		createdAt?: string;
		status?: 'open' | 'closed';
		messageId?: number | null;
	}>;
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

export interface SandboxState {
	results: Map<number, ResultRecord>;
	tasks: Map<number, TaskRecord>;
	chatMessages: Map<number, ChatMessageRecord>;
	users: Map<number, UserRecord>;
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
	reset(): void;
	stop(): Promise<void>;
}
