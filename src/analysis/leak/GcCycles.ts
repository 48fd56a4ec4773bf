// Finds garbage-collection cycles in a memory series: a drop is a fall within two samples
// that stands well above the sample-to-sample noise. The time between drops tells how long a floor horizon must be
// to hold at least one post-GC level, instead of assuming a GC period. Each cycle's ramp is
// also searched for a burst (a cache filling within seconds), which lifts the floors once,
// and its step tells how far its floor's sample may stand above the level GC left.

import { median } from "./trendTest.js";

/** Cycles remembered; the longest of them sets the horizon. */
const KEPT = 16;
/** How far above the noise (median absolute second difference) a drop must reach. */
const DROP_NOISE = 5;
/** Multiplicative step of the running median of the noise. */
const NOISE_STEP = 0.05;
/** Any stretch as long as the longest gap between drops holds a drop; a margin for jitter. */
const HORIZON_CYCLES = 1.1;
/** Second differences whose median starts the noise level; no drop counts before (2 min). */
const NOISE_WARMUP = 24;
/** Cycles within the memory needed before their rhythm is trusted. */
const MIN_CYCLES = 3;
/** Slots of the sliding minimum that tells standing still from rising. */
const STILL_SLOTS = 8;
/** Increments of a cycle's ramp kept to find a burst in it (the last 21 minutes of 5 s samples). */
const RAMP_SAMPLES = 256;
/** A ramp of fewer increments than this has no rate of its own to stand a burst out from. */
const RAMP_MIN = 6;
/** An increment this many times the noise above its ramp's median one is part of a burst. */
const BURST_NOISE = 3;
/**
 * A run of fast increments counts whole toward all of a ramp's bursts only if it lasts at
 * most this many samples: a cache fills within 30 s, which the 5 s samples either side
 * stretch to 40 s, while a leak that starts mid-ramp climbs above the ramp's median step
 * for as long as it lasts (see shortBurst).
 */
const BURST_SAMPLES = 9;
/**
 * A burst stands alone (a cache filled once, a model loaded) when the other bursts beside it
 * add up to under this share of it; a stepwise leak's steps are bursts of like size.
 */
const LONE_BURST_SHARE = 0.5;
/**
 * Floors this close may hold one cache between them: it fills within 30 s, and a drop in
 * the middle of it splits it between two floors up to twice that apart (ms).
 */
const ONE_STEP_MS = 60_000;
/** Bursts kept, one by one, to time a leak's steps (see stepsSince). */
const RUN_LOG = 256;
/** The floors have left their lowest at the last one within this share of a climb's excess of it. */
const LEFT_SHARE = 0.1;
/**
 * Post-GC floors kept: the rules of rising floors read the last few, and windows that judge
 * cycle floors (`floorsSince`) all within their span.
 */
export const FLOOR_LOG = 256;

/**
 * A climb across GC cycles (see GcCycles.climbExcess): data times (ms) and levels (bytes).
 * One object is filled in place, call after call.
 */
export interface Climb {
  /** The lowest floor it climbs from. */
  fromT: number;
  fromV: number;
  /** The last sample. */
  lastT: number;
  lastV: number;
  /** The floor of the cycle under way, where its ramp rose from. */
  rampT: number;
  rampV: number;
  /** The floor the others left the lowest from (the last within LEFT_SHARE of the excess above it)... */
  leftT: number;
  leftV: number;
  /** ...and the floor after it. */
  nextT: number;
  nextV: number;
  /**
   * The largest rise from one floor to the next since the lowest, or to a floor under a
   * minute later (see climbExcess).
   */
  largestRise: number;
  /** Cycles since the lowest floor. */
  cycles: number;
}

/** A Climb to fill (see GcCycles.climbExcess). */
export function emptyClimb(): Climb {
  return {
    fromT: 0,
    fromV: 0,
    lastT: 0,
    lastV: 0,
    rampT: 0,
    rampV: 0,
    leftT: 0,
    leftV: 0,
    nextT: 0,
    nextV: 0,
    largestRise: 0,
    cycles: 0,
  };
}

