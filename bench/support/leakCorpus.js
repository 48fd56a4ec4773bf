// Seeded synthetic memory series for judging leak detectors: leak-free regimes a healthy
// garbage-collected process shows (saw-tooth of any rhythm, noise, start-up growth, one-off
// steps, idle stretches, load that comes and goes) and leaks (steady or stepwise, from
// 0.01 to 5 MB/s, starting at any time and stopping again). Every trace is a pure function
// of its seed, so a figure can be reproduced. Seeds are split: TUNING_SEEDS for choosing
// defaults, JUDGING_SEEDS for the figures we report; never tune on the second.

export const TUNING_SEEDS = [1, 2, 3, 4, 5, 6];
export const JUDGING_SEEDS = [1001, 1002, 1003, 1004, 1005, 1006];
/**
 * Six seeds say little about one false alarm in several weeks, so false alarms are also
 * counted on 60 more seeds per regime (cheap: no leak traces): 2001-2060 were looked at
 * while tuning, 3001-3060 only for the figures.
 */
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
export const WIDE_TUNING_SEEDS = range(2001, 2060);
export const WIDE_JUDGING_SEEDS = range(3001, 3060);
/**
 * A process that restarts starts its tracker afresh, and a week-long trace holds one such
 * start: the first hour of many more seeds per regime counts the false alarms a start
 * brings (7001-9000 looked at while tuning, 9001-10000 only for the figures).
 */
export const START_TUNING_SEEDS = range(7001, 9000);
export const START_JUDGING_SEEDS = range(9001, 10000);

export const STEP_MS = 5000;
export const DAY_MS = 24 * 3600 * 1000;
const MB = 1e6;
const MIN = 60_000;
const HOUR = 3_600_000;

