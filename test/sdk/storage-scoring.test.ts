/** Host scoring and selection (sdk/src/storage/scoring.ts): properties over random host sets. */
import { expect } from "chai";
import fc from "fast-check";
import { describe, it } from "mocha";
import { InvalidArgumentError } from "../../sdk/src/errors.js";
import { pickHosts, type ScorableHost, scoreHosts } from "../../sdk/src/storage/scoring.js";

const NOW = 1_800_000_000n;

const hostArb = (i: number) =>
  fc
    .record({
      price: fc.bigInt({ min: 0n, max: 10n ** 20n }),
      free: fc.bigInt({ min: 0n, max: 10n ** 24n }),
      passed: fc.bigInt({ min: 0n, max: 10_000n }),
      missed: fc.bigInt({ min: 0n, max: 10_000n }),
      completed: fc.integer({ min: 0, max: 500 }),
      lost: fc.integer({ min: 0, max: 500 }),
      age: fc.bigInt({ min: 0n, max: 400n * 86_400n }),
      region: fc.constantFrom(0, 250, 276, 392, 840),
      registered: fc.boolean(),
    })
    .map(
      (r): ScorableHost => ({
        address: `0x${(i + 1).toString(16).padStart(40, "0")}`,
        profile: { capacity: 1n << 40n, pricePerGiBPerPeriod: r.price, region: r.region },
        stake: { registered: r.registered },
        freeStake: r.free,
        trackRecord: {
          proofsPassed: r.passed,
          proofsMissed: r.missed,
          dealsCompleted: r.completed,
          dealsLost: r.lost,
          registeredAt: NOW - r.age,
        },
      }),
    );

const hostsArb = fc
  .integer({ min: 0, max: 40 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => hostArb(i))) as fc.Arbitrary<ScorableHost[]>);

describe("scoreHosts", () => {
  it("scores registered hosts only, each in [0, 1], best first", () => {
    fc.assert(
      fc.property(hostsArb, (hosts) => {
        const scored = scoreHosts(hosts, { now: NOW });
        expect(scored.length).to.equal(hosts.filter((h) => h.stake.registered).length);
        for (const s of scored) {
          expect(s.score).to.be.within(0, 1);
          expect(s.host.stake.registered).to.equal(true);
        }
        for (let i = 1; i < scored.length; i++) expect(scored[i - 1]!.score >= scored[i]!.score).to.equal(true);
      }),
    );
  });

  it("more passed proofs, a lower price or more stake never lower a host's score (fixed references)", () => {
    fc.assert(
      fc.property(hostArb(0), fc.bigInt({ min: 1n, max: 1_000n }), (h, delta) => {
        const base = { ...h, stake: { registered: true } };
        const options = { now: NOW, referencePrice: 10n ** 18n, referenceStake: 10n ** 21n };
        const score = (x: ScorableHost) => scoreHosts([x], options)[0]!.score;
        const better = [
          { ...base, trackRecord: { ...base.trackRecord, proofsPassed: base.trackRecord.proofsPassed + delta } },
          { ...base, freeStake: base.freeStake + delta * 10n ** 18n },
          {
            ...base,
            profile: {
              ...base.profile,
              pricePerGiBPerPeriod:
                base.profile.pricePerGiBPerPeriod > delta ? base.profile.pricePerGiBPerPeriod - delta : 0n,
            },
          },
        ];
        for (const b of better) expect(score(b) + 1e-12 >= score(base)).to.equal(true);
      }),
    );
  });

  it("filters by maxPrice, minFreeStake and minCapacity; prefers the wanted region", () => {
    fc.assert(
      fc.property(hostsArb, fc.bigInt({ min: 0n, max: 10n ** 20n }), (hosts, maxPrice) => {
        const scored = scoreHosts(hosts, { now: NOW, maxPrice, minFreeStake: 1n });
        for (const s of scored) {
          expect(s.host.profile.pricePerGiBPerPeriod <= maxPrice).to.equal(true);
          expect(s.host.freeStake >= 1n).to.equal(true);
        }
      }),
    );
    const twin = (address: string, region: number): ScorableHost => ({
      address,
      profile: { capacity: 1n, pricePerGiBPerPeriod: 5n, region },
      stake: { registered: true },
      freeStake: 100n,
      trackRecord: { proofsPassed: 3n, proofsMissed: 0n, dealsCompleted: 1, dealsLost: 0, registeredAt: NOW - 86_400n },
    });
    const [first] = scoreHosts([twin("0x01", 250), twin("0x02", 276)], { now: NOW, region: 276 });
    expect(first!.region).to.equal(276);
    expect(scoreHosts([twin("0x01", 1)], { minCapacity: 2n })).to.deep.equal([]);
  });

  it("rejects bad weights and hosts with InvalidArgumentError", () => {
    expect(() => scoreHosts([], { weights: { price: -1 } })).to.throw(InvalidArgumentError);
    expect(() =>
      scoreHosts([], { weights: { reliability: 0, completion: 0, age: 0, price: 0, stake: 0, region: 0 } }),
    ).to.throw(InvalidArgumentError);
    expect(() => scoreHosts([null as never])).to.throw(InvalidArgumentError);
    expect(() => scoreHosts("x" as never)).to.throw(InvalidArgumentError);
  });
});

describe("pickHosts", () => {
  it("picks min(n, eligible) distinct hosts", () => {
    fc.assert(
      fc.property(hostsArb, fc.integer({ min: 1, max: 50 }), (hosts, n) => {
        const picked = pickHosts([...hosts, ...hosts], { n, now: NOW });
        const eligible = hosts.filter((h) => h.stake.registered).length;
        expect(picked.length).to.equal(Math.min(n, eligible));
        expect(new Set(picked.map((p) => p.address)).size).to.equal(picked.length);
      }),
    );
  });

  it("with an infinite region penalty, spreads regions evenly while each region has hosts left", () => {
    fc.assert(
      fc.property(hostsArb, fc.integer({ min: 1, max: 40 }), (hosts, n) => {
        const picked = pickHosts(hosts, { n, now: NOW, regionPenalty: Number.POSITIVE_INFINITY });
        const available = new Map<number, number>();
        for (const h of hosts)
          if (h.stake.registered) available.set(h.profile.region, (available.get(h.profile.region) ?? 0) + 1);
        const count = new Map<number, number>();
        for (const p of picked) count.set(p.region, (count.get(p.region) ?? 0) + 1);
        // A region short of the most-picked one by two or more must have run out of hosts.
        const max = Math.max(0, ...count.values());
        for (const [region, total] of available) {
          const c = count.get(region) ?? 0;
          if (c < max - 1) expect(c).to.equal(total);
        }
      }),
    );
  });

  it("with no region penalty, takes the best scores", () => {
    fc.assert(
      fc.property(hostsArb, fc.integer({ min: 1, max: 40 }), (hosts, n) => {
        const picked = pickHosts(hosts, { n, now: NOW, regionPenalty: 0 });
        const best = scoreHosts(hosts, { now: NOW }).slice(0, n);
        expect(picked.map((p) => p.address)).to.deep.equal(best.map((b) => b.address));
      }),
    );
  });

  it("rejects a bad n or penalty", () => {
    expect(() => pickHosts([], { n: 0 })).to.throw(InvalidArgumentError);
    expect(() => pickHosts([], { regionPenalty: -1 })).to.throw(InvalidArgumentError);
  });
});