export class GcCycles {
  private readonly maxCycleMs: number;
  private readonly minHorizonMs: number;
  private readonly forgetMs: number;
  private firstT = NaN;
  /**
   * The biggest fall within two samples while the kink level warmed up, when no drop could
   * be counted (bytes, data time).
   */
  private warmFall = 0;
  private warmFallT = NaN;
  /**
   * Where the time without a drop counts from until the first drop: the first sample, or a
   * fall in the warm-up that the kink level, once set, takes for a drop.
   */
  private noDropFromT = NaN;
  private v1 = NaN;
  private v2 = NaN;
  private noise = 0;
  private noiseSamples = 0;
  private readonly warmup = new Float64Array(NOISE_WARMUP);
  private lastDropT = NaN;
  // Ring of the last cycles: length and end time, ms.
  private readonly lengths = new Float64Array(KEPT);
  private readonly ends = new Float64Array(KEPT).fill(-Infinity);
  private readonly drops = new Float64Array(KEPT);
  private lowSinceDrop = Infinity;
  private lowSinceDropT = NaN;
  private dropping = false;
  private dropCounted = false;
  // The lowest level of each completed cycle (its post-GC floor) and when it was.
  private readonly floors = new Float64Array(FLOOR_LOG);
  private readonly floorTimes = new Float64Array(FLOOR_LOG).fill(NaN);
  private nextFloor = 0;
  // The increments of the ramp under way and when each came, and for each recent floor the
  // bursts in the ramp that rose from it: the largest, the one it began with and the one
  // running at its drop.
  private readonly ramp = new Float64Array(RAMP_SAMPLES);
  private readonly rampTimes = new Float64Array(RAMP_SAMPLES);
  private readonly rampSorted = new Float64Array(RAMP_SAMPLES);
  private readonly runSorted = new Float64Array(RAMP_SAMPLES);
  private rampN = 0;
  /** Whether `burst` is out of date: the ramp or the noise changed since bursts() ran. */
  private burstsStale = true;
  private readonly burstMax = new Float64Array(FLOOR_LOG);
  private readonly burstAtStart = new Float64Array(FLOOR_LOG);
  private readonly burstAtEnd = new Float64Array(FLOOR_LOG);
  private readonly burstTotal = new Float64Array(FLOOR_LOG);
  private readonly burst = new Float64Array(4);
  // Each burst of the ramp under way (when it rose, bytes), and a ring of those of the
  // completed ramps, with the floor each ramp rose from.
  private readonly rampRunT = new Float64Array(RAMP_SAMPLES);
  private readonly rampRunSize = new Float64Array(RAMP_SAMPLES);
  private rampRuns = 0;
  private readonly runT = new Float64Array(RUN_LOG);
  private readonly runSize = new Float64Array(RUN_LOG);
  private readonly runFloorT = new Float64Array(RUN_LOG).fill(NaN);
  private nextRun = 0;
  private liftStale = true;
  private lift = 0;
  private last = NaN;
  private lastT = NaN;
  private next = 0;
  // Standing still: the lowest level of each slot of the last half GC cycle, and the last
  // time the series stood within `stillBytes` of it.
  private readonly stillBytes: number;
  private readonly slotMs: number;
  private readonly slotLows = new Float64Array(STILL_SLOTS).fill(Infinity);
  private slot = NaN;
  private stillT = NaN;

  /**
   * `stillBytes`: a rise smaller than this within half the longest GC cycle is standing
   * still, not a ramp (wander, noise).
   */
  constructor(maxCycleMs: number, minHorizonMs: number, forgetMs: number, stillBytes = 0) {
    this.maxCycleMs = maxCycleMs;
    this.minHorizonMs = minHorizonMs;
    this.forgetMs = forgetMs;
    this.stillBytes = stillBytes;
    this.slotMs = Math.max(1, (HORIZON_CYCLES * maxCycleMs) / 2 / STILL_SLOTS);
  }