/** mulberry32: small, fast, good enough for simulation. */
export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const uniform = (random, lo, hi) => lo + (hi - lo) * random();
export function gauss(random) {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * GC rhythms, each a sampler of one cycle's length (ms) and a saw-tooth amplitude (bytes),
 * with the shortest cycle the class draws (ms), which bounds how fast garbage can pile up.
 */
export const GC_CLASSES = {
  // Scavenges and small major GCs: faster than or near the 5 s sampling.
  "gc 3-30 s": (r) => uniformGc(r, [3e3, 30e3], [5, 60]),
  // The user's case: major GC every one to five minutes.
  "gc 1-5 min": (r) => uniformGc(r, [60e3, 300e3], [20, 300]),
  "gc 5-10 min": (r) => uniformGc(r, [300e3, 600e3], [50, 400]),
  // Irregular: log-normal around a minute, from seconds to ten minutes.
  "gc irregular": (r) => ({
    cycle: () => Math.min(600e3, Math.max(3e3, 60e3 * Math.exp(gauss(r)))),
    amplitude: uniform(r, 10, 200) * MB,
    minCycleMs: 3e3,
  }),
  // A cleaner signal (heap right after each major GC, GPU memory): no saw-tooth at all.
  smooth: () => ({ cycle: () => Infinity, amplitude: 0, minCycleMs: Infinity }),
};

/** Cycles drawn uniformly from `[fromMs, toMs]`, on an amplitude drawn from `[fromMB, toMB]`. */
function uniformGc(r, [fromMs, toMs], [fromMB, toMB]) {
  return {
    cycle: () => uniform(r, fromMs, toMs),
    amplitude: uniform(r, fromMB, toMB) * MB,
    minCycleMs: fromMs,
  };
}

/** A GC threshold is drawn within this factor either side of its class's amplitude. */
export const THRESHOLD_SPREAD = 0.3;

/** Slow wander (fragmentation, caches): an AR(1) step of this sd (bytes) each sample... */
export const WANDER_STEP_BYTES = 0.3 * MB;
/** ...forgetting with this time constant (ms). */
export const WANDER_MEMORY_MS = 600e3;
/** Range of a leak trace's white noise (MB, sd). */
export const LEAK_NOISE_MB = [0.5, 3];

/**
 * A memory series sampled every ~5 s. `offset(t)` adds the regime's own level changes;
 * `activity(t)` scales the allocation rate (0 = idle: no garbage, no GC). `garbage` is
 * what of each sample is garbage not yet collected: truth no detector is shown, kept for
 * bounds (delayBound.js).
 */
function simulate(random, { durationMs, gc, noiseMB, offset, activity = () => 1 }) {
  const base = uniform(random, 150, 600) * MB;
  const n = Math.floor(durationMs / STEP_MS);
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  const garbageAt = new Float64Array(n);
  let cycleMs = gc.cycle();
  let threshold = gc.amplitude * uniform(random, 1 - THRESHOLD_SPREAD, 1 + THRESHOLD_SPREAD);
  let garbage = 0;
  let floorJitter = 0;
  let wander = 0;
  let last = 0;
  for (let i = 0; i < n; i++) {
    const ti = i * STEP_MS + Math.round(uniform(random, -300, 300));
    const dt = Math.max(0, ti - last);
    last = ti;
    const act = activity(ti);
    if (gc.amplitude > 0 && act > 0) {
      garbage += (threshold / cycleMs) * dt * act;
      // A GC may fire several times between two samples when cycles are short.
      if (garbage >= threshold) {
        garbage = (garbage - threshold) % Math.max(threshold, 1);
        cycleMs = gc.cycle();
        threshold = gc.amplitude * uniform(random, 1 - THRESHOLD_SPREAD, 1 + THRESHOLD_SPREAD);
        floorJitter = gauss(random) * 0.02 * gc.amplitude;
      }
    }
    wander = wander * Math.exp(-dt / WANDER_MEMORY_MS) + gauss(random) * WANDER_STEP_BYTES;
    t[i] = ti;
    v[i] = base + offset(ti) + garbage + floorJitter + wander + gauss(random) * noiseMB * MB;
    garbageAt[i] = garbage;
  }
  return { t, v, garbage: garbageAt };
}

/**
 * The regimes that draw their GC class per seed-week and take a forced one (`gcClass`):
 * the classes each draws from.
 */
export const DRAWN_GC_CLASSES = {
  "start-up growth": Object.keys(GC_CLASSES),
  "one-off steps": Object.keys(GC_CLASSES),
  "load comes and goes": ["gc 3-30 s", "gc 1-5 min", "gc irregular"],
};

/** A GC class drawn from `classes`, or `forced` where given (the draw is still made). */
function pickGc(random, classes = Object.keys(GC_CLASSES), forced = undefined) {
  const name = forced ?? classes[Math.floor(random() * classes.length)];
  if (forced) random();
  return { name, gc: GC_CLASSES[name](random) };
}

/** Random on/off schedule: stretches alternate with lengths drawn from the two ranges. */
function schedule(random, durationMs, onRange, offRange) {
  const spans = [];
  let t = uniform(random, offRange[0], offRange[1]);
  while (t < durationMs) {
    const on = uniform(random, onRange[0], onRange[1]);
    spans.push([t, t + on]);
    t += on + uniform(random, offRange[0], offRange[1]);
  }
  return spans;
}

/**
 * Leak-free regimes: name → (seed, days, gcClass?) → { t, v, background }. Start-up growth,
 * one-off steps and load draw their GC class unless `gcClass` names one ("smooth": the heap
 * right after each GC, or GPU memory, as the process sees them).
 */
export const REGIMES = {
  "saw-tooth 3-30 s": (seed, days) => sawTooth(seed, days, "gc 3-30 s"),
  "saw-tooth 1-5 min": (seed, days) => sawTooth(seed, days, "gc 1-5 min"),
  "saw-tooth 5-10 min": (seed, days) => sawTooth(seed, days, "gc 5-10 min"),
  "saw-tooth irregular": (seed, days) => sawTooth(seed, days, "gc irregular"),
  "noise only": (seed, days) => {
    const random = rng(seed);
    return simulate(random, {
      durationMs: days * DAY_MS,
      gc: GC_CLASSES.smooth(random),
      noiseMB: uniform(random, 0.5, 8),
      offset: () => 0,
    });
  },
  // The process restarts every few hours and grows 20-100 MB over 1-6 minutes each time.
  "start-up growth": (seed, days, gcClass) => {
    const random = rng(seed);
    const { gc } = pickGc(random, DRAWN_GC_CLASSES["start-up growth"], gcClass);
    const restarts = [0];
    while (restarts[restarts.length - 1] < days * DAY_MS) {
      restarts.push(restarts[restarts.length - 1] + uniform(random, 2, 8) * HOUR);
    }
    const shapes = restarts.map(() => ({
      growth: uniform(random, 20, 100) * MB,
      ms: uniform(random, 1, 6) * MIN,
      saturating: random() < 0.5,
    }));
    let k = 0;
    return simulate(random, {
      durationMs: days * DAY_MS,
      gc,
      noiseMB: uniform(random, 0.5, 3),
      offset: (t) => {
        while (k + 1 < restarts.length && t >= restarts[k + 1]) k++;
        const { growth, ms, saturating } = shapes[k];
        const x = (t - restarts[k]) / ms;
        return growth * (saturating ? 1 - Math.exp(-3 * x) : Math.min(1, x));
      },
    });
  },
  // A cache filled once, a second model loaded, a buffer released: 20-300 MB in under 30 s.
  "one-off steps": (seed, days, gcClass) => {
    const random = rng(seed);
    const { gc } = pickGc(random, DRAWN_GC_CLASSES["one-off steps"], gcClass);
    const offset = oneOffSteps(random, days * DAY_MS);
    return simulate(random, {
      durationMs: days * DAY_MS,
      gc,
      noiseMB: uniform(random, 0.5, 3),
      offset,
    });
  },
  // Hours of nothing (no allocation, no GC) between active stretches.
  "idle stretches": (seed, days) => {
    const random = rng(seed);
    const { gc } = pickGc(random, ["gc 3-30 s", "gc 1-5 min", "gc irregular"]);
    const active = schedule(random, days * DAY_MS, [10 * MIN, 2 * HOUR], [1 * HOUR, 8 * HOUR]);
    const isActive = (t) => active.some(([a, b]) => t >= a && t < b);
    return simulate(random, {
      durationMs: days * DAY_MS,
      gc,
      noiseMB: uniform(random, 0.2, 2),
      offset: () => 0,
      activity: (t) => (isActive(t) ? 1 : 0),
    });
  },
  // Busy stretches hold 20-80 MB more (requests in flight) and allocate 2-4x faster.
  "load comes and goes": (seed, days, gcClass) => {
    const random = rng(seed);
    const { gc } = pickGc(random, DRAWN_GC_CLASSES["load comes and goes"], gcClass);
    const busy = schedule(random, days * DAY_MS, [10 * MIN, 3 * HOUR], [10 * MIN, 4 * HOUR]).map(
      ([a, b]) => ({
        a,
        b,
        extra: uniform(random, 20, 80) * MB,
        up: uniform(random, 1, 10) * MIN,
        down: uniform(random, 1, 20) * MIN,
        speed: uniform(random, 2, 4),
      }),
    );
    const at = (t) => busy.find((s) => t >= s.a && t < s.b + s.down);
    return simulate(random, {
      durationMs: days * DAY_MS,
      gc,
      noiseMB: uniform(random, 0.5, 3),
      offset: (t) => {
        const s = at(t);
        if (!s) return 0;
        if (t < s.b) return s.extra * Math.min(1, (t - s.a) / s.up);
        return s.extra * Math.max(0, 1 - (t - s.b) / s.down);
      },
      activity: (t) => (at(t) && t < at(t).b ? at(t).speed : 1),
    });
  },
};

/**
 * One-off steps over `durationMs`, drawn from `random`: a cache filled or dropped, a second
 * model loaded, a buffer released, of 20-300 MB in under 30 s, every 0.5-4 hours, the level
 * kept between 0 and 600 MB. Returns what they add at data time t (bytes).
 */
export function oneOffSteps(random, durationMs) {
  const steps = [];
  let level = 0;
  for (let t = uniform(random, 0.5, 4) * HOUR; t < durationMs;) {
    let size = uniform(random, 20, 300) * MB * (random() < 0.5 ? -1 : 1);
    if (level + size < 0 || level + size > 600 * MB) size = -size;
    if (level + size < 0) size = -level;
    level += size;
    steps.push({ at: t, size, ms: uniform(random, 0, 30e3) });
    t += uniform(random, 0.5, 4) * HOUR;
  }
  return (t) => {
    let sum = 0;
    for (const s of steps) {
      if (t < s.at) break;
      sum += s.size * Math.min(1, s.ms === 0 ? 1 : (t - s.at) / s.ms);
    }
    return sum;
  };
}

function sawTooth(seed, days, gcClass) {
  const random = rng(seed);
  return simulate(random, {
    durationMs: days * DAY_MS,
    gc: GC_CLASSES[gcClass](random),
    noiseMB: uniform(random, 0.5, 5),
    offset: () => 0,
  });
}

/** How far apart (ms) readAsHeapAfterGc's major GCs come. */
const MAJOR_GC_READS_MS = [90e3, 510e3];

/**
 * `series` read in place as a process reports the heap after GC: a new reading only at
 * each major GC, 1.5-8.5 minutes apart (drawn from `seed`'s own stream), and the last one
 * repeated at every sample in between. Under a slow major GC a leak then shows as a
 * staircase, and a stop only at the next reading.
 */
export function readAsHeapAfterGc(series, seed) {
  const random = rng(seed * 7919 + 1);
  const { t, v } = series;
  let next = 0;
  let held = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] >= next) {
      held = v[i];
      next = t[i] + uniform(random, ...MAJOR_GC_READS_MS);
    }
    v[i] = held;
  }
  return series;
}

