// Properties of the leak tracker on generated memory series: quiet on leak-free shapes,
// a verdict within the documented delay on leaks, and clearing once growth stops. Run
// counts are fixed so the file stays within seconds; a failure prints fast-check's seed.

import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { advanceAlert, idleAlert, recordAlert } from "../../../src/analysis/alertLifecycle.js";
import { LeakTracker } from "../../../src/analysis/leak/LeakTracker.js";
import type { LeakTrackerConfig } from "../../../src/analysis/leak/LeakTrackerConfig.js";
import type { LeakVerdict } from "../../../src/analysis/leak/LeakVerdict.js";
import { DEFAULT_RULES } from "../../../src/analysis/RulesConfig.js";
import { VoxtraceError } from "../../../src/errors.js";
import { generate, regularSawTooth, type SeriesShape } from "./memorySeries.js";

const MIN = 60_000;
const HOUR = 3_600_000;

/** Feeds the series; returns every time (ms) the verdict said leaking. */
function leakingTimes(shape: SeriesShape, config: Partial<LeakTrackerConfig> = {}): number[] {
  const tracker = new LeakTracker(config);
  const times: number[] = [];
  generate(shape, (t, v) => {
    tracker.observe(t, v);
    if (tracker.verdict().leaking) times.push(t);
  });
  return times;
}

/** Every verdict, sample by sample, of a tracker fed by `feed`. */
function verdictsOf(
  feed: (sample: (t: number, v: number) => void) => void,
  config: Partial<LeakTrackerConfig> = {},
): LeakVerdict[] {
  const tracker = new LeakTracker(config);
  const verdicts: LeakVerdict[] = [];
  feed((t, v) => {
    tracker.observe(t, v);
    verdicts.push(tracker.verdict());
  });
  return verdicts;
}

/**
 * The reasons of the verdicts that said leaking on a segment of the bench corpus kept in
 * fixtures/ (`t` ms, `mb` MB).
 */
function leakingReasons(name: string): string[] {
  const { t, mb } = JSON.parse(
    readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), "utf8"),
  ) as { t: number[]; mb: number[] };
  return verdictsOf((sample) => t.forEach((x, i) => sample(x, mb[i]! * 1e6)))
    .filter((v) => v.leaking)
    .map((v) => v.reason);
}

/**
 * On how many of `numRuns` series drawn from `arbitrary` (fast-check, seeded) the tracker
 * ever said leaking.
 */
function firingCount<T>(
  arbitrary: fc.Arbitrary<T>,
  shapeOf: (drawn: T) => SeriesShape,
  numRuns: number,
  seed: number,
): number {
  let fired = 0;
  fc.assert(
    fc.property(arbitrary, (drawn) => {
      if (leakingTimes(shapeOf(drawn)).length > 0) fired += 1;
    }),
    { numRuns, seed },
  );
  return fired;
}

/** As firingCount, with the tracker's settings drawn along with each series. */
function firingCountWith<T>(
  arbitrary: fc.Arbitrary<T>,
  caseOf: (drawn: T) => { shape: SeriesShape; config: Partial<LeakTrackerConfig> },
  numRuns: number,
  seed: number,
): number {
  let fired = 0;
  fc.assert(
    fc.property(arbitrary, (drawn) => {
      const { shape, config } = caseOf(drawn);
      if (leakingTimes(shape, config).length > 0) fired += 1;
    }),
    { numRuns, seed },
  );
  return fired;
}

/**
 * How long (ms) after `from` the verdict first said leaking: Infinity when it never did, so
 * any bound on it also asks that the leak was found.
 */
function delayFrom(
  from: number,
  shape: SeriesShape,
  config: Partial<LeakTrackerConfig> = {},
): number {
  const first = leakingTimes(shape, config).find((t) => t >= from);
  return first === undefined ? Infinity : first - from;
}

/**
 * How long (ms) after its leak's start the verdict first said leaking, on each of
 * `numRuns` leaks drawn from `arbitrary` (fast-check, seeded), shortest first; Infinity
 * for a leak never found.
 */
function sortedDelays<T>(
  arbitrary: fc.Arbitrary<T>,
  leakOf: (drawn: T) => {
    start: number;
    shape: SeriesShape;
    config?: Partial<LeakTrackerConfig>;
  },
  numRuns: number,
  seed: number,
): number[] {
  const delays: number[] = [];
  fc.assert(
    fc.property(arbitrary, (drawn) => {
      const { start, shape, config } = leakOf(drawn);
      delays.push(delayFrom(start, shape, config));
    }),
    { numRuns, seed },
  );
  return delays.sort((a, b) => a - b);
}

/** When a stepwise leak's last step lands: steps come every `stepEveryMs` from its start until its stop. */
function lastStepOf(leak: { start: number; stop: number; stepEveryMs: number }): number {
  return (
    leak.start + (Math.ceil((leak.stop - leak.start) / leak.stepEveryMs) - 1) * leak.stepEveryMs
  );
}

/**
 * How long after `lastGrowth` the verdict last said leaking, given every time it did;
 * fails unless it said so before the leak's `stop`.
 */
function lastLeakingAfter(times: number[], stop: number, lastGrowth = stop): number {
  expect(times.some((t) => t < stop)).toBe(true);
  return Math.max(...times) - lastGrowth;
}

/**
 * How many alerts the analyzer would raise from `from` on: the memory_leak rule's verdicts
 * through the analyzer's own alert lifecycle, with its default settings.
 */
function alertsFrom(
  from: number,
  shape: SeriesShape,
  trackerConfig: Partial<LeakTrackerConfig> = {},
): number {
  const config = DEFAULT_RULES.memory_leak;
  const tracker = new LeakTracker(trackerConfig);
  const alert = idleAlert();
  let seq = 0;
  let alerts = 0;
  generate(shape, (time, v) => {
    tracker.observe(time, v);
    const { leaking, slope } = tracker.verdict();
    const judgement = { value: slope, holds: leaking, clears: !leaking, describe: () => "" };
    const event = advanceAlert(alert, "memory_leak", config, judgement, { seq, time }, String);
    if (!event) return;
    recordAlert(alert, { ...event, seq: seq++, time });
    if (event.type === "AlertFired" && time >= from) alerts++;
  });
  return alerts;
}

/** A series on a saw-tooth of the given GC rhythm, 2 MB of noise and no start-up growth; `more` adds the rest. */
function series(
  seed: number,
  hours: number,
  cycleMs: [number, number],
  amplitudeMB: number,
  more: Partial<SeriesShape> = {},
): SeriesShape {
  return { seed, hours, cycleMs, amplitudeMB, noiseMB: 2, startupMB: 0, startupMs: 1, ...more };
}

/**
 * A series with no saw-tooth read as the heap after GC is read when major GCs come 1.5-8.5
 * minutes apart, with 2 MB of noise; `more` adds the rest.
 */
function readAtMajorGcs(seed: number, hours: number, more: Partial<SeriesShape>): SeriesShape {
  return series(seed, hours, [0, 0], 0, { readEveryMs: [90_000, 510_000], ...more });
}

/**
 * How long (ms) after its start each of 40 steady leaks at a rate drawn from `[minMbps,
 * maxMbps]` MB/s was first found, shortest first: each from the first hour's end for two
 * hours, on a series read as the heap after GC is read at major GCs (readAtMajorGcs), judged
 * as declared smooth (fast-check seed).
 */
function majorGcLeakDelays([minMbps, maxMbps]: [number, number], runSeed: number): number[] {
  return sortedDelays(
    fc.tuple(seed, fc.double({ min: minMbps, max: maxMbps, noNaN: true })),
    ([s, mbps]) => {
      const leak = { mbps, start: HOUR, stop: 3 * HOUR };
      const shape = readAtMajorGcs(s, 3, { leak });
      return { start: leak.start, shape, config: { maxGcCycleMs: 0 } };
    },
    40,
    runSeed,
  );
}

/** A slow leak on a 100 MB saw-tooth of the given GC rhythm, with 2 MB of noise. */
function slowLeakShape(
  seed: number,
  hours: number,
  cycleMs: [number, number],
  leak: NonNullable<SeriesShape["leak"]>,
): SeriesShape {
  return series(seed, hours, cycleMs, 100, { leak });
}

/** A steady leak for an hour from `start`, judged until half an hour after it began. */
function steadyLeakShape(
  seed: number,
  mbps: number,
  start: number,
  cycleMs: [number, number],
  amplitudeMB: number,
  noiseMB: number,
): SeriesShape {
  return {
    seed,
    hours: start / HOUR + 0.5,
    cycleMs,
    amplitudeMB,
    noiseMB,
    startupMB: 0,
    startupMs: 1,
    leak: { mbps, start, stop: start + HOUR },
  };
}

/** As steadyLeakShape, the leak coming in steps of `stepMB`, the first as it starts. */
function stepwiseLeakShape(
  seed: number,
  mbps: number,
  stepMB: number,
  start: number,
  cycleMs: [number, number],
  amplitudeMB: number,
  noiseMB: number,
): SeriesShape {
  const shape = steadyLeakShape(seed, mbps, start, cycleMs, amplitudeMB, noiseMB);
  return {
    ...shape,
    leak: { mbps, start, stop: start + HOUR, stepEveryMs: (stepMB / mbps) * 1000 },
  };
}

/** A leak on an irregular saw-tooth (cycle heights ±30 %, floors that jitter), 2 MB of noise. */
function irregularLeakShape(
  seed: number,
  hours: number,
  cycleMs: [number, number],
  amplitudeMB: number,
  leak: NonNullable<SeriesShape["leak"]>,
): SeriesShape {
  return series(seed, hours, cycleMs, amplitudeMB, { irregular: 0.3, leak });
}

const seed = fc.integer({ min: 1, max: 2 ** 31 - 1 });

/**
 * How long (ms) after its start each of 40 leaks of 1 MB/s was first found, shortest
 * first: each from the second hour's end for an hour, on an irregular saw-tooth of the
 * given cycles and amplitude range (MB), the series `hours` long (fast-check seed).
 */
function hourLeakDelays(
  cycleMs: [number, number],
  [minMB, maxMB]: [number, number],
  hours: number,
  runSeed: number,
): number[] {
  return sortedDelays(
    fc.tuple(seed, fc.double({ min: minMB, max: maxMB, noNaN: true })),
    ([s, amplitudeMB]) => {
      const leak = { mbps: 1, start: 2 * HOUR, stop: 3 * HOUR };
      return { start: leak.start, shape: irregularLeakShape(s, hours, cycleMs, amplitudeMB, leak) };
    },
    40,
    runSeed,
  );
}