  observe(t: number, v: number): void {
    this.burstsStale = true;
    this.liftStale = true;
    if (Number.isNaN(this.firstT)) this.firstT = this.noDropFromT = t;
    if (!Number.isNaN(this.v2)) {
      const d2 = Math.abs(v - 2 * this.v1 + this.v2);
      // A running median (not a mean): the drops themselves must not count as noise.
      if (this.noiseSamples < NOISE_WARMUP) {
        // The first values set the level at once (their median): the 5 % steps from one
        // value would take minutes to find it, and meanwhile any wobble looks like a drop.
        this.warmup[this.noiseSamples] = d2;
        if (this.noiseSamples === NOISE_WARMUP - 1) this.noise = median(this.warmup);
      } else this.noise *= d2 > this.noise ? 1 + NOISE_STEP : 1 - NOISE_STEP;
      this.noise = Math.max(this.noise, Math.abs(v) * 1e-9);
      // The level is set: a fall in the warm-up that it takes for a drop began a ramp.
      if (this.noiseSamples === NOISE_WARMUP - 1 && this.warmFall > DROP_NOISE * this.noise)
        this.noDropFromT = this.warmFallT;
      this.noiseSamples++;
    }
    // A collection frees memory at once: the fall must happen within two samples, which
    // slow wander and a buffer drained over minutes never do.
    const before = Math.max(this.v1, Number.isNaN(this.v2) ? this.v1 : this.v2);
    this.v2 = this.v1;
    this.v1 = v;
    const warm = this.noiseSamples >= NOISE_WARMUP;
    const dropping = warm && before - v > DROP_NOISE * this.noise;
    if (!warm && before - v > this.warmFall) {
      this.warmFall = before - v;
      this.warmFallT = t;
    }
    const continues = this.dropping;
    this.dropping = dropping;
    // The ramp's increments: all but a drop's own falls (one spread over two samples may
    // end with a rise, which is the new ramp's).
    const increment = v - this.last;
    const ramping = !Number.isNaN(this.last) && (increment > 0 || !(dropping || continues));
    // A ring: a ramp longer than it keeps its latest increments, where a burst still counts.
    if (ramping) {
      this.rampTimes[this.rampN % RAMP_SAMPLES] = t;
      this.ramp[this.rampN++ % RAMP_SAMPLES] = increment;
    }
    // A collection spread over two samples is one drop, not two cycles, and frees all it fell.
    if (dropping && continues && this.dropCounted) {
      const slot = (this.next + KEPT - 1) % KEPT;
      this.drops[slot] = Math.max(this.drops[slot]!, before - v);
    }
    if (dropping && !continues) {
      this.dropCounted = false;
      const start = Number.isNaN(this.lastDropT) ? this.firstT : this.lastDropT;
      // A stretch longer than any GC cycle is idle time or a released buffer.
      if (t - start <= this.maxCycleMs) {
        this.lengths[this.next] = t - start;
        this.ends[this.next] = t;
        this.drops[this.next] = before - v;
        this.next = (this.next + 1) % KEPT;
        this.dropCounted = true;
      }
      if (Number.isFinite(this.lowSinceDrop)) {
        this.floors[this.nextFloor] = this.lowSinceDrop;
        this.floorTimes[this.nextFloor] = this.lowSinceDropT;
        // The cycle that ends gives its step to the next until that has one of its own.
        this.newestLift();
        this.rampBursts(this.nextFloor);
        this.nextFloor = (this.nextFloor + 1) % FLOOR_LOG;
      }
      this.rampN = 0;
      this.burstsStale = true;
      this.lastDropT = t;
      this.lowSinceDrop = Infinity;
    }
    if (v < this.lowSinceDrop) {
      this.lowSinceDrop = v;
      this.lowSinceDropT = t;
    }
    this.last = v;
    this.lastT = t;
    // A series with no GC cycle to wait for (heap after GC, GPU memory) never asks.
    if (this.maxCycleMs > 0) this.watchStill(t, v);
  }

  /**
   * How far the floor of the cycle under way (its lowest sample) may stand above the level
   * its collection left: one step of its ramp (the median increment), since the collection
   * fell somewhere in the gap before that sample and the ramp climbed on for the rest of
   * it. A ramp of under two increments has no step of its own: the last cycle's stands in.
   */
  newestLift(): number {
    if (!this.liftStale) return this.lift;
    this.liftStale = false;
    const n = Math.min(this.rampN, RAMP_SAMPLES);
    if (n < 2) return this.lift;
    this.lift = Math.max(0, this.rampStep(n));
    return this.lift;
  }

  /** The median of the ramp's last `n` increments (its step), from a sorted copy. */
  private rampStep(n: number): number {
    const sorted = this.rampSorted.subarray(0, n);
    sorted.set(this.ramp.subarray(0, n));
    return median(sorted);
  }

