import { TokenBucket, type BucketConfig } from '../../nodes/Bitrix24Tasks/transport/limiter';

/**
 * W processes, each with its own TokenBucket (no shared memory, as n8n queue-mode workers), all with
 * endless work against one portal's leaky bucket, in virtual time. A refused request is retried after
 * the transport's wait (1/rate). Returns what the portal accepted and refused.
 */
function simulate(workers: number, plan: BucketConfig, seconds: number) {
	// buckets read the clock when built: virtual time starts there and runs ahead of the real clock
	const buckets = Array.from({ length: workers }, () => new TokenBucket(plan));
	const start = Date.now() + 1000;
	let level = 0;
	let portalAt = start;
	const accepted = Array<number>(workers).fill(0);
	const acceptedAfterWarmup = Array<number>(workers).fill(0);
	let refused = 0;
	const next = buckets.map((b) => start + b.reserve(start));
	const end = start + seconds * 1000;
	const warmupEnd = start + 60_000;
	for (;;) {
		const w = next.indexOf(Math.min(...next));
		const now = next[w];
		if (now >= end) break;
		level = Math.max(0, level - ((now - portalAt) / 1000) * plan.drainPerSec);
		portalAt = now;
		if (level + 1 > plan.burst) {
			refused++;
			buckets[w].onRateLimited(now);
			const retryAfter = 1000 / buckets[w].currentRate;
			next[w] = now + retryAfter + buckets[w].reserve(now + retryAfter);
		} else {
			level += 1;
			accepted[w]++;
			if (now >= warmupEnd) acceptedAfterWarmup[w]++;
			buckets[w].onAccepted(now);
			next[w] = now + 1 + buckets[w].reserve(now + 1);
		}
	}
	const steadyRate = acceptedAfterWarmup.reduce((a, b) => a + b, 0) / (seconds - 60);
	return { accepted, acceptedAfterWarmup, refused, steadyRate };
}

const standard = { drainPerSec: 2, burst: 50 };
const enterprise = { drainPerSec: 5, burst: 250 };

test('one process alone runs at the portal rate and is never refused after its first burst', () => {
	const r = simulate(1, standard, 600);
	expect(r.refused).toBe(0);
	expect(r.steadyRate).toBeGreaterThan(standard.drainPerSec * 0.97);
});

test.each([
	[2, standard],
	[3, standard],
	[6, standard],
	[3, enterprise],
])(
	'%i processes sharing one portal converge on its rate: all of it used, few refusals, nobody starved',
	(workers, plan) => {
		const seconds = 900;
		const r = simulate(workers, plan, seconds);
		expect(r.steadyRate).toBeGreaterThan(plan.drainPerSec * 0.95);
		// the first bursts collide; after that about one refusal per process per sawtooth
		expect(r.refused).toBeLessThan(workers * 6 * (seconds / 100));
		const total = r.acceptedAfterWarmup.reduce((a, b) => a + b, 0);
		for (const n of r.acceptedAfterWarmup) expect(n / total).toBeGreaterThan(0.5 / workers);
	},
);