export const LEAK_RATES_MBPS = [0.01, 0.05, 0.2, 1, 5];
/** Delay targets (ms) per rate; 5 MB/s shares 1 MB/s's. */
export const LEAK_TARGET_MS = {
  0.01: 3 * HOUR,
  0.05: 30 * MIN,
  0.2: 10 * MIN,
  1: 2 * MIN,
  5: 2 * MIN,
};

/**
 * A leak of `rateMBps` on a background of GC class `gcClass`: steady, or `stepwise` (a
 * fixed amount after every few utterances, irregularly spaced 30-300 s on average).
 * It starts anywhere in the first three hours and stops after max(2 x target, 1 h); the
 * trace runs 90 minutes past the stop so clearing can be seen. `atMajorGcs` reads it as
 * the heap after GC is read (readAsHeapAfterGc).
 */
export function leakTrace(seed, { rateMBps, shape, gcClass, atMajorGcs = false }) {
  const random = rng(seed * 7919 + Math.round(rateMBps * 1000));
  const start = Math.round(uniform(random, 0, 3) * HOUR);
  const stop = start + Math.max(2 * LEAK_TARGET_MS[rateMBps], HOUR);
  const durationMs = stop + 90 * MIN;
  const rate = (rateMBps * MB) / 1000; // bytes per ms
  const meanGap = uniform(random, 30e3, 300e3);
  const stepAt = [];
  for (let t = start; t < stop; t += meanGap * uniform(random, 0.5, 1.5)) stepAt.push(t);
  const stepSize = rate * meanGap;
  let k = 0;
  const gc = GC_CLASSES[gcClass](random);
  const series = simulate(random, {
    durationMs,
    gc,
    noiseMB: uniform(random, ...LEAK_NOISE_MB),
    offset: (t) => {
      if (t < start) return 0;
      if (shape === "steady") return rate * (Math.min(t, stop) - start);
      while (k < stepAt.length && stepAt[k] <= t) k++;
      return k * stepSize;
    },
  });
  if (atMajorGcs) readAsHeapAfterGc(series, seed);
  // Memory stops growing at the stop, or for a stepwise leak at its last step.
  const lastGrowth = shape === "steady" ? stop : stepAt[stepAt.length - 1];
  return {
    ...series,
    leak: { start, stop, lastGrowth, rateMBps, shape },
    gc: { amplitude: gc.amplitude, minCycleMs: gc.minCycleMs },
  };
}