  /**
   * A cache filled or a model loaded within seconds shows in the ramp of its GC cycle as
   * increments far above the ramp's own (garbage and any leak add alike at every sample):
   * their excess over the median increment, summed over each run of them. Ramps too short
   * to have a median of their own count none.
   */
  private rampBursts(slot: number): void {
    this.bursts();
    this.burstMax[slot] = this.burst[0]!;
    this.burstAtStart[slot] = this.burst[1]!;
    this.burstAtEnd[slot] = this.burst[2]!;
    this.burstTotal[slot] = this.burst[3]!;
    for (let r = 0; r < this.rampRuns; r++) {
      this.runT[this.nextRun] = this.rampRunT[r]!;
      this.runSize[this.nextRun] = this.rampRunSize[r]!;
      this.runFloorT[this.nextRun] = this.floorTimes[slot]!;
      this.nextRun = (this.nextRun + 1) % RUN_LOG;
    }
  }

  /**
   * The bursts in the ramp under way into `burst`: the largest, the one it began with, the
   * one running at its end, and all of them (see shortBurst); and each one, with when it
   * rose, into the ramp's runs.
   */
  private bursts(): void {
    // The ramp and climb rules both ask, on the same sample.
    if (!this.burstsStale) return;
    this.burstsStale = false;
    let largest = 0;
    let atStart = 0;
    let run = 0;
    let total = 0;
    let runs = 0;
    const n = Math.min(this.rampN, RAMP_SAMPLES);
    const first = this.rampN - n;
    if (n >= RAMP_MIN) {
      const middle = this.rampStep(n);
      const over = this.burstOver();
      let opening = true;
      let length = 0;
      // One pass past the end closes a run still under way.
      for (let i = 0; i <= n; i++) {
        const excess = i < n ? this.ramp[(first + i) % RAMP_SAMPLES]! - middle : -Infinity;
        if (excess > over) {
          run += excess;
          length++;
          largest = Math.max(largest, run);
          continue;
        }
        const part = this.shortBurst(run, first + i - length, length, over);
        total += part;
        if (part > 0) {
          this.rampRunT[runs] = this.rampTimes[(first + i - 1) % RAMP_SAMPLES]!;
          this.rampRunSize[runs++] = part;
        }
        if (opening) atStart = run;
        opening = false;
        if (i < n) {
          run = 0;
          length = 0;
        }
      }
    }
    this.burst[0] = largest;
    this.burst[1] = atStart;
    this.burst[2] = run;
    this.burst[3] = total;
    this.rampRuns = runs;
  }

  /** How far above its ramp's median increment one must stand to be part of a burst, bytes. */
  burstOver(): number {
    return BURST_NOISE * this.noise;
  }

  /**
   * What of a run of `length` fast increments from ring index `from` (`run` above the
   * ramp's median step in all) is a burst: all of it when the run is short; of a longer
   * run, which is a change of pace (a leak that began mid-ramp, or a new cycle's pace after
   * a drop hidden in a cache's climb), what stands above the run's own median step.
   */
  private shortBurst(run: number, from: number, length: number, over: number): number {
    if (length <= BURST_SAMPLES) return run;
    const own = this.runSorted.subarray(0, length);
    for (let i = 0; i < length; i++) own[i] = this.ramp[(from + i) % RAMP_SAMPLES]!;
    const pace = median(own);
    let stands = 0;
    for (let i = 0; i < length; i++) {
      const excess = this.ramp[(from + i) % RAMP_SAMPLES]! - pace;
      if (excess > over) stands += excess;
    }
    return stands;
  }

  /**
   * What the ramp under way has risen above its cycle's floor beyond the biggest drop of the
   * recent cycles, less the bursts in it (a cache filling over a few samples, which noise
   * may split), bytes: garbage never piles up past what a collection frees. 0 without a GC
   * rhythm, or while the ramp less its bursts has risen under twice the biggest drop (a
   * collection may now and then free more than any of the last few, and one that came as
   * a cache filled hides in its burst). A ramp older than any GC cycle rises from the
   * lowest level of the last half cycle instead: it has outlived its drop, or hides drops
   * too small to see (a leak may climb more between two samples than a small collection
   * frees), and growth that stopped since its drop is no news. `out` gets where the ramp
   * rose from, when, and the last value: [t, v, last].
   */
  rampExcess(t: number, out: Float64Array): number {
    if (!this.rhythmKnown(t) || !Number.isFinite(this.lowSinceDrop)) return 0;
    const long = t - this.lastDropT > this.maxCycleMs;
    const low = long ? this.stillLow() : this.lowSinceDrop;
    out[0] = long ? (this.slot - STILL_SLOTS + 1) * this.slotMs : this.lowSinceDropT;
    out[1] = low;
    out[2] = this.last;
    return this.excessOver(t, low, out[0]);
  }

