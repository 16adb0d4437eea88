import { sleep } from 'n8n-workflow';

export interface BucketConfig {
	/** requests per second the portal drains */
	drainPerSec: number;
	/** requests the portal accepts at once */
	burst: number;
}

export const PLAN_LIMITS: Record<string, BucketConfig | undefined> = {
	standard: { drainPerSec: 2, burst: 50 },
	enterprise: { drainPerSec: 5, burst: 250 },
	none: undefined,
};

/**
 * Requests of the portal's burst the client leaves unused. The client counts a request when it sends
 * it, the portal when it arrives: when an earlier request took longer to arrive than a later one (a
 * cold connection, TLS, network jitter, a timer firing a millisecond early), the portal has drained
 * less than the client assumes, and a bucket run at exactly the portal's numbers is answered
 * QUERY_LIMIT_EXCEEDED at the first paced request — which then slows the bucket for 60 requests.
 * One request of headroom absorbs up to 1/drain seconds of such difference (500 ms on the standard
 * plan) at the cost of one request of the first burst; the steady rate is unchanged.
 */
const BURST_HEADROOM = 1;

/**
 * How the bucket adapts when it shares the portal with clients it cannot see (other n8n workers, other
 * apps): additive increase, multiplicative decrease, as a congestion-controlled network client does.
 * Every process that hits QUERY_LIMIT_EXCEEDED halves its pace, at most once per `DECREASE_EVERY_MS`
 * (a burst of refusals is one signal, not twenty); while requests are accepted the pace grows by a
 * fixed share of the plan's rate per second, up to the plan's rate. W processes so converge on about
 * 1/W of the portal each instead of fighting over it.
 */
export const AIMD = {
	decreaseFactor: 0.5,
	/** at most one decrease per this many ms (and per 1/rate, whichever is longer) */
	decreaseEveryMs: 1000,
	/** pace added per second of accepted traffic, as a share of the plan's rate */
	increasePerSec: 0.005,
	/** the pace never drops below this share of the plan's rate (20 processes' worth) */
	floorShare: 0.05,
};

/**
 * A client-side copy of Bitrix24's leaky bucket. Callers reserve a slot and sleep until it is
 * theirs, so concurrent callers queue without polling. After the portal answers
 * QUERY_LIMIT_EXCEEDED the bucket is emptied and its pace adapts (see AIMD).
 */
export class TokenBucket {
	private tokens: number;
	private last = Date.now();
	private rate: number;
	private lastDecrease = -Infinity;
	private lastIncrease = Date.now();
	private readonly capacity: number;

	constructor(private readonly config: BucketConfig) {
		this.capacity = Math.max(1, config.burst - BURST_HEADROOM);
		this.tokens = this.capacity;
		this.rate = config.drainPerSec;
	}

	get currentRate(): number {
		return this.rate;
	}

	/** how many requests this bucket has paced (diagnostics and tests) */
	reservations = 0;

	/** ms the caller must wait before sending; the slot is reserved by the call */
	reserve(now = Date.now()): number {
		this.reservations++;
		this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.rate);
		this.last = now;
		this.tokens -= 1;
		return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.rate) * 1000);
	}

	async acquire(): Promise<void> {
		const wait = this.reserve();
		if (wait > 0) await sleep(wait);
	}

	onRateLimited(now = Date.now()): void {
		this.reserve(now);
		this.tokens = Math.min(this.tokens, 0);
		const quiet = Math.max(AIMD.decreaseEveryMs, 1000 / this.rate);
		if (now - this.lastDecrease >= quiet) {
			this.rate = Math.max(
				this.config.drainPerSec * AIMD.floorShare,
				Math.min(this.rate, this.config.drainPerSec) * AIMD.decreaseFactor,
			);
			this.lastDecrease = now;
		}
		this.lastIncrease = now;
	}

	onAccepted(now = Date.now()): void {
		const elapsedSec = Math.max(0, now - this.lastIncrease) / 1000;
		this.lastIncrease = now;
		if (this.rate >= this.config.drainPerSec) return;
		this.rate = Math.min(
			this.config.drainPerSec,
			this.rate + this.config.drainPerSec * AIMD.increasePerSec * elapsedSec,
		);
	}
}

/** One bucket per portal for the whole n8n process: Bitrix24 counts requests per portal. */
const buckets = new Map<string, TokenBucket>();

export function bucketFor(
	portalKey: string,
	config: BucketConfig | undefined,
): TokenBucket | undefined {
	if (!config) return undefined;
	const key = `${portalKey}|${config.drainPerSec}|${config.burst}`;
	let bucket = buckets.get(key);
	if (!bucket) {
		bucket = new TokenBucket(config);
		buckets.set(key, bucket);
	}
	return bucket;
}