/**
 * Of 40 leaks of 0.05-0.07 MB/s from the second hour, on irregular saw-tooth of the given
 * cycles and amplitude range (MB), how many are found within `withinMs` (fast-check seed).
 */
function slowLeaksFound(
  cycleMs: [number, number],
  [minMB, maxMB]: [number, number],
  withinMs: number,
  runSeed: number,
): number {
  let found = 0;
  fc.assert(
    fc.property(
      seed,
      fc.double({ min: minMB, max: maxMB, noNaN: true }),
      fc.double({ min: 0.05, max: 0.07, noNaN: true }),
      (s, amplitudeMB, mbps) => {
        const leak = { mbps, start: 2 * HOUR, stop: 4 * HOUR };
        const shape = irregularLeakShape(s, 3, cycleMs, amplitudeMB, leak);
        if (delayFrom(leak.start, shape) <= withinMs) found++;
      },
    ),
    { numRuns: 40, seed: runSeed },
  );
  return found;
}
/** When a leak starts: after start-up, within the first three hours. */
const leakStart = fc.integer({ min: 20 * MIN, max: 3 * HOUR });
/** A steady leak of 0.2-5 MB/s on a series with no saw-tooth and 0.5-3 MB of noise. */
const smoothSteadyLeak = fc
  .tuple(
    seed,
    fc.double({ min: 0.2, max: 5, noNaN: true }),
    leakStart,
    fc.double({ min: 0.5, max: 3, noNaN: true }),
  )
  .map(([s, mbps, start, noiseMB]) => ({
    start,
    mbps,
    shape: steadyLeakShape(s, mbps, start, [0, 0], 0, noiseMB),
  }));
/** No saw-tooth, or scavenges every 3-30 s. */
const smoothOrFastGc = fc.constantFrom<[number, number]>([0, 0], [3_000, 30_000]);
/** No saw-tooth, scavenges every 3-30 s, or major GC every 1-5 minutes. */
const smoothToMinuteGc = fc.constantFrom<[number, number]>(
  [0, 0],
  [3_000, 30_000],
  [60_000, 300_000],
);
/** GC rhythms from scavenges to ten-minute major GCs. */
const gc = fc.oneof(
  fc.constant<[number, number]>([0, 0]),
  fc.constant<[number, number]>([3_000, 30_000]),
  fc.constant<[number, number]>([60_000, 300_000]),
  fc.constant<[number, number]>([300_000, 600_000]),
);