  /**
   * What the climb from `low`, a level at data time `from`, to the last sample rose past
   * the biggest drop of the recent cycles, less the bursts in the ramp under way and in the
   * completed ramps since `from`; 0 while that is under twice the biggest drop.
   */
  private excessOver(t: number, low: number, from: number): number {
    const biggestDrop = this.biggestDrop(t);
    const rise = this.last - low;
    if (!(rise > 2 * biggestDrop)) return 0;
    this.bursts();
    const steady = rise - this.burst[3]! - this.burstsSince(from);
    return steady > 2 * biggestDrop ? steady - biggestDrop : 0;
  }

  /**
   * What rampExcess measures, from the lowest post-GC floor at or after data time `since`
   * (of the last KEPT cycles, as far as their bursts are kept) instead of the cycle's own,
   * across the drops between, less the bursts in all the ramps since: floors a leak lifted
   * add to it. 0 without a GC rhythm, when the cycle's own floor is the lowest (rampExcess
   * judges that), or while the climb less its bursts is under twice the biggest drop;
   * otherwise `climb` describes it. A ramp under way younger than `youngMs` counts whole
   * in its largest rise: too young to have a pace of its own, it hides a cache filling in
   * it.
   */
  climbExcess(t: number, since: number, youngMs: number, climb: Climb): number {
    if (!this.rhythmKnown(t) || !Number.isFinite(this.lowSinceDrop)) return 0;
    let low = this.lowSinceDrop;
    let lowBack = 0;
    for (let back = 1; back <= KEPT; back++) {
      const i = this.floorSlot(back);
      if (!(this.floorTimes[i]! >= since)) break;
      if (this.floors[i]! < low) {
        low = this.floors[i]!;
        lowBack = back;
      }
    }
    if (lowBack === 0) return 0;
    const lowT = this.floorTimes[this.floorSlot(lowBack)]!;
    const excess = this.excessOver(t, low, lowT);
    if (excess === 0) return 0;
    climb.fromT = climb.leftT = lowT;
    climb.fromV = climb.leftV = low;
    climb.lastT = this.lastT;
    climb.lastV = this.last;
    climb.rampT = this.lowSinceDropT;
    climb.rampV = this.lowSinceDrop;
    climb.cycles = lowBack;
    climb.largestRise = t - this.lowSinceDropT < youngMs ? this.last - this.lowSinceDrop : 0;
    // From the lowest floor on, oldest first; back 0 is the cycle under way's.
    let previous = low;
    let after = lowBack - 1;
    for (let back = lowBack - 1; back >= 0; back--) {
      const i = this.floorSlot(back);
      const v = back === 0 ? this.lowSinceDrop : this.floors[i]!;
      climb.largestRise = Math.max(climb.largestRise, v - previous);
      // A cache split by a drop lifts two floors: those within ONE_STEP_MS of this one
      // count as one rise with it.
      const at = back === 0 ? this.lowSinceDropT : this.floorTimes[i]!;
      for (let earlier = back + 2; earlier <= lowBack; earlier++) {
        const j = this.floorSlot(earlier);
        if (at - this.floorTimes[j]! > ONE_STEP_MS) break;
        climb.largestRise = Math.max(climb.largestRise, v - this.floors[j]!);
      }
      previous = v;
      if (back > 0 && v <= low + LEFT_SHARE * excess) {
        climb.leftT = this.floorTimes[i]!;
        climb.leftV = v;
        after = back - 1;
      }
    }
    climb.nextT = after === 0 ? this.lowSinceDropT : this.floorTimes[this.floorSlot(after)]!;
    climb.nextV = after === 0 ? this.lowSinceDrop : this.floors[this.floorSlot(after)]!;
    return excess;
  }

