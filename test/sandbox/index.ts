// Bitrix24 portal sandbox: a local HTTP server on 127.0.0.1 that follows /work/shared/reference/bitrix24-rest.md.
import { EventHub } from './events';
import { FaultQueue, mulberry32 } from './faults';
import { IdempotencyStore } from './idempotency';
import { LeakyBucket, OperatingLimiter } from './limits';
import { OAuthServer } from './oauth';
import { SandboxServer } from './server';
import { Store } from './state';
import type { Sandbox, SandboxOptions } from './types';

export * from './types';
export { isoWithOffset } from './state';

export const DEFAULT_WEBHOOK = {
	userId: 1,
	code: 'sbx1webhookcode',
	scopes: ['task', 'tasks', 'user', 'sonet_group'],
};
/** A second webhook, of user 9 — an admin in DEFAULT_USERS (seed `admin: true` when seeding users). */
export const ADMIN_WEBHOOK = {
	userId: 9,
	code: 'sbx9admincode',
	scopes: ['task', 'tasks', 'user', 'sonet_group'],
};
export const DEFAULT_OAUTH_APP = {
	clientId: 'local.sandbox.app',
	clientSecret: 'sandbox-client-secret',
};

export async function startSandbox(
	options: SandboxOptions & { port?: number } = {},
): Promise<Sandbox> {
	const webhooks = (options.webhooks ?? [DEFAULT_WEBHOOK, ADMIN_WEBHOOK]).map((w) => ({
		userId: w.userId,
		code: w.code,
		scopes: w.scopes ?? DEFAULT_WEBHOOK.scopes,
	}));
	const apps = options.oauthApps ?? [DEFAULT_OAUTH_APP];
	const store = new Store(options.seed);
	const bucket = new LeakyBucket(options.rateLimit ?? false);
	const operating = new OperatingLimiter(options.operating ?? false);
	const faults = new FaultQueue(mulberry32(options.randomSeed ?? 42));
	const oauth = new OAuthServer(apps, options.accessTokenTtlSec ?? 3600, () => {
		server.counters.tokenRefreshes++;
	});
	const server: SandboxServer = new SandboxServer(
		store,
		oauth,
		bucket,
		operating,
		faults,
		new IdempotencyStore(),
		{
			webhooks,
			latencyMs: options.latencyMs ?? 0,
			v3Enabled: options.v3Enabled ?? true,
			v3Results: options.v3Results ?? true,
			maxPageSize: options.maxPageSize,
			tasksV3: options.tasksV3 ?? 'all',
			timeZoneOffset: options.timeZoneOffset,
		},
	);
	const port = await server.listen(options.port ?? 0);
	const url = `http://127.0.0.1:${port}`;
	oauth.baseUrl = url;
	const events = new EventHub(() => url);
	server.events = events;

	return {
		url,
		events,
		tokenUrl: `${url}/oauth/token/`,
		webhookUrl(userId?: number, form: 'v2' | 'v3' = 'v2') {
			const wh = webhooks.find((w) => w.userId === (userId ?? webhooks[0].userId)) ?? webhooks[0];
			return `${url}/rest/${form === 'v3' ? 'api/' : ''}${userId ?? wh.userId}/${wh.code}/`;
		},
		issueTokens(opts = {}) {
			return oauth.issue(
				opts.userId ?? 1,
				opts.clientId ?? oauth.defaultClientId(),
				opts.expired ?? false,
			);
		},
		issueAuthCode(opts = {}) {
			return oauth.issueCode(opts.userId ?? 1, opts.clientId ?? oauth.defaultClientId());
		},
		expireAccessTokens: () => oauth.expireAll(),
		revokeRefreshTokens: () => oauth.revokeAll(),
		state: {
			results: store.results,
			tasks: store.tasks,
			chatMessages: store.chatMessages,
			users: store.users,
			comments: store.comments,
			groups: store.groups,
			taskUserFields: store.taskUserFields,
		},
		seed: (data) => store.seed(data),
		requests: server.requests,
		counters: server.counters,
		injectFault: (fault, match) => faults.add(fault, match),
		clearFaults: () => faults.clear(),
		onRequest: (hook) => {
			server.requestHook = hook;
		},
		setRateLimit: (r) => bucket.configure(r ?? false),
		setTasksV3: (mode) => server.setTasksV3(mode),
		reset() {
			// requests + counters; the leaky bucket level and operating windows restart too (data is kept)
			server.resetCounters();
			events.reset();
			bucket.reset();
			operating.reset();
		},
		stop: () => server.stop(),
	};
}