describe("LeakTracker", () => {
  it("stays quiet on GC saw-tooth, noise, start-up growth and a one-off step", () => {
    fc.assert(
      fc.property(
        seed,
        gc,
        fc.double({ min: 5, max: 400, noNaN: true }),
        fc.double({ min: 0.5, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.integer({ min: 1 * MIN, max: 6 * MIN }),
        fc.record({
          at: fc.integer({ min: 30 * MIN, max: 10 * HOUR }),
          mb: fc.double({ min: -300, max: 300, noNaN: true }),
          ms: fc.integer({ min: 1, max: 30_000 }),
        }),
        (s, cycleMs, amplitudeMB, noiseMB, startupMB, startupMs, step) => {
          const shape = {
            seed: s,
            hours: 12,
            cycleMs,
            amplitudeMB,
            noiseMB,
            startupMB,
            startupMs,
            step,
          };
          expect(leakingTimes(shape)).toEqual([]);
        },
      ),
      // Seeded so CI judges the same cases every run.
      { numRuns: 40, seed: 20261202 },
    );
  });

  it("stays quiet on the first ramp of a 124 MB saw-tooth with 5-10 minute cycles", () => {
    // Found by an unseeded run of the property above: the line through the first GC ramp,
    // fitted over 8 minutes, claimed 100 MB of growth the floors never made.
    const shape: SeriesShape = {
      seed: 2123964987,
      hours: 12,
      cycleMs: [300_000, 600_000],
      amplitudeMB: 124.39,
      noiseMB: 0.571,
      startupMB: 0,
      startupMs: MIN,
      step: { at: 30 * MIN, mb: 0, ms: 1 },
    };
    expect(leakingTimes(shape)).toEqual([]);
  });

  it("stays quiet on a 91 MB ramp over a minute on a 240 MB saw-tooth of 3-30 s cycles", () => {
    // Found by an unseeded run of the load property below once a busy series' ramp was
    // judged at once: floors scattering by a hundred MB made a 4-minute window read 125 MB.
    // Short windows now ask such a ramp for three scatters more than 110 MB.
    const shape: SeriesShape = {
      seed: 281783236,
      hours: 6,
      cycleMs: [3_000, 30_000],
      amplitudeMB: 240.14,
      noiseMB: 2,
      startupMB: 0,
      startupMs: 1,
      step: { at: 17_999_996, mb: 91.075, ms: 60_015 },
    };
    expect(leakingTimes(shape)).toEqual([]);
  });

  it("stays quiet when load arrives: memory ramps up by under 100 MB over 1-10 minutes, then holds", () => {
    // Requests in flight hold more memory while busy. Over a short window the fitted line
    // through a ramp that flattened mid-window claims more growth than the floors made.
    fc.assert(
      fc.property(
        seed,
        gc,
        fc.double({ min: 5, max: 300, noNaN: true }),
        fc.record({
          at: fc.integer({ min: 30 * MIN, max: 5 * HOUR }),
          mb: fc.double({ min: 20, max: 95, noNaN: true }),
          ms: fc.integer({ min: 1 * MIN, max: 10 * MIN }),
        }),
        (s, cycleMs, amplitudeMB, step) => {
          const shape = {
            seed: s,
            hours: 6,
            cycleMs,
            amplitudeMB,
            noiseMB: 2,
            startupMB: 0,
            startupMs: 1,
            step,
          };
          expect(leakingTimes(shape)).toEqual([]);
        },
      ),
      { numRuns: 40, seed: 20261203 },
    );
  });

  it("stays quiet when load arrives slowly: 40-50 MB over 8-20 minutes, then holds", () => {
    // Growth that began under 30 minutes ago needs 50 MB in a long window, not 40. With 40 MB,
    // 2 of these 120 series fired (and 13 of 200 with 42-48 MB over 8-20 minutes); now none.
    const fired = firingCount(
      fc.tuple(
        seed,
        gc,
        fc.double({ min: 20, max: 200, noNaN: true }),
        fc.double({ min: 40, max: 50, noNaN: true }),
        fc.integer({ min: 8 * MIN, max: 20 * MIN }),
      ),
      ([s, cycleMs, amplitudeMB, mb, ms]) =>
        series(s, 4, cycleMs, amplitudeMB, { irregular: 0.3, step: { at: 2 * HOUR, mb, ms } }),
      120,
      20261205,
    );
    expect(fired).toBe(0);
  });

  it("stays quiet on a staircase of three one-off steps up, 30-90 minutes apart", () => {
    // Caches filling and models loading one after another: 120-450 MB in three jumps over
    // a few hours. The floors rise, but in three level shifts, not a line. Before the
    // three-level check 11 of these 40 fired; the one left, two 40 MB steps 30 minutes
    // apart judged in a 66-minute window, went once two level shifts could leave a single
    // floor at either end.
    const fired = firingCount(
      fc.tuple(
        seed,
        gc,
        fc.double({ min: 5, max: 300, noNaN: true }),
        fc.array(
          fc.record({
            gap: fc.integer({ min: 30 * MIN, max: 90 * MIN }),
            mb: fc.double({ min: 40, max: 150, noNaN: true }),
            ms: fc.integer({ min: 1, max: 30_000 }),
          }),
          { minLength: 3, maxLength: 3 },
        ),
      ),
      ([s, cycleMs, amplitudeMB, stairs]) => {
        let at = HOUR;
        const steps = stairs.map(({ gap, mb, ms }) => ({ at: (at += gap), mb, ms }));
        return series(s, 10, cycleMs, amplitudeMB, { steps });
      },
      40,
      20261203,
    );
    expect(fired).toBe(0);
  });

  it("does not report 42-48 MB of growth over 40-60 minutes that then stops", () => {
    // Windows under two hours ask 50 MB, not the 40 MB of longer ones: their few floors
    // also hold one-off steps and the wander about them. Before, 41 of these 100 fired;
    // the three left are two-hour windows, which still ask 40 MB (0.01 MB/s makes that
    // in 67 minutes).
    const fired = firingCount(
      fc.tuple(
        seed,
        gc,
        fc.double({ min: 42, max: 48, noNaN: true }),
        fc.integer({ min: 40 * MIN, max: 60 * MIN }),
      ),
      ([s, cycleMs, mb, ms]) =>
        series(s, 5, cycleMs, 100, {
          irregular: 0.3,
          leak: { mbps: mb / (ms / 1000), start: 2 * HOUR, stop: 2 * HOUR + ms },
        }),
      100,
      20261205,
    );
    expect(fired).toBeLessThanOrEqual(3);
  });

  it("does not report 52-60 MB of growth over an hour that then stops from an hour's six floors, under GC every 5-10 minutes", () => {
    // An hour's window holds six floors there, too few for the trend test to reach its
    // level: six that rise in a row pass it whatever their scatter. So such windows ask a
    // quarter more than their 50 MB. Before, 37 of these 100 were reported, then 10, now 3,
    // each by a two-hour window after the growth stopped: those ask 50 MB to report a leak
    // (40 MB before stop 48, which 0.01 MB/s makes in 67 minutes).
    fc.assert(
      fc.property(
        seed,
        fc.double({ min: 52, max: 60, noNaN: true }),
        fc.integer({ min: 55 * MIN, max: 65 * MIN }),
        (s, mb, ms) => {
          const shape = series(s, 5, [300_000, 600_000], 100, {
            irregular: 0.3,
            leak: { mbps: mb / (ms / 1000), start: 2 * HOUR, stop: 2 * HOUR + ms },
          });
          const first = verdictsOf((sample) => generate(shape, sample)).find((v) => v.leaking);
          expect(first?.windowMs ?? Infinity).toBeGreaterThanOrEqual(2 * HOUR);
        },
      ),
      { numRuns: 100, seed: 20261205 },
    );
  });

  it("stays quiet on two one-off steps up within the hour under GC every 5-10 minutes", () => {
    // A window of an hour holds six floors there: two steps make three levels, the last
    // often a single floor. Before one-floor end levels counted, 16 of these 200 fired.
    const fired = firingCount(
      fc.tuple(
        seed,
        fc.double({ min: 50, max: 400, noNaN: true }),
        fc.integer({ min: 20 * MIN, max: 50 * MIN }),
        fc.array(
          fc.record({
            mb: fc.double({ min: 60, max: 300, noNaN: true }),
            ms: fc.integer({ min: 1, max: 30_000 }),
          }),
          { minLength: 2, maxLength: 2 },
        ),
      ),
      ([s, amplitudeMB, gap, [first, second]]) =>
        series(s, 5, [5 * MIN, 10 * MIN], amplitudeMB, {
          irregular: 0.3,
          steps: [
            { at: 2 * HOUR, ...first! },
            { at: 2 * HOUR + gap, ...second! },
          ],
        }),
      200,
      20261205,
    );
    expect(fired).toBeLessThanOrEqual(2);
  });

  it("stays quiet on two like-sized one-off steps of 200-300 MB 2-15 minutes apart, on a smooth series and under GC every 3-30 s", () => {
    // A cache filling, then a second model loading. Two steps make three levels, which a
    // line through a window's floors fits no worse than a stepwise leak's: windows under
    // 30 minutes took them for a leak (57 and 46 of 200 generated series) until they too
    // asked whether two level shifts fit the floors as well as a line.
    const fired = firingCountWith(
      fc.tuple(
        seed,
        fc.boolean(),
        fc.integer({ min: 2 * MIN, max: 15 * MIN }),
        fc.array(
          fc.record({
            mb: fc.double({ min: 200, max: 300, noNaN: true }),
            ms: fc.integer({ min: 1, max: 30_000 }),
          }),
          { minLength: 2, maxLength: 2 },
        ),
      ),
      ([s, smooth, gap, [first, second]]) => ({
        shape: series(s, 2.5, smooth ? [0, 0] : [3_000, 30_000], 30, {
          irregular: smooth ? 0 : 0.3,
          steps: [
            { at: HOUR, ...first! },
            { at: HOUR + gap, ...second! },
          ],
        }),
        config: smooth ? { maxGcCycleMs: 0 } : {},
      }),
      100,
      20261205,
    );
    expect(fired).toBe(0);
  });

  it("stays quiet on the first GC ramps after hours idle since the start", () => {
    // Hours of standing still show no GC rhythm; the first ramp of 100-300 MB in one to
    // five minutes then looks like a fast leak on a smooth series (0.2 a week before).
    fc.assert(
      fc.property(
        seed,
        fc.integer({ min: HOUR, max: 6 * HOUR }),
        fc.double({ min: 100, max: 300, noNaN: true }),
        fc.constantFrom<[number, number]>([60_000, 180_000], [120_000, 300_000]),
        (s, idleMs, amplitudeMB, cycleMs) => {
          const shape = {
            seed: s,
            hours: idleMs / HOUR + 1,
            cycleMs,
            amplitudeMB,
            noiseMB: 1,
            startupMB: 0,
            startupMs: 1,
            idleUntilMs: idleMs,
          };
          expect(leakingTimes(shape)).toEqual([]);
        },
      ),
      { numRuns: 30, seed: 20261204 },
    );
  });

  it("takes floors that rise at every GC cycle for a leak only when they lie on a line", () => {
    // GC every 2 minutes, 100 MB of garbage per cycle; each cycle's post-GC floor given.
    // A one-off step that lands across a collection, then flattens, lifts three floors in a
    // row by 40, 65 and 16 MB: 121 MB, over the rising-floors allowance, but bent. The
    // tuning corpus raised six false alarms in 60 seed-weeks this way.
    const sawTooth = (floorsMB: number[]): LeakVerdict[] =>
      verdictsOf((sample) => regularSawTooth(floorsMB.length, (c) => floorsMB[c]!, sample));
    const flat = (mb: number, cycles: number): number[] => Array<number>(cycles).fill(mb);
    const bent = sawTooth([...flat(666, 30), 706, 771, 787, ...flat(787, 30)]);
    expect(bent.filter((v) => v.leaking)).toEqual([]);
    // Straight, by 45 MB a cycle: three steps pass the allowance less a ramp step (4.5 MB),
    // which the newest floor's sample may stand above its collection's level.
    const straight = sawTooth([...flat(666, 30), 711, 756, 801, 846, 891, ...flat(891, 30)]);
    const found = straight.find((v) => v.leaking);
    expect(found?.reason).toMatch(/after each of the last \d GC cycles/);
  });

  it("takes floors that rise at every GC cycle for a leak only when no one burst lifted them", () => {
    // From the bench corpus (one-off steps, seed 5271): under irregular GC a 15 s cycle
    // left its floor 28 MB higher, then a 225 MB cache filling within 30 s landed across
    // a drop; the floors rose 28, 81 and 116 MB over 15, 70 and 75 s, like a 1.4 MB/s
    // leak on a line. The ramps show the cache: two increments of 38 and 54 MB before the
    // drop and three of 47, 50 and 38 after it, where the ramp climbs 6-8 MB a sample.
    expect(leakingReasons("one-off-step-across-gc")).toEqual([]);
    // A stepwise leak fills like amounts at every cycle: no one burst carries the rise.
    // 40 MB within one sample, mid-ramp, every cycle from the 31st.
    const steps = (c: number, k: number): number =>
      666 + 40 * Math.max(0, c - 30 + (k >= 12 ? 1 : 0));
    const found = verdictsOf((sample) => regularSawTooth(40, steps, sample)).find((v) => v.leaking);
    expect(found?.reason).toMatch(/after each of the last \d GC cycles/);
  });

  it("stays quiet on a cache filling within seconds under irregular GC, in a long GC ramp or between cycle floors", () => {
    // From the bench corpus (one-off steps under irregular GC), two segments that fired.
    // A 224 MB cache at the start of a 7.6-minute cycle, after cycles of seconds to two
    // minutes, lifted the ramp past twice the biggest drop: the horizon fell to 20 s and
    // the onset check read the ramp itself as a 0.27 MB/s leak. A 105 MB cache just after
    // a drop lifted the next floor, and with floors that rose 38 and 28 MB by their scatter
    // made four rising by 140 MB. Both ramps show the cache as one burst standing alone.
    for (const name of ["cache-in-long-gc-ramp", "cache-lifting-cycle-floors"]) {
      expect(leakingReasons(name)).toEqual([]);
    }
  });

  it("stays quiet on load ramping in over half an hour's floors, and on a step and the floors' drift over two hours", () => {
    // From the bench corpus, two segments that fired. A busy stretch ramped in 50 MB over
    // 8 minutes, under GC every 1-5 minutes: the floors of the half hour around it read as
    // 0.045 MB/s, 51 MB, past the 50 MB then asked of growth under 30 minutes old. Under GC
    // every 5-10 minutes a 29 MB cache and the floors' chance drift about it read as
    // 0.005 MB/s over 2.1 hours, 40 MB, just past the 40 MB then asked of a window that long.
    for (const name of ["load-ramp-over-half-an-hour", "step-and-drift-over-two-hours"]) {
      expect(leakingReasons(name)).toEqual([]);
    }
  });

  it("stays quiet when steep ramps lift the post-GC samples of start-up growth and of load arriving", () => {
    // From the bench corpus, under irregular GC: a post-GC sample comes up to a ramp step
    // after its collection, and on steep ramps stands up to 43 MB above the level that
    // collection left. Start-up growth of 88 MB read as 124 MB over three rising floors,
    // and load arriving (about 90 MB) as 133 MB over five, past the 120 MB asked of them.
    for (const name of ["start-up-on-steep-ramps", "load-on-steep-ramps"]) {
      expect(leakingReasons(name)).toEqual([]);
    }
  });

  it("stays quiet when a cache fills inside a block, between its collections", () => {
    // From the bench corpus, under GC every 5-10 minutes: the block that held the second of
    // two caches had its lowest sample on the ramp before it, a third level between the two
    // that the level-shift tests do not fit. To raise a leak, such a block's floor now starts
    // at its first post-GC floor.
    expect(leakingReasons("step-within-a-block")).toEqual([]);
  });

  it("stays quiet on start-up growth while the first collections free less than later ones", () => {
    // From the bench corpus, under irregular GC, the first 15 minutes of a process: the
    // climb across cycles read start-up growth and a GC ramp as growth 125 MB past any drop
    // seen, 6 minutes in. The climb rule now waits until the series has been watched for
    // 1.1 of the longest GC cycle.
    expect(leakingReasons("climb-at-process-start")).toEqual([]);
  });

  it("stays quiet when a collection splits a cache between two floors under a minute apart", () => {
    // From the bench corpus, under irregular GC: each of the two floors carried under 60 %
    // of the climb's excess, so neither read as the one jump a cache makes. Floors under a
    // minute apart now count as one rise.
    expect(leakingReasons("cache-split-by-a-drop")).toEqual([]);
  });

  it("finds a steady or stepwise leak of 1-5 MB/s within 5 minutes on a smooth series, 7 when GC runs at least every 30 s", () => {
    fc.assert(
      fc.property(
        seed,
        smoothOrFastGc,
        fc.double({ min: 1, max: 5, noNaN: true }),
        leakStart,
        fc.constantFrom(undefined, 10_000, 30_000),
        (s, cycleMs, mbps, start, stepEveryMs) => {
          const leak = { mbps, start, stop: start + HOUR, stepEveryMs };
          const shape = series(s, start / HOUR + 1, cycleMs, 50, { leak });
          // A smooth series is declared so, as the memory_leak rule declares heap after
          // GC and GPU memory. Undeclared, a ramp from standing still may be a GC cycle
          // until it has lasted 5.5 minutes.
          const smooth = cycleMs[1] === 0;
          expect(delayFrom(start, shape, smooth ? { maxGcCycleMs: 0 } : {})).toBeLessThanOrEqual(
            (smooth ? 5 : 7) * MIN,
          );
        },
      ),
      { numRuns: 20, seed: 20261202 },
    );
  });

  it("finds a steady leak on a series declared smooth within 10 s of its passing 110 MB (2 minutes at 1 MB/s)", () => {
    // The floors since growth began, along a straight line, say it once they pass the
    // start-up allowance by 10 %: before that check, 1 MB/s took 2.6-3.1 minutes and
    // 0.2 MB/s 12-14 on the corpus, waiting for a window to fill. Floors of one 10 s bucket,
    // not of the 20 s shortest GC horizon, lag a ramp 10 s less (1 MB/s: 2.17 minutes at
    // most here with the longer floors). A bucket's first sample is now looked at as it
    // lands, not once the bucket is complete: the time past the 110 MB was up to 19 s here
    // before that, 4 s now. Faster leaks wait for the check's 90 s of floors.
    fc.assert(
      fc.property(smoothSteadyLeak, ({ start, mbps, shape }) => {
        expect(delayFrom(start, shape, { maxGcCycleMs: 0 })).toBeLessThanOrEqual(
          Math.max((110 / mbps) * 1000, 90_000) + 10_000,
        );
      }),
      { numRuns: 40, seed: 20261205 },
    );
  });

  it("finds a 0.2 MB/s leak in steps of 20-60 MB on a series declared smooth by a step after three pass 110 MB", () => {
    // A stepwise leak strays from the line through its floors by up to half a step, more
    // than the onset check allowed a straight climb (a tenth of the rise): steps over about
    // 20 MB waited for a window, 2-6 minutes longer. Found by the step after the one that
    // passes 110 MB at the latest: a 20 MB step in 3 MB of noise may read as under six
    // floor scatters, and then is no step.
    fc.assert(
      fc.property(
        seed,
        fc.double({ min: 20, max: 60, noNaN: true }),
        leakStart,
        fc.double({ min: 0.5, max: 3, noNaN: true }),
        (s, stepMB, start, noiseMB) => {
          const shape = stepwiseLeakShape(s, 0.2, stepMB, start, [0, 0], 0, noiseMB);
          const steps = Math.max(3, Math.ceil(110 / stepMB));
          expect(delayFrom(start, shape, { maxGcCycleMs: 0 })).toBeLessThanOrEqual(
            steps * shape.leak!.stepEveryMs! + 30_000,
          );
        },
      ),
      { numRuns: 40, seed: 20261205 },
    );
  });

  it("finds a 1-5 MB/s leak in steps of 100-300 MB under GC every 3-30 s within three minutes of its third step", () => {
    // Two steps may be two caches; from the third the floors since the onset climb as a
    // staircase, whose steps on RSS must also stand eight floor scatters above the noise.
    // Without it, short windows that ask whether two level shifts fit waited for a fourth
    // step or more (1 MB/s in steps, 40 tuning seeds: 10.6 minutes median, 6.7 with it).
    fc.assert(
      fc.property(
        seed,
        fc.double({ min: 1, max: 5, noNaN: true }),
        fc.double({ min: 100, max: 300, noNaN: true }),
        leakStart,
        // Drops of 20 MB and more stand out of 2 MB of noise: the GC rhythm is seen.
        fc.double({ min: 20, max: 60, noNaN: true }),
        (s, mbps, stepMB, start, amplitudeMB) => {
          const shape = stepwiseLeakShape(s, mbps, stepMB, start, [3_000, 30_000], amplitudeMB, 2);
          expect(delayFrom(start, shape)).toBeLessThanOrEqual(
            2 * shape.leak!.stepEveryMs! + 3 * MIN,
          );
        },
      ),
      { numRuns: 30, seed: 20261205 },
    );
  });

  it("stays quiet on a series declared smooth when start-up adds the whole 100 MB allowance", () => {
    // The hardest case for the straight-line check: a straight ramp of exactly the
    // allowance. With no margin over it, noisy floors read as 100-103 MB now and then.
    let fired = 0;
    for (let s = 1; s <= 300; s++) {
      const shape = {
        seed: s,
        hours: 0.5,
        cycleMs: [0, 0] as [number, number],
        amplitudeMB: 0,
        noiseMB: 3,
        startupMB: 100,
        startupMs: (1 + (s % 6)) * MIN,
      };
      if (leakingTimes(shape, { maxGcCycleMs: 0 }).length > 0) fired++;
    }
    expect(fired).toBe(0);
  });

  it("rarely reports a start-up of the whole 100 MB allowance on a series declared smooth with 6-8 MB of noise", () => {
    // Noisy single-bucket floors jump by over a tenth of the rise now and then: when that
    // was all a staircase's step needed, 157 of these 300 fired. Its steps must now climb
    // six floor scatters, and 6 fire, as before the staircase.
    let fired = 0;
    for (let s = 1; s <= 300; s++) {
      const shape = {
        seed: s,
        hours: 0.5,
        cycleMs: [0, 0] as [number, number],
        amplitudeMB: 0,
        noiseMB: 6 + (s % 3),
        startupMB: 100,
        startupMs: (1 + (s % 6)) * MIN,
      };
      if (leakingTimes(shape, { maxGcCycleMs: 0 }).length > 0) fired++;
    }
    expect(fired).toBeLessThanOrEqual(6);
  });

  it("stays quiet on a series declared smooth through start-up growth of up to 100 MB and a one-off step", () => {
    // What the check above must not take for a leak: start-up growing linearly up to the
    // allowance, as fast as in a minute or as slow as in six, and a cache filling at once.
    fc.assert(
      fc.property(
        seed,
        fc.double({ min: 0.5, max: 3, noNaN: true }),
        fc.double({ min: 50, max: 100, noNaN: true }),
        fc.integer({ min: 1 * MIN, max: 6 * MIN }),
        fc.record({
          at: fc.integer({ min: 30 * MIN, max: 5 * HOUR }),
          mb: fc.double({ min: -300, max: 300, noNaN: true }),
          ms: fc.integer({ min: 1, max: 30_000 }),
        }),
        (s, noiseMB, startupMB, startupMs, step) => {
          const shape = {
            seed: s,
            hours: 6,
            cycleMs: [0, 0] as [number, number],
            amplitudeMB: 0,
            noiseMB,
            startupMB,
            startupMs,
            step,
          };
          expect(leakingTimes(shape, { maxGcCycleMs: 0 })).toEqual([]);
        },
      ),
      { numRuns: 60, seed: 20261205 },
    );
  });

  it("finds a steady 1-5 MB/s leak on RSS within 4 minutes when GC runs faster than the sampling", () => {
    // The saw-tooth hides in the 5 s samples, so no GC rhythm is seen, and a ramp from
    // standing still used to wait 5.5 minutes in case it was the first GC cycle after idle.
    // Samples that kink by tens of MB from one to the next show a busy process instead,
    // and the onset check then reads the climb past the allowance and the floors' scatter.
    fc.assert(
      fc.property(
        seed,
        fc.double({ min: 1, max: 5, noNaN: true }),
        leakStart,
        fc.double({ min: 30, max: 60, noNaN: true }),
        (s, mbps, start, amplitudeMB) => {
          const shape = steadyLeakShape(s, mbps, start, [3_000, 8_000], amplitudeMB, 2);
          expect(delayFrom(start, shape)).toBeLessThanOrEqual(4 * MIN);
        },
      ),
      { numRuns: 30, seed: 20261205 },
    );
  });

  it("rarely reports a one-off ramp of the whole 100 MB allowance on RSS with GC faster than the sampling", () => {
    // Short windows read such a ramp as 101-115 MB through floors that scatter by tens of
    // MB. Judged at once on a busy series, with no margin, 22 of these 300 fired; with the
    // onset check's 10 % margin 11, as many as when every ramp waited 5.5 minutes (10).
    let fired = 0;
    for (let s = 1; s <= 300; s++) {
      const shape: SeriesShape = {
        seed: s,
        hours: 1.5,
        cycleMs: [3_000, 8_000],
        amplitudeMB: 20 + (s % 5) * 10,
        noiseMB: 2,
        startupMB: 0,
        startupMs: 1,
        step: { at: HOUR, mb: 100, ms: (1 + (s % 6)) * MIN },
      };
      if (leakingTimes(shape).length > 0) fired++;
    }
    expect(fired).toBeLessThanOrEqual(12);
  });

  it("finds a 0.2 MB/s leak on RSS with GC every 10-30 s within 10.5 minutes in half the cases, 14.5 in all", () => {
    // That GC is busy (its samples kink by more than standing still allows), so the onset
    // check reads it, asking the climb to clear three floor scatters past 110 MB. Before,
    // the windows alone: 13.7 minutes median over these 60 series, 15.0 worst.
    const delays: number[] = [];
    for (let s = 1; s <= 60; s++) {
      const shape = steadyLeakShape(s, 0.2, HOUR, [10_000, 30_000], 5 + (s % 5) * 5, 2);
      delays.push(delayFrom(HOUR, shape));
    }
    expect(delays.filter((d) => d <= 10.5 * MIN).length).toBeGreaterThanOrEqual(30);
    expect(Math.max(...delays)).toBeLessThanOrEqual(14.5 * MIN);
  });

  it("finds a 0.2 MB/s leak on RSS with GC every 3-30 s on a saw-tooth of 20-60 MB within 11.5 minutes", () => {
    // A floor of four samples may miss the post-GC level of a saw-tooth this fast, and the
    // climb must clear three of their scatters; floors of eight samples scatter less. With
    // the short floors alone: 10.8 minutes median over these 60 series, 13.8 worst; with
    // both, 10.4 and 11.4.
    const delays: number[] = [];
    for (let s = 1; s <= 60; s++) {
      const shape = steadyLeakShape(s, 0.2, HOUR, [3_000, 30_000], 20 + (s % 5) * 10, 2);
      delays.push(delayFrom(HOUR, shape));
    }
    expect(Math.max(...delays)).toBeLessThanOrEqual(11.5 * MIN);
  });

  it("finds a 1 MB/s leak under GC every 1-5 minutes within 10.5 minutes, from the floors it lifted and the ramp together", () => {
    // The ramp alone must pass twice the biggest drop before the next drop comes, and a
    // leak that began mid-cycle lifts the next floor by less than the one after, which
    // the rising-floors rules read as one jump. The climb from the floor before the leak,
    // across the drops since, adds the floors' rise to the ramp's. Over these 40 series:
    // median 3.4, 90th percentile 8.8, worst 10.1 minutes (3.8, 9.4 and 11.8 before).
    const delays = hourLeakDelays([60_000, 300_000], [20, 300], 2.5, 20261206);
    expect(delays[36]!).toBeLessThanOrEqual(9 * MIN);
    expect(delays[39]!).toBeLessThanOrEqual(10.5 * MIN);
  });

  it("finds a 1 MB/s leak under GC every 5-10 minutes within 18 minutes, from the lowest floor of the last half hour when a quarter's is too near", () => {
    // A quarter hour holds two or three floors there, too few for the climb across them to
    // pass twice the drops; half an hour holds more. Over these 40 series, collections of
    // 200-400 MB: 90th percentile 13.7, worst 17.7 minutes (14.9 and 19.0 with the quarter
    // hour alone).
    const delays = hourLeakDelays([300_000, 600_000], [200, 400], 3, 20261207);
    expect(delays[36]!).toBeLessThanOrEqual(14 * MIN);
    expect(delays[39]!).toBeLessThanOrEqual(18 * MIN);
  });

  it("finds a 0.2-1 MB/s leak within 35 minutes under GC every 5-10 minutes", () => {
    // The floors of the cycles before the leak rose now and then by their jitter alone, and
    // a rising run reaching back into them read as bent; the shortest tail that reads as a
    // leak counts. Over 100 such series: median 18.4, worst 30.4 minutes (50.0 before).
    fc.assert(
      fc.property(
        seed,
        fc.double({ min: 50, max: 400, noNaN: true }),
        fc.double({ min: 0.2, max: 1, noNaN: true }),
        (s, amplitudeMB, mbps) => {
          const leak = { mbps, start: 2 * HOUR, stop: 4 * HOUR };
          const shape = irregularLeakShape(s, 3, [300_000, 600_000], amplitudeMB, leak);
          expect(delayFrom(leak.start, shape)).toBeLessThanOrEqual(35 * MIN);
        },
      ),
      { numRuns: 30, seed: 20261205 },
    );
  });

  it("finds a 0.2-0.3 MB/s leak under GC every 5-10 minutes within 18 minutes at the median, 23 at worst, from three cycle floors no burst lifted", () => {
    // Four rising floors span three cycles, 15-30 minutes there; three do when no burst in
    // their ramps explains the rise. Over these 40 series: median 17.0, worst 21.9 minutes
    // (20.8 and 26.8 with four floors).
    const delays = sortedDelays(
      fc.tuple(
        seed,
        fc.double({ min: 50, max: 300, noNaN: true }),
        fc.double({ min: 0.2, max: 0.3, noNaN: true }),
      ),
      ([s, amplitudeMB, mbps]) => {
        const leak = { mbps, start: 2 * HOUR, stop: 4 * HOUR };
        const shape = irregularLeakShape(s, 3, [300_000, 600_000], amplitudeMB, leak);
        return { start: leak.start, shape };
      },
      40,
      20261206,
    );
    expect(delays[19]).toBeLessThanOrEqual(18 * MIN);
    expect(delays[39]).toBeLessThanOrEqual(23 * MIN);
  });

  it("finds most 0.05-0.07 MB/s leaks within 30 minutes under GC every 5-10 minutes, and nearly all within 40", () => {
    // A run of cycle floors spanning 30 minutes or more, or 20 minutes and five floors,
    // needs 60 MB, not the 120 MB of the start-up allowance; four floors over 20 minutes
    // need 70 MB once the bursts in their ramps are set aside. Over these 40 series: 33
    // found within 30 minutes and 39 within 40 (26 and 38 with five floors only).
    const within30 = slowLeaksFound([300_000, 600_000], [50, 400], 30 * MIN, 20261205);
    const within40 = slowLeaksFound([300_000, 600_000], [50, 400], 40 * MIN, 20261205);
    expect(within30).toBeGreaterThanOrEqual(32);
    expect(within40).toBeGreaterThanOrEqual(38);
  });

  it("finds most 0.05-0.07 MB/s leaks within 30 minutes under irregular GC, cycles of 20 s to 10 minutes", () => {
    // One ten-minute cycle sets the horizon, and stretched every window under an hour to an
    // hour; windows of 16 minutes and more now judge the floors of the cycles within them.
    const found = slowLeaksFound([20_000, 600_000], [20, 200], 30 * MIN, 20261206);
    // 29 of these 40 now, 23 when every window under an hour stretched to an hour.
    expect(found).toBeGreaterThanOrEqual(27);
  });

  it("finds a 2-5 MB/s leak under GC every 1-10 minutes within 2 minutes at the median, 7 at worst, before the next GC shows it", () => {
    // The ramp under way outgrows anything a collection frees: twice the biggest recent
    // drop, and that drop plus 120 MB. How soon depends on where in its cycle the leak
    // starts and on how much the cycle's collection frees (up to 260 MB here).
    const delays = sortedDelays(
      fc.tuple(
        seed,
        fc.constantFrom<[number, number]>([60_000, 300_000], [300_000, 600_000]),
        fc.double({ min: 20, max: 200, noNaN: true }),
        fc.double({ min: 2, max: 5, noNaN: true }),
        fc.integer({ min: 0, max: 10 * MIN }),
      ),
      ([s, cycleMs, amplitudeMB, mbps, offset]) => {
        const leak = { mbps, start: 2 * HOUR + offset, stop: 3 * HOUR };
        return { start: leak.start, shape: irregularLeakShape(s, 2.5, cycleMs, amplitudeMB, leak) };
      },
      40,
      20261206,
    );
    // Over these 40: median 1.7 minutes, worst 6.6 (worst 14 when a ramp older than a GC
    // cycle was not judged: a 3.9 MB/s climb hid 20 MB drops; 11 when a leak that began
    // mid-ramp counted as a burst). Before this rule: median 16.3, and 3 not found in the
    // half hour the series runs on.
    expect(delays[delays.length / 2]).toBeLessThanOrEqual(2 * MIN);
    expect(delays[delays.length - 1]).toBeLessThanOrEqual(7 * MIN);
  });

  it("states a rate whose interval holds the leak's true pace, not only the growth it is sure of", () => {
    // The message's rate sets the time until a limit. The ramp rule reported a fast leak
    // under slow GC at the excess over the ramp's age: a third of 5 MB/s (0.31 median on
    // the tuning seeds of GC every 5-10 minutes, its interval holding the pace in 15 %).
    // A staircase was stated at its steps over the span from the floor before the first
    // (1.3-1.5 times its pace), and a straight climb with the line's error as if its
    // floors did not wander (54 %). And since when: see the ages below.
    const stated: { ratio: number; held: boolean; age: number }[] = [];
    const check = (start: number, shape: SeriesShape, config: Partial<LeakTrackerConfig> = {}) => {
      const tracker = new LeakTracker(config);
      let first: LeakVerdict | undefined;
      let at = NaN;
      generate(shape, (t, v) => {
        tracker.observe(t, v);
        if (first === undefined && t >= start && tracker.verdict().leaking) {
          first = tracker.verdict();
          at = t;
        }
      });
      expect(first, "the leak is found").toBeDefined();
      const truth = shape.leak!.mbps * 1e6;
      stated.push({
        ratio: first!.slope / truth,
        held: first!.slopeLow <= truth && truth <= first!.slopeHigh,
        age: (at - first!.since!) / (at - start),
      });
    };
    fc.assert(
      fc.property(
        seed,
        fc.constantFrom<[number, number]>([60_000, 300_000], [300_000, 600_000]),
        fc.double({ min: 20, max: 200, noNaN: true }),
        fc.double({ min: 2, max: 5, noNaN: true }),
        fc.integer({ min: 0, max: 10 * MIN }),
        (s, cycleMs, amplitudeMB, mbps, offset) => {
          const leak = { mbps, start: 2 * HOUR + offset, stop: 3 * HOUR };
          check(leak.start, irregularLeakShape(s, 2.5, cycleMs, amplitudeMB, leak));
        },
      ),
      { numRuns: 30, seed: 20261206 },
    );
    fc.assert(
      fc.property(
        seed,
        fc.double({ min: 1, max: 5, noNaN: true }),
        fc.double({ min: 60, max: 300, noNaN: true }),
        leakStart,
        smoothOrFastGc,
        (s, mbps, stepMB, start, cycleMs) => {
          const smooth = cycleMs[0] === 0;
          const shape = stepwiseLeakShape(s, mbps, stepMB, start, cycleMs, smooth ? 0 : 30, 2);
          check(start, shape, smooth ? { maxGcCycleMs: 0 } : {});
        },
      ),
      { numRuns: 30, seed: 20261206 },
    );
    fc.assert(
      fc.property(smoothSteadyLeak, ({ start, shape }) => {
        check(start, shape, { maxGcCycleMs: 0 });
      }),
      { numRuns: 30, seed: 20261206 },
    );
    // Read at major GCs minutes apart, a leak that began between two readings lifts the
    // first only by the share of the gap it spanned: the two jumps' rise over their span
    // stated 2-5 MB/s at 0.84 of its pace (median of these 30; 0.61 at the 10th
    // percentile), the second jump's pace at 0.96 (0.82). And the age it stated, from the
    // reading before the first jump, over the leak's: 1.67 at the 90th percentile; from
    // where the first jump began at the second's pace, 1.25.
    const before = stated.length;
    fc.assert(
      fc.property(seed, fc.double({ min: 2, max: 5, noNaN: true }), (s, mbps) => {
        const leak = { mbps, start: HOUR, stop: 3 * HOUR };
        check(leak.start, readAtMajorGcs(s, 2, { leak }), { maxGcCycleMs: 0 });
      }),
      { numRuns: 30, seed: 20261207 },
    );
    const read = stated
      .slice(before)
      .map((x) => x.ratio)
      .sort((a, b) => a - b);
    expect(read[15]).toBeGreaterThan(0.9);
    expect(read[3]).toBeGreaterThan(0.7);
    const readAges = stated
      .slice(before)
      .map((x) => x.age)
      .sort((a, b) => a - b);
    expect(readAges[27]).toBeLessThan(1.4);
    // Over the 90 before those: the rate stated 0.72-1.30 times the pace, median 1.00, and 88
    // intervals hold it; before, 0.13-1.48, median 0.95, and 43.
    const ratios = stated.map((x) => x.ratio).sort((a, b) => a - b);
    const held = stated.filter((x) => x.held).length;
    // The age stated ("for 4 min"), over the leak's: 0.53-1.29, 90th percentile 1.12. The
    // ramp rule stated the ramp's start, a GC cycle or more before the leak began: 90th
    // percentile 2.9, and up to 6.6.
    const ages = stated.map((x) => x.age).sort((a, b) => a - b);
    expect(ages[Math.floor(0.9 * ages.length)]).toBeLessThan(1.5);
    expect(ratios[Math.floor(ratios.length / 2)]).toBeGreaterThan(0.9);
    expect(ratios[Math.floor(ratios.length / 2)]).toBeLessThan(1.1);
    expect(held).toBeGreaterThanOrEqual(0.85 * stated.length);
  });

  it("clears within 10 minutes once a 1-5 MB/s leak stops under GC every 3-30 s too small to show every drop", () => {
    // A ramp's floor is the cycle's only while the ramp is younger than a GC cycle: with
    // drops lost in the noise, the floor since the last one seen held a stopped leak's
    // growth, and the alert never cleared.
    fc.assert(
      fc.property(
        seed,
        fc.double({ min: 5, max: 60, noNaN: true }),
        fc.double({ min: 1, max: 5, noNaN: true }),
        (s, amplitudeMB, mbps) => {
          const leak = { mbps, start: 10 * MIN, stop: 40 * MIN };
          const shape = series(s, 1.5, [3_000, 30_000], amplitudeMB, { leak, noiseMB: 3 });
          expect(lastLeakingAfter(leakingTimes(shape), leak.stop)).toBeLessThanOrEqual(10 * MIN);
        },
      ),
      { numRuns: 30, seed: 20261206 },
    );
  });

  it("finds a leak of 0.05-0.5 MB/s within an hour whatever the GC rhythm", () => {
    fc.assert(
      fc.property(seed, gc, fc.double({ min: 0.05, max: 0.5, noNaN: true }), (s, cycleMs, mbps) => {
        const start = 2 * HOUR;
        const leak = { mbps, start, stop: start + 2 * HOUR };
        const shape = slowLeakShape(s, 4, cycleMs, leak);
        expect(delayFrom(start, shape)).toBeLessThanOrEqual(HOUR);
      }),
      { numRuns: 20, seed: 20261202 },
    );
  });

  it("clears within 10 minutes once a 1 MB/s leak stops, and stays clear", () => {
    fc.assert(
      fc.property(seed, smoothOrFastGc, (s, cycleMs) => {
        const leak = { mbps: 1, start: HOUR, stop: HOUR + 30 * MIN };
        const shape = series(s, 3, cycleMs, 50, { leak });
        const tracker = new LeakTracker();
        const times: number[] = [];
        let ended: string | undefined;
        let was = false;
        generate(shape, (t, v) => {
          tracker.observe(t, v);
          const { leaking, reason } = tracker.verdict();
          if (leaking) times.push(t);
          else if (was) ended = reason;
          was = leaking;
        });
        expect(lastLeakingAfter(times, leak.stop)).toBeLessThanOrEqual(10 * MIN);
        // The verdict that ends it says why.
        expect(ended).toMatch(/growth has stopped/);
      }),
      { numRuns: 20, seed: 20261202 },
    );
  });

  it("clears within 5 minutes of a 1-5 MB/s stepwise leak's last step on a smooth series and under GC every 3-30 s", () => {
    // So its alert resolves within 10 (resolve_for is 5). Between steps the floor stands
    // still, and the check then ends the leak and the next step resumes it. Over these 40:
    // median 3.3, worst 3.5 minutes; 5.6 and 13.5 when the check's block grew with the
    // floors' scatter about the window's line, which is the steps themselves.
    fc.assert(
      fc.property(
        seed,
        smoothOrFastGc,
        fc.double({ min: 1, max: 5, noNaN: true }),
        fc.integer({ min: 30_000, max: 300_000 }),
        (s, cycleMs, mbps, stepEveryMs) => {
          const leak = { mbps, start: HOUR, stop: 2 * HOUR, stepEveryMs };
          const lastStep = lastStepOf(leak);
          const shape = series(s, 3, cycleMs, 50, { leak });
          const times = leakingTimes(shape, cycleMs[1] === 0 ? { maxGcCycleMs: 0 } : {});
          expect(lastLeakingAfter(times, leak.stop, lastStep)).toBeLessThanOrEqual(5 * MIN);
        },
      ),
      { numRuns: 40, seed: 20261205 },
    );
  });

  it("clears within 9 minutes of a 1-5 MB/s stepwise leak's last step under GC every 5-10 minutes, before a collection shows it, and alerts once", () => {
    // Its steps show at once as bursts in the ramp; a collection shows them in a floor only
    // minutes later. No step for two of its gaps is a stop. Over these 30: median 3.6,
    // worst 8.1 minutes; 12.7 and 17.6 when the stop waited for the floors.
    fc.assert(
      fc.property(
        seed,
        fc.double({ min: 1, max: 5, noNaN: true }),
        fc.integer({ min: 60_000, max: 240_000 }),
        (s, mbps, stepEveryMs) => {
          const leak = { mbps, start: HOUR, stop: 2 * HOUR, stepEveryMs };
          const lastStep = lastStepOf(leak);
          const shape = series(s, 3, [5 * MIN, 10 * MIN], 120, { leak });
          const times = leakingTimes(shape);
          expect(lastLeakingAfter(times, leak.stop, lastStep)).toBeLessThanOrEqual(9 * MIN);
          expect(alertsFrom(0, shape)).toBe(1);
        },
      ),
      { numRuns: 30, seed: 20261207 },
    );
  });

  it("keeps one alert through a 0.2-5 MB/s leak in steps 2.5-5 minutes apart under GC every 1-5 minutes, and clears within 11 of its last step", () => {
    // Between steps its floors stand still for longer than the stopped-growth check's 3
    // minutes. Its steps show at once as bursts in the ramps: until the next is due, the
    // leak goes on, and a step after its report ended resumes it. Over these 60: 2 traces
    // raised a second alert before; none now. Cleared 4.1-10.4 minutes after the last step.
    fc.assert(
      fc.property(
        seed,
        fc.double({ min: 0.2, max: 5, noNaN: true }),
        fc.integer({ min: 150_000, max: 300_000 }),
        (s, mbps, stepEveryMs) => {
          const leak = { mbps, start: HOUR, stop: 2 * HOUR, stepEveryMs };
          const lastStep = lastStepOf(leak);
          const shape = series(s, 3, [MIN, 5 * MIN], 120, { leak });
          expect(alertsFrom(0, shape)).toBe(1);
          const times = leakingTimes(shape);
          expect(lastLeakingAfter(times, leak.stop, lastStep)).toBeLessThanOrEqual(11 * MIN);
        },
      ),
      { numRuns: 60, seed: 20261208 },
    );
  });

  it("clears within 5 minutes once a 0.05-0.15 MB/s leak stops on a series declared smooth, and not before", () => {
    // So its alert resolves within 10 (resolve_for is 5). With no GC to lift its floors, a
    // floor that rose under a quarter of the climb the leak's pace promises has stopped:
    // one look is enough. Over these 40: median 2.6, worst 4.3 minutes; 3.4 and 5.8 when the
    // stop had to be seen for half a block too.
    const after: number[] = [];
    let again = 0;
    fc.assert(
      fc.property(
        seed,
        fc.double({ min: 0.05, max: 0.15, noNaN: true }),
        fc.double({ min: 0.5, max: 3, noNaN: true }),
        (s, mbps, noiseMB) => {
          const leak = { mbps, start: HOUR, stop: 2 * HOUR };
          const shape = series(s, 3, [0, 0], 0, { leak, noiseMB });
          const times = leakingTimes(shape, { maxGcCycleMs: 0 });
          after.push(lastLeakingAfter(times, leak.stop));
          again += alertsFrom(leak.start, { ...shape, hours: 2 }, { maxGcCycleMs: 0 }) - 1;
        },
      ),
      { numRuns: 40, seed: 20261206 },
    );
    expect(Math.max(...after)).toBeLessThanOrEqual(5 * MIN);
    expect(again).toBe(0);
  });

  it("clears within 10 minutes once a 0.05-0.15 MB/s leak stops under GC every 3-30 s, and not before", () => {
    // Under GC faster than the sampling a floor of one GC horizon now and then holds no
    // post-GC sample and reads high; each such look restarted the stop's wait, so the stop
    // check compares floors of two horizons there. Over these 40: median 4.0, worst 9.3
    // minutes; 4.5 and 13.3 with floors of one horizon.
    const after: number[] = [];
    let again = 0;
    fc.assert(
      fc.property(
        seed,
        fc.double({ min: 5, max: 60, noNaN: true }),
        fc.double({ min: 0.05, max: 0.15, noNaN: true }),
        fc.double({ min: 0.5, max: 3, noNaN: true }),
        (s, amplitudeMB, mbps, noiseMB) => {
          const leak = { mbps, start: HOUR, stop: 2 * HOUR };
          const shape = series(s, 3, [3_000, 30_000], amplitudeMB, {
            leak,
            noiseMB,
            irregular: 0.3,
          });
          after.push(lastLeakingAfter(leakingTimes(shape), leak.stop));
          again += alertsFrom(leak.start, { ...shape, hours: 2 }) - 1;
        },
      ),
      { numRuns: 40, seed: 20261206 },
    );
    expect(Math.max(...after)).toBeLessThanOrEqual(10 * MIN);
    expect(again).toBe(0);
  });

  it("keeps the alert up through a 0.05-1 MB/s leak on the heap after GC read only at major GCs minutes apart, and still clears", () => {
    // Between two major GCs the gauge repeats its last reading: no news, not a stop.
    // Over these 24: 3 re-alerts, and cleared 14.6 minutes after the stop at worst (one
    // more major GC must show it). While the repeated reading counted as a stop: 11
    // re-alerts, and 24 once a deep enough shortfall ended a report without waiting; 4
    // before the last readings held a reported leak.
    let again = 0;
    const cleared: number[] = [];
    fc.assert(
      fc.property(
        seed,
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.constantFrom(undefined, 60_000, 300_000),
        (s, mbps, stepEveryMs) => {
          const leak = { mbps, start: HOUR, stop: 3 * HOUR, stepEveryMs };
          const shape = readAtMajorGcs(s, 4, { leak });
          again += alertsFrom(leak.start, { ...shape, hours: 3 }, { maxGcCycleMs: 0 }) - 1;
          cleared.push(lastLeakingAfter(leakingTimes(shape, { maxGcCycleMs: 0 }), leak.stop));
        },
      ),
      { numRuns: 24, seed: 20261206 },
    );
    expect(again).toBeLessThanOrEqual(6);
    expect(Math.max(...cleared)).toBeLessThanOrEqual(16 * MIN);
  });

  it("ends a steady 1-5 MB/s leak's report on the heap after GC read only at major GCs at the first reading after its stop that fell short", () => {
    // Readings hold no garbage: a steady leak lifts each at its pace to a few per cent, and
    // the first after the stop holds only the growth up to the stop. Until the verdict last
    // said leaking, after the stop, over these 40: median 4.8, worst 8.5 minutes, and no
    // re-alert (6.5 and 10.3, and one alert raised again from the readings before the stop,
    // while a reading had to fall half the pace short over 3 minutes).
    const after: number[] = [];
    let again = 0;
    fc.assert(
      fc.property(seed, fc.double({ min: 1, max: 5, noNaN: true }), (s, mbps) => {
        const leak = { mbps, start: HOUR, stop: 2 * HOUR };
        const shape = readAtMajorGcs(s, 2.6, { leak });
        after.push(lastLeakingAfter(leakingTimes(shape, { maxGcCycleMs: 0 }), leak.stop));
        again += alertsFrom(leak.start, shape, { maxGcCycleMs: 0 }) - 1;
      }),
      { numRuns: 40, seed: 20261208 },
    );
    after.sort((a, b) => a - b);
    expect(after[19]!).toBeLessThanOrEqual(5.5 * MIN);
    expect(after[39]!).toBeLessThanOrEqual(9 * MIN);
    expect(again).toBe(0);
  });

  it("finds a 0.2-5 MB/s leak on the heap after GC read only at major GCs minutes apart within 23 minutes", () => {
    // Each reading is a post-GC level: four rising along a line are a leak, whatever the
    // gaps between them, as the floors of four GC cycles are on RSS. Over these 40: median
    // 14.4, worst 21.2 minutes (15.7 and 29.7 while only the floors of buckets were judged).
    const delays = sortedDelays(
      fc.tuple(
        seed,
        fc.double({ min: 0.2, max: 5, noNaN: true }),
        fc.constantFrom(undefined, 60_000, 300_000),
      ),
      ([s, mbps, stepEveryMs]) => {
        const leak = { mbps, start: HOUR, stop: 3 * HOUR, stepEveryMs };
        const shape = readAtMajorGcs(s, 3, { leak });
        return { start: leak.start, shape, config: { maxGcCycleMs: 0 } };
      },
      40,
      20261207,
    );
    expect(Math.max(...delays)).toBeLessThanOrEqual(23 * MIN);
  });

  it("finds a 2-5 MB/s leak on the heap after GC read only at major GCs within 16 minutes, from two jumps in a row", () => {
    // Two readings in a row that jumped over twice what a cache adds at once, at like
    // paces, are a leak, as two such cycle floors are on RSS: four readings take three gaps
    // of 1.5-8.5 minutes. The first may hold the leak's start mid-gap, so it need only pass
    // the start-up allowance, at down to a quarter of the second's pace. Over these 40:
    // median 8.4, worst 15.2 minutes (10.1 and 16.0 with both jumps of 200 MB at like
    // paces; 13.4 and 22.5 with four readings only).
    const delays = majorGcLeakDelays([2, 5], 20261208);
    expect(delays[19]!).toBeLessThanOrEqual(9 * MIN);
    expect(delays[39]!).toBeLessThanOrEqual(16 * MIN);
  });

  it("finds most 0.05-0.07 MB/s leaks on the heap after GC read only at major GCs within 30 minutes", () => {
    // Six readings rising along a line over 20 minutes need only the long-window allowance
    // (60 MB). Over these 40: 34 found within 30 minutes, median 24.1 (9, and 30.9, before).
    const delays = majorGcLeakDelays([0.05, 0.07], 20261207);
    expect(delays.filter((d) => d <= 30 * MIN).length).toBeGreaterThanOrEqual(30);
  });

  it("stays quiet on the heap after GC read only at major GCs through start-up growth, load arriving and a one-off step", () => {
    // A reading may show a level up to a gap late, so growth of minutes reads as growth
    // over several readings: start-up of up to 100 MB over 1-6 minutes, load of 20-95 MB
    // over 1-10 minutes, a cache filling at once.
    fc.assert(
      fc.property(
        seed,
        fc.double({ min: 50, max: 100, noNaN: true }),
        fc.integer({ min: 1 * MIN, max: 6 * MIN }),
        fc.record({
          at: fc.integer({ min: 30 * MIN, max: 3 * HOUR }),
          mb: fc.double({ min: 20, max: 95, noNaN: true }),
          ms: fc.integer({ min: 1 * MIN, max: 10 * MIN }),
        }),
        fc.record({
          at: fc.integer({ min: 30 * MIN, max: 5 * HOUR }),
          mb: fc.double({ min: -300, max: 300, noNaN: true }),
          ms: fc.integer({ min: 1, max: 30_000 }),
        }),
        (s, startupMB, startupMs, load, step) => {
          const shape = readAtMajorGcs(s, 6, { startupMB, startupMs, step, steps: [load] });
          expect(leakingTimes(shape, { maxGcCycleMs: 0 })).toEqual([]);
        },
      ),
      { numRuns: 80, seed: 20261207 },
    );
  });

  it("clears within 12 minutes once a 0.2-5 MB/s leak stops under GC every 1-5 minutes", () => {
    // The post-GC floors of the cycles after the stop show it, so clearing takes about two
    // cycles. Over 120 such series: median 5.2, worst 12.3 minutes (4.7 and 10.5 when this
    // test was written); 9.0 and 15.8 when only blocks spanning the GC horizon could show it.
    fc.assert(
      fc.property(
        seed,
        fc.double({ min: 20, max: 300, noNaN: true }),
        fc.double({ min: 0.2, max: 5, noNaN: true }),
        (s, amplitudeMB, mbps) => {
          const leak = { mbps, start: HOUR, stop: 2 * HOUR };
          const shape = irregularLeakShape(s, 3, [60_000, 300_000], amplitudeMB, leak);
          const times = leakingTimes(shape);
          expect(lastLeakingAfter(times, leak.stop)).toBeLessThanOrEqual(12 * MIN);
        },
      ),
      { numRuns: 30, seed: 20261205 },
    );
  });

  it("ends the alert a one-off ramp past the allowance raised within 7 minutes of the ramp's end", () => {
    // 130-300 MB over 2-5 minutes is more than start-up adds, as fast as a leak: reported.
    // Once the floor stands still the leak is not held: the evidence is gone. Worst over
    // these 60: 2.3 minutes after the ramp's end on a smooth series or under fast GC, as
    // before a reported leak held while its floor kept the pace. Under GC every 1-5
    // minutes such a ramp is now reported too (it outgrows what a collection frees) and
    // held until its ramp or a cycle floor past it shows the stop: 3.1-6.8 minutes.
    let reported = 0;
    fc.assert(
      fc.property(
        seed,
        smoothToMinuteGc,
        fc.double({ min: 130, max: 300, noNaN: true }),
        fc.integer({ min: 2 * MIN, max: 5 * MIN }),
        (s, cycleMs, mb, ms) => {
          const at = 2 * HOUR;
          const smooth = cycleMs[0] === 0;
          const shape = series(s, 3, cycleMs, smooth ? 0 : 100, { step: { at, mb, ms } });
          const times = leakingTimes(shape, smooth ? { maxGcCycleMs: 0 } : {});
          if (times.length === 0) return;
          reported++;
          const slowGc = cycleMs[0] >= 60_000;
          expect(Math.max(...times) - (at + ms)).toBeLessThanOrEqual((slowGc ? 9 : 7) * MIN);
        },
      ),
      { numRuns: 60, seed: 1 },
    );
    expect(reported).toBeGreaterThanOrEqual(30);
  });

  it("ends a steady 1-5 MB/s leak's report within minutes of its stop under GC every 1-10 minutes", () => {
    // Garbage only lifts a ramp, so the ramp after the stop climbs slower than the leak did,
    // and the floor after the first drop past the stop rose less than its cycle promised.
    const after: number[] = [];
    let again = 0;
    fc.assert(
      fc.property(
        seed,
        fc.constantFrom<[number, number]>([60_000, 300_000], [300_000, 600_000]),
        fc.double({ min: 20, max: 300, noNaN: true }),
        fc.double({ min: 1, max: 5, noNaN: true }),
        (s, cycleMs, amplitudeMB, mbps) => {
          const leak = { mbps, start: HOUR, stop: 2 * HOUR };
          const shape = irregularLeakShape(s, 2.6, cycleMs, amplitudeMB, leak);
          after.push(lastLeakingAfter(leakingTimes(shape), leak.stop));
          again += alertsFrom(leak.start, shape) - 1;
        },
      ),
      { numRuns: 60, seed: 20261206 },
    );
    // Until the verdict last said leaking, after the stop, median (worst): 9.7 (23.9)
    // minutes when only floors a stopped-growth block apart could show it, 4.2 (10.0) when a
    // cycle had to fall half the pace short, 2.8 (10.0) now that a cycle under 0.9 of three
    // steady ones before it shows the stop too.
    after.sort((a, b) => a - b);
    expect(after[after.length / 2]!).toBeLessThanOrEqual(3.5 * MIN);
    expect(after[after.length - 1]!).toBeLessThanOrEqual(11 * MIN);
    expect(again).toBe(0);
  });

  it("keeps the alert up through a slow leak instead of resolving and raising it again", () => {
    // The analyzer resolves a memory_leak alert after resolve_for without a leak verdict; a
    // slow leak's verdict must not drop for that long while the leak goes on.
    let again = 0;
    fc.assert(
      fc.property(seed, gc, fc.double({ min: 0.02, max: 0.2, noNaN: true }), (s, cycleMs, mbps) => {
        const leak = { mbps, start: HOUR, stop: 7 * HOUR };
        const alerts = alertsFrom(leak.start, slowLeakShape(s, 7, cycleMs, leak));
        expect(alerts).toBeGreaterThan(0);
        again += alerts - 1;
      }),
      { numRuns: 30, seed: 20261205 },
    );
    // 21 when a single look at two block floors could end the leak, 4 when the verdict
    // dropped as soon as no window nor floor rule said "leak", 1 before an ended leak could
    // resume within resolve_for, 0 now.
    expect(again).toBeLessThanOrEqual(2);
  });

  it("keeps the alert up through a 0.01-0.03 MB/s leak, steady or stepwise, for seven hours", () => {
    // Such a leak promises a climb of a few MB over the stopped-growth check's block, which
    // floors wander by: the block is as long as a third of the long-window allowance needs.
    let again = 0;
    fc.assert(
      fc.property(
        seed,
        gc,
        fc.double({ min: 0.01, max: 0.03, noNaN: true }),
        fc.option(fc.integer({ min: 30_000, max: 300_000 }), { nil: undefined }),
        (s, cycleMs, mbps, stepEveryMs) => {
          const leak = { mbps, start: HOUR, stop: 8 * HOUR, stepEveryMs };
          const alerts = alertsFrom(leak.start, slowLeakShape(s, 8, cycleMs, leak));
          expect(alerts).toBeGreaterThan(0);
          again += alerts - 1;
        },
      ),
      { numRuns: 30, seed: 20261207 },
    );
    // 12 when the block was sized by the floors' scatter alone, 3 before windows under two
    // hours asked 50 MB of growth, 1 now.
    expect(again).toBeLessThanOrEqual(5);
  });

  it("keeps the alert up through a 0.02-0.2 MB/s leak whose trend wanders about its level, on a saw-tooth of 150-300 MB", () => {
    // Cycle heights and floors that vary by a third or half make a slow leak's trend drift
    // in and out of significance. A trend that raised a leak keeps it at a lower level
    // (HOLD_LEVEL); a stop still ends it.
    let again = 0;
    for (const [amplitudeMB, irregular, min, max] of [
      [300, 0.3, 0.05, 0.2],
      [150, 0.5, 0.02, 0.1],
    ] as const) {
      fc.assert(
        fc.property(
          seed,
          gc,
          fc.double({ min, max, noNaN: true }),
          fc.option(fc.integer({ min: 30_000, max: 300_000 }), { nil: undefined }),
          (s, cycleMs, mbps, stepEveryMs) => {
            const leak = { mbps, start: HOUR, stop: 5 * HOUR, stepEveryMs };
            const shape = series(s, 5, cycleMs, amplitudeMB, { irregular, leak });
            again += Math.max(0, alertsFrom(leak.start, shape) - 1);
          },
        ),
        { numRuns: 80, seed: 778 },
      );
    }
    // 17 of 160 when a window's trend had to stay at the level that raised it, 12 now.
    expect(again).toBeLessThanOrEqual(13);
  });

  it("says so when a reported leak is kept by a trend that holds only at the lower level", () => {
    // 0.02 MB/s on a series declared smooth, floors varying by a third: after two hours the
    // deciding window's interval at z reaches below zero while the leak goes on.
    const shape = series(1, 5, [0, 0], 300, {
      irregular: 0.3,
      leak: { mbps: 0.02, start: HOUR, stop: 5 * HOUR },
    });
    const kept = verdictsOf((sample) => generate(shape, sample), { maxGcCycleMs: 0 }).filter(
      (v) => v.leaking && v.reason.includes("kept: significant at the lower level"),
    );
    expect(kept.length).toBeGreaterThan(0);
    for (const v of kept) {
      expect(v.slope).toBeGreaterThan(0);
      expect(v.slopeLow).toBeLessThanOrEqual(0);
    }
  });

  it("keeps the alert up through a 0.2-5 MB/s leak, steady or stepwise, under irregular GC", () => {
    // Windows drop in and out of significance, and a floor rule's evidence leaves its
    // lookback, while the leak goes on: the verdict holds while the floor keeps the pace.
    let again = 0;
    fc.assert(
      fc.property(
        seed,
        fc.constantFrom<[number, number]>([3_000, 30_000], [60_000, 300_000], [60_000, 600_000]),
        fc.double({ min: 0.2, max: 5, noNaN: true }),
        fc.option(fc.integer({ min: 30_000, max: 300_000 }), { nil: undefined }),
        (s, cycleMs, mbps, stepEveryMs) => {
          const leak = { mbps, start: HOUR, stop: 2 * HOUR, stepEveryMs };
          const alerts = alertsFrom(leak.start, irregularLeakShape(s, 2, cycleMs, 150, leak));
          expect(alerts).toBeGreaterThan(0);
          again += alerts - 1;
        },
      ),
      { numRuns: 60, seed: 20261206 },
    );
    // 14 when the verdict dropped as soon as no window nor floor rule said "leak", 6 before
    // an ended leak could resume within resolve_for (a stepwise leak's pause), 0 now.
    expect(again).toBeLessThanOrEqual(3);
  });

  it("keeps the alert up between a stepwise leak's steps minutes apart", () => {
    // The floor stands still for the whole gap between two steps, so the stopped-growth
    // check ends the leak; the next step, within resolve_for, resumes it.
    let again = 0;
    let againUnresumed = 0;
    fc.assert(
      fc.property(
        seed,
        smoothToMinuteGc,
        fc.double({ min: 0.5, max: 5, noNaN: true }),
        fc.integer({ min: 3.5 * MIN, max: 5 * MIN }),
        (s, cycleMs, mbps, stepEveryMs) => {
          const leak = { mbps, start: HOUR, stop: 3 * HOUR, stepEveryMs };
          const shape = irregularLeakShape(s, 3, cycleMs, 100, leak);
          const alerts = alertsFrom(leak.start, shape);
          expect(alerts).toBeGreaterThan(0);
          again += alerts - 1;
          againUnresumed += alertsFrom(leak.start, shape, { resumeMs: 0 }) - 1;
        },
      ),
      { numRuns: 60, seed: 20261205 },
    );
    // 8 when an ended leak cannot resume (resumeMs: 0, as before 2026-12-05), 1 now.
    expect(againUnresumed).toBeGreaterThanOrEqual(5);
    expect(again).toBeLessThanOrEqual(3);
  });

  it("reports a leak that paused and climbed again at its pace as the same leak, since its start", () => {
    // Steps 6 minutes apart: a window under 30 minutes now asks for three of them, and with
    // 4.5 minutes the third came before the leak had paused.
    const leak = { mbps: 2, start: HOUR, stop: 3 * HOUR, stepEveryMs: 6 * MIN };
    const shape = irregularLeakShape(11, 3, [0, 0], 100, leak);
    const resumed = verdictsOf((sample) => generate(shape, sample)).find((v) =>
      /paused and resumed at that pace/.test(v.reason),
    );
    expect(resumed?.leaking).toBe(true);
    expect(resumed!.since).toBeGreaterThanOrEqual(leak.start);
    expect(resumed!.since).toBeLessThan(leak.start + MIN);
  });

  it("judges a heap-after-GC series within 10 minutes when told it has no GC cycles and a smaller allowance", () => {
    // The heap right after each major GC: clean floors, no ramp to wait for.
    fc.assert(
      fc.property(seed, fc.double({ min: 0.2, max: 1, noNaN: true }), (s, mbps) => {
        const start = HOUR;
        const tracker = new LeakTracker({ maxGcCycleMs: 0, burstGrowth: 50e6, minGrowth: 20e6 });
        let first: number | undefined;
        const leak = { mbps, start, stop: start + HOUR };
        const shape = {
          seed: s,
          hours: 2,
          cycleMs: [0, 0] as [number, number],
          amplitudeMB: 0,
          noiseMB: 1,
          startupMB: 0,
          startupMs: 1,
          leak,
        };
        generate(shape, (t, v) => {
          tracker.observe(t, v);
          if (t >= start && tracker.verdict().leaking) first ??= t;
        });
        expect(first).toBeDefined();
        expect(first! - start).toBeLessThanOrEqual(10 * MIN);
      }),
      { numRuns: 10, seed: 20261202 },
    );
  });

  it("gives the same verdicts on a replay, whoever asks and how often", () => {
    const shape: SeriesShape = {
      seed: 7,
      hours: 4,
      cycleMs: [60_000, 300_000],
      amplitudeMB: 120,
      noiseMB: 2,
      startupMB: 60,
      startupMs: 3 * MIN,
      leak: { mbps: 0.2, start: 2 * HOUR, stop: 3 * HOUR },
    };
    const a = new LeakTracker();
    const b = new LeakTracker();
    const seen: LeakVerdict[] = [];
    let i = 0;
    generate(shape, (t, v) => {
      a.observe(t, v);
      b.observe(t, v);
      seen.push(a.verdict());
      // b is asked only now and then: its verdicts must still match a's.
      if (++i % 7 === 0) expect(JSON.stringify(b.verdict())).toBe(JSON.stringify(a.verdict()));
    });
    expect(seen.some((v) => v.leaking)).toBe(true);
    const leaking = seen.find((v) => v.leaking)!;
    expect(leaking.slopeLow).toBeLessThanOrEqual(leaking.slope);
    expect(leaking.slopeHigh).toBeGreaterThanOrEqual(leaking.slope);
    expect(leaking.since).toBeGreaterThan(HOUR + 30 * MIN);
  });

  it("says how far its lowest level rose between two moments, and NaN past the floors it keeps", () => {
    // 1 MB/s, kept for the one 10-minute window (62 buckets of 10 s).
    const tracker = new LeakTracker({ windowsMs: [600_000] });
    for (let t = 0; t < 30 * MIN; t += 5000) tracker.observe(t, 100e6 + 1000 * t);
    // The lowest of the minute up to 30:00 is at 29:00; of the minute up to 25:00 (its
    // bucket included), at 24:10: 290 s apart.
    expect(tracker.lowRise(25 * MIN, 30 * MIN - 1)).toBe(290e6);
    // From within the last minute: from the minute before it, whose lowest is at 28:00.
    expect(tracker.lowRise(29.5 * MIN, 30 * MIN - 1)).toBe(60e6);
    expect(tracker.lowRise(5 * MIN, 30 * MIN - 1)).toBeNaN();
  });

  it("skips samples it cannot use and rejects settings it cannot work with", () => {
    const tracker = new LeakTracker();
    tracker.observe(NaN, 1);
    tracker.observe(1000, Infinity);
    expect(tracker.verdict().reason).toBe("no samples yet");
    expect(() => new LeakTracker({ minSlope: -1 })).toThrow(VoxtraceError);
    expect(() => new LeakTracker({ windowsMs: [600_000, 300_000] })).toThrow(/windowsMs/);
    expect(() => new LeakTracker({ resumeMs: -1 })).toThrow(/resumeMs/);
    // Readings at major GCs have no saw-tooth: the setting needs a series declared smooth.
    expect(() => new LeakTracker({ readAtGc: true })).toThrow(/readAtGc/);
  });
});