  /** The ring slot of the post-GC floor `back` cycles before the next (1: the last completed). */
  private floorSlot(back: number): number {
    return (this.nextFloor + FLOOR_LOG - back) % FLOOR_LOG;
  }

  /** The most any collection within the memory freed at data time t, bytes. */
  private biggestDrop(t: number): number {
    let biggest = 0;
    for (let i = 0; i < KEPT; i++)
      if (this.ends[i]! >= t - this.forgetMs) biggest = Math.max(biggest, this.drops[i]!);
    return biggest;
  }

  /**
   * The largest burst in the ramps of the completed cycles whose floors are at or after
   * data time `from`, one that runs across a drop counted as one (what lands on the drop's
   * own sample hides in the drop).
   */
  largestBurst(from: number): number {
    let largest = 0;
    let before = 0;
    for (let k = FLOOR_LOG - KEPT; k < FLOOR_LOG; k++) {
      const i = (this.nextFloor + k) % FLOOR_LOG;
      if (Number.isNaN(this.floorTimes[i]!) || this.floorTimes[i]! < from) {
        before = 0;
        continue;
      }
      largest = Math.max(largest, this.burstMax[i]!, before + this.burstAtStart[i]!);
      before = this.burstAtEnd[i]!;
    }
    return largest;
  }

  /** The largest burst in the ramp under way, when it stands alone there (see loneBurst). */
  private loneRampBurst(): number {
    this.bursts();
    return loneBurst(this.burst[0]!, this.burst[3]!);
  }

  /**
   * All the bursts (see shortBurst) in the ramps of the completed cycles whose floors are
   * at or after data time `from`: what of their climb came in steps, not at a steady pace.
   */
  burstsSince(from: number): number {
    let total = 0;
    for (let k = FLOOR_LOG - KEPT; k < FLOOR_LOG; k++) {
      const i = (this.nextFloor + k) % FLOOR_LOG;
      if (this.floorTimes[i]! >= from) total += this.burstTotal[i]!;
    }
    return total;
  }

  /**
   * The steps memory climbed in: the bursts (see shortBurst) in the ramps that rose from
   * floors at or after data time `from`, the ramp under way's included, of at least `like`
   * of the largest of them (noise makes small ones). Into `out`: how many, all they added
   * (bytes), when the first and the last rose (NaN: none), and from when they are counted
   * (the first such floor, as far as the bursts are kept).
   */
  stepsSince(from: number, like: number, out: Float64Array): void {
    this.bursts();
    let largest = 0;
    for (let r = 0; r < this.rampRuns; r++) largest = Math.max(largest, this.rampRunSize[r]!);
    for (let r = 0; r < RUN_LOG; r++)
      if (this.runFloorT[r]! >= from) largest = Math.max(largest, this.runSize[r]!);
    const least = like * largest;
    let count = 0;
    let total = 0;
    let firstStepT = NaN;
    let lastStepT = NaN;
    let fromT = this.lowSinceDropT;
    for (let back = 1; back <= KEPT; back++) {
      const floorT = this.floorTimes[this.floorSlot(back)]!;
      if (floorT >= from) fromT = Math.min(fromT, floorT);
    }
    // Oldest first; the ramp under way's come after all of these.
    for (let k = 0; k < RUN_LOG; k++) {
      const r = (this.nextRun + k) % RUN_LOG;
      const size = this.runSize[r]!;
      if (!(this.runFloorT[r]! >= from) || size < least) continue;
      count++;
      total += size;
      lastStepT = this.runT[r]!;
      if (Number.isNaN(firstStepT)) firstStepT = lastStepT;
    }
    for (let r = 0; r < this.rampRuns; r++) {
      const size = this.rampRunSize[r]!;
      if (size < least) continue;
      count++;
      total += size;
      lastStepT = this.rampRunT[r]!;
      if (Number.isNaN(firstStepT)) firstStepT = lastStepT;
    }
    out[0] = count;
    out[1] = total;
    out[2] = firstStepT;
    out[3] = lastStepT;
    out[4] = fromT;
  }

