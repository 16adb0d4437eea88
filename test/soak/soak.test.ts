import { runSoak } from './soak';

test('fault soak (small): 150 mixed items at a 20 % fault rate lose nothing and do nothing twice', async () => {
	const report = await runSoak({ items: 150, faultRate: 0.2, randomSeed: 11 });
	expect(Object.values(report.faultsInjected).reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
	expect(report.succeeded + report.failed).toBe(150);
	expect(report.lost).toEqual([]);
	expect(report.duplicated).toEqual([]);
	expect(report.wrongOutcome).toEqual([]);
	expect(report.retries).toBeGreaterThan(0);
}, 240_000);