  /**
   * Hours of standing still (an idle process) show no GC rhythm, but they do not show that
   * the series has none: only a ramp that outlasts any GC cycle without a drop does. So the
   * time a ramp has lasted counts from the last moment the series stood still: within
   * `stillBytes` of its lowest level in the last half cycle.
   */
  private watchStill(t: number, v: number): void {
    const slot = Math.floor(t / this.slotMs);
    if (Number.isNaN(this.slot)) this.slot = slot;
    // Slots that ended more than STILL_SLOTS ago are forgotten.
    for (let s = this.slot + 1; s <= slot && s <= this.slot + STILL_SLOTS; s++) {
      this.slotLows[s % STILL_SLOTS] = Infinity;
    }
    this.slot = slot;
    const i = slot % STILL_SLOTS;
    if (v < this.slotLows[i]!) this.slotLows[i] = v;
    if (v - this.stillLow() <= this.stillBytes) this.stillT = t;
  }

  /** The lowest level of the last half GC cycle (the slots watchStill keeps). */
  private stillLow(): number {
    let low = Infinity;
    for (let k = 0; k < STILL_SLOTS; k++) low = Math.min(low, this.slotLows[k]!);
    return low;
  }

  /**
   * How fast garbage piled up in the recent cycles (what each collection freed over the
   * cycle's length), bytes/s: the slowest into out[0], the fastest into out[1]. A leak is
   * never freed, so this is garbage alone even while one runs; 0 and 0 with no cycle.
   */
  garbagePaces(t: number, out: Float64Array): void {
    let slowest = Infinity;
    let fastest = 0;
    let n = 0;
    for (let i = 0; i < KEPT; i++) {
      if (!(this.ends[i]! >= t - this.forgetMs) || !(this.lengths[i]! > 0)) continue;
      const pace = (this.drops[i]! / this.lengths[i]!) * 1000;
      slowest = Math.min(slowest, pace);
      fastest = Math.max(fastest, pace);
      n++;
    }
    out[0] = n > 0 ? slowest : 0;
    out[1] = fastest;
  }

  /** Whether the last three cycles or more ended within the memory at data time t. */
  rhythmKnown(t: number): boolean {
    return this.recentCycles(t) >= MIN_CYCLES;
  }

  /**
   * The post-GC floors at or after data time `from`, oldest first, ending with the lowest
   * level of the cycle under way (once its drop has ended), as [t0, v0, t1, v1, ...] into `out` (room for
   * 2 * (FLOOR_LOG + 1) values). Returns how many.
   */
  floorsSince(from: number, out: Float64Array): number {
    // The log is in time order: walk back from the newest to the first at or after `from`.
    let back = 0;
    while (back < FLOOR_LOG) {
      const t = this.floorTimes[this.floorSlot(back + 1)]!;
      if (Number.isNaN(t) || t < from) break;
      back++;
    }
    let n = 0;
    for (let k = FLOOR_LOG - back; k < FLOOR_LOG; k++) {
      const i = (this.nextFloor + k) % FLOOR_LOG;
      out[2 * n] = this.floorTimes[i]!;
      out[2 * n + 1] = this.floors[i]!;
      n++;
    }
    // A drop may take two samples: while it falls, the cycle's floor is not there yet.
    if (Number.isFinite(this.lowSinceDrop) && this.lowSinceDropT >= from && !this.dropping) {
      out[2 * n] = this.lowSinceDropT;
      out[2 * n + 1] = this.lowSinceDrop;
      n++;
    }
    return n;
  }

  /** Cycles that ended within the memory at data time t. */
  private recentCycles(t: number): number {
    let recent = 0;
    for (let i = 0; i < KEPT; i++) if (this.ends[i]! >= t - this.forgetMs) recent++;
    return recent;
  }

  /**
   * How long the ramp under way has lasted at data time t, ms, on a series that has shown
   * no GC rhythm (fewer than three recent cycles): since it last stood still or dropped.
   * Infinity while a rhythm is known: then the horizon tells garbage from growth.
   */
  unexplainedRampMs(t: number): number {
    if (this.rhythmKnown(t)) return Infinity;
    const since = Math.max(
      Number.isNaN(this.lastDropT) ? this.firstT : this.lastDropT,
      Number.isNaN(this.stillT) ? -Infinity : this.stillT,
    );
    return t - since;
  }

  /** Data time of the last drop seen; NaN before the first. */
  lastDrop(): number {
    return this.lastDropT;
  }

  /** Whether the last sample fell as a drop does: the cycle's floor may be lower yet. */
  inDrop(): boolean {
    return this.dropping;
  }

  /** The series' typical sample-to-sample kink (running median of the absolute second difference). */
  kink(): number {
    return this.noiseSamples >= NOISE_WARMUP ? this.noise : 0;
  }

  /** Floor horizon at data time t, ms: long enough that a block of it holds a GC drop. */
  horizon(t: number): number {
    let longest = 0;
    let biggestDrop = 0;
    let recent = 0;
    for (let i = 0; i < KEPT; i++) {
      if (this.ends[i]! >= t - this.forgetMs) {
        recent++;
        longest = Math.max(longest, this.lengths[i]!);
        biggestDrop = Math.max(biggestDrop, this.drops[i]!);
      }
    }
    // One or two cycles in the memory are a stray noise dip, not a rhythm.
    if (recent < MIN_CYCLES) longest = biggestDrop = 0;
    // A collection while the kink level warmed up was not counted, but the ramp after it
    // is no smooth climb: with no drop since, the time without one counts from it (an
    // irregular saw-tooth's second ramp was judged at once 11 minutes in; 400 tuning
    // seed-weeks: 1).
    const open = t - (Number.isNaN(this.lastDropT) ? this.noDropFromT : this.lastDropT);
    // The cycle under way may be the longest yet (GC rhythms are irregular): until it has
    // outlasted any GC cycle, its ramp is not evidence. A series that has shown no drop
    // at all for that long is smooth (heap after GC, GPU memory) and needs no horizon.
    // Nor is a ramp that has already grown twice the biggest drop seen: no collection
    // frees that much, so that growth is not garbage.
    const rise = this.last - this.lowSinceDrop;
    const noDropYet = Number.isNaN(this.lastDropT);
    // A cache that filled in the ramp lifts it without making it less of a GC ramp: under
    // irregular GC a 224 MB cache at the start of a 7.6-minute cycle took it past twice
    // the biggest drop, the horizon fell to 20 s, and the ramp read as a leak (one-off
    // steps under irregular GC, 400 tuning seed-weeks: 18 alarms, 2 with this and
    // LeakTracker's lone burst).
    const garbage =
      biggestDrop > 0
        ? rise <= 2 * biggestDrop || rise - this.loneRampBurst() <= 2 * biggestDrop
        : open < HORIZON_CYCLES * this.maxCycleMs;
    if (garbage) {
      // Without a rhythm (under three cycles: the first ramp, or a noise dip taken for a
      // drop), the ramp under way may have begun well before the last drop: allow the
      // longest cycle, not just the time since.
      const known = recent >= MIN_CYCLES && !noDropYet;
      longest = Math.max(longest, known ? Math.min(open, this.maxCycleMs) : this.maxCycleMs);
    } else if (open > 3 * longest) {
      // No drop for three of the longest cycles, and the growth since is no garbage: the
      // rhythm has stopped or hides in the sampling, and must not slow the judgement.
      longest = 0;
    }
    return Math.max(this.minHorizonMs, HORIZON_CYCLES * longest);
  }

  /**
   * The post-GC floors of the last cycles, oldest first, ending with the lowest level of
   * the cycle under way; `out` gets up to `max` of them as [t0, v0, t1, v1, ...]. Returns
   * how many.
   */
  recentFloors(max: number, out: Float64Array): number {
    let n = 0;
    for (let k = FLOOR_LOG - max + 1; k < FLOOR_LOG; k++) {
      const i = (this.nextFloor + k) % FLOOR_LOG;
      if (Number.isNaN(this.floorTimes[i]!)) continue;
      out[2 * n] = this.floorTimes[i]!;
      out[2 * n + 1] = this.floors[i]!;
      n++;
    }
    if (Number.isFinite(this.lowSinceDrop)) {
      out[2 * n] = this.lowSinceDropT;
      out[2 * n + 1] = this.lowSinceDrop;
      n++;
    }
    return n;
  }
}

/**
 * The largest of some bursts, `largest`, when it stands alone among them (all of them
 * `total`; LONE_BURST_SHARE): a cache or a model, which lifts floors once; 0 when they are
 * steps of like size.
 */
export function loneBurst(largest: number, total: number): number {
  return total - largest < LONE_BURST_SHARE * largest ? largest : 0;
}
