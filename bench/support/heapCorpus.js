// A second corpus of memory series, built differently from leakCorpus.js and never used to
// tune the leak tracker: a check that it holds on processes it was not tuned for.
//
// leakCorpus.js draws each GC cycle's length and size from a class, whatever the heap
// holds. Here the collector follows the heap, as V8's does: after each major collection
// the next one is due when the heap has grown by a factor of what survived it, so a
// bigger live heap (a cache, a leak) makes bigger collections; the garbage comes at a
// rate that wanders with the load, so cycles run from seconds to many minutes within one
// process; and RSS gives back only part of what a collection frees at once, the rest over
// minutes, as an allocator returns pages. Its seeds are its own (HEAP_SEEDS), and every
// figure from it is a judging figure.

import { DAY_MS, gauss, LEAK_TARGET_MS, oneOffSteps, rng, STEP_MS, uniform } from "./leakCorpus.js";

const MB = 1e6;
const MIN = 60_000;
const HOUR = 3_600_000;

/** The corpus's seeds: figures only, never tuned on. */
export const HEAP_SEEDS = Array.from({ length: 60 }, (_, i) => 11001 + i);

/**
 * One process drawn from `random`: live heap, how far the heap may grow past it before a
 * major GC, the garbage rate and how it wanders, how much of a collection RSS keeps for a
 * while, native memory and noise.
 */
function drawProcess(random) {
  const live = uniform(random, 40, 400) * MB;
  // V8 lets the heap grow to 1.1-4 times what survived the last major GC; a process keeps
  // one factor, with a few per cent of jitter.
  const growFactor = uniform(random, 1.3, 2.5);
  // A major GC every 5 s to 4 minutes at the median load (log-uniform); the load wanders
  // about it by a log-normal walk with a memory of minutes, which stretches a cycle up to
  // about 10 minutes now and then: the range.
  const cycleMs = Math.exp(uniform(random, Math.log(5e3), Math.log(240e3)));
  return {
    live,
    growFactor,
    allocBytesPerMs: (live * (growFactor - 1)) / cycleMs,
    loadSd: uniform(random, 0.2, 0.4),
    loadMemoryMs: uniform(random, 2, 30) * MIN,
    // Of what a collection frees, RSS keeps this share and gives it back over minutes.
    kept: uniform(random, 0, 0.4),
    keptMemoryMs: uniform(random, 1, 10) * MIN,
    native: uniform(random, 80, 400) * MB,
    noiseMB: uniform(random, 0.5, 3),
  };
}

/**
 * Every ~5 s for `durationMs`: RSS (`v`), and the two series a process reports from inside
 * (ProcessMemorySampler): the JS heap right after the last major GC (`heap`, NaN until the
 * first), and native memory, RSS less the V8 heap (`native`). `liveExtra(t)` adds to the
 * live heap (start-up, a cache, a JS leak: the collector sizes its cycles by it) and
 * `nativeExtra(t)` to native memory (a model loaded, an addon's leak); `active(t)` is
 * false while the process is idle (no garbage, no GC).
 */
function simulate(random, p, durationMs, liveExtra, active = () => true, nativeExtra = () => 0) {
  const n = Math.floor(durationMs / STEP_MS);
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  const heap = new Float64Array(n).fill(NaN);
  const native = new Float64Array(n);
  let reading = NaN;
  let garbage = 0;
  // Pages the heap holds that nothing lives in: what a collection freed and RSS kept.
  // New garbage fills them before it takes new pages, and the rest go back over minutes.
  let free = 0;
  let load = 0;
  let wander = 0;
  let limit = -1;
  let last = 0;
  for (let i = 0; i < n; i++) {
    const ti = i * STEP_MS + Math.round(uniform(random, -300, 300));
    const dt = Math.max(0, ti - last);
    last = ti;
    const live = p.live + liveExtra(ti);
    if (limit < 0) limit = live * p.growFactor;
    const decay = Math.exp(-dt / p.loadMemoryMs);
    load = load * decay + gauss(random) * p.loadSd * Math.sqrt(1 - decay * decay);
    if (active(ti)) {
      const allocated = p.allocBytesPerMs * Math.exp(load) * dt;
      garbage += allocated;
      free = Math.max(0, free - allocated);
      // A major GC when the heap reaches its limit; the next limit follows what survived.
      if (live + garbage >= limit) {
        free += p.kept * garbage;
        garbage = 0;
        // What survived, give or take the objects that died as it ran.
        reading = live + Math.abs(gauss(random)) * 0.005 * live;
        limit = Math.max(live * p.growFactor, live + 8 * MB) * uniform(random, 0.95, 1.05);
      }
    }
    free *= Math.exp(-dt / p.keptMemoryMs);
    wander = wander * Math.exp(-dt / (20 * MIN)) + gauss(random) * 0.3 * MB;
    t[i] = ti;
    const outside = p.native + nativeExtra(ti) + wander + gauss(random) * p.noiseMB * MB;
    v[i] = live + garbage + free + outside;
    heap[i] = reading;
    native[i] = outside;
  }
  return { t, v, heap, native };
}

/**
 * Leak-free processes: name → (seed, days) → { t, v }. The same kinds of change as
 * leakCorpus's regimes, on the heap the collector sizes itself by.
 */
export const HEAP_REGIMES = {
  // Load wanders, the collector follows: cycles from seconds to many minutes.
  "steady service": (seed, days) => {
    const random = rng(seed);
    const p = drawProcess(random);
    return simulate(random, p, days * DAY_MS, () => 0);
  },
  // Restarts every 2-8 hours, each growing the live heap 20-100 MB over 1-6 minutes.
  "restarts with start-up growth": (seed, days) => {
    const random = rng(seed);
    const p = drawProcess(random);
    const at = [0];
    while (at[at.length - 1] < days * DAY_MS)
      at.push(at[at.length - 1] + uniform(random, 2, 8) * HOUR);
    const shapes = at.map(() => ({
      growth: uniform(random, 20, 100) * MB,
      ms: uniform(random, 1, 6) * MIN,
    }));
    let k = 0;
    return simulate(random, p, days * DAY_MS, (t) => {
      while (k + 1 < at.length && t >= at[k + 1]) k++;
      return shapes[k].growth * Math.min(1, (t - at[k]) / shapes[k].ms);
    });
  },
  // A cache filled or dropped, a model loaded or released: 20-300 MB of live heap in
  // under 30 s, every 0.5-4 hours, the heap kept between 0 and 600 MB above its base.
  "one-off steps": (seed, days) => {
    const random = rng(seed);
    const p = drawProcess(random);
    return simulate(random, p, days * DAY_MS, oneOffSteps(random, days * DAY_MS));
  },
  // Busy stretches of 10 minutes to 3 hours hold 20-80 MB more live (work in flight).
  "load comes and goes": (seed, days) => {
    const random = rng(seed);
    const p = drawProcess(random);
    const busy = [];
    for (let t = uniform(random, 10, 240) * MIN; t < days * DAY_MS;) {
      const ms = uniform(random, 10, 180) * MIN;
      busy.push({
        a: t,
        b: t + ms,
        extra: uniform(random, 20, 80) * MB,
        up: uniform(random, 1, 10) * MIN,
        down: uniform(random, 1, 20) * MIN,
      });
      t += ms + uniform(random, 10, 240) * MIN;
    }
    return simulate(random, p, days * DAY_MS, (t) => {
      const s = busy.find((x) => t >= x.a && t < x.b + x.down);
      if (!s) return 0;
      if (t < s.b) return s.extra * Math.min(1, (t - s.a) / s.up);
      return s.extra * Math.max(0, 1 - (t - s.b) / s.down);
    });
  },
  // Active 10 minutes to 2 hours, then idle 1-8 hours: no garbage, no collection.
  "idle stretches": (seed, days) => {
    const random = rng(seed);
    const p = drawProcess(random);
    const spans = [];
    for (let t = 0; t < days * DAY_MS;) {
      const on = uniform(random, 10, 120) * MIN;
      spans.push([t, t + on]);
      t += on + uniform(random, 1, 8) * HOUR;
    }
    let k = 0;
    return simulate(
      random,
      p,
      days * DAY_MS,
      () => 0,
      (t) => {
        while (k + 1 < spans.length && t >= spans[k + 1][0]) k++;
        return t >= spans[k][0] && t < spans[k][1];
      },
    );
  },
};

/** The leak rates the corpus draws (MB/s); their targets are leakCorpus.js's. */
export const HEAP_LEAK_RATES = [0.05, 0.2, 1, 5];

/**
 * A steady leak of `rateMBps`, in the JS heap (`kind` "js": the collector's cycles grow
 * with it) or in native memory ("native": an addon's, which the collector does not see),
 * starting 0.5-3 hours in and stopping after twice its target or an hour, whichever is
 * longer, but at 1.2 GB at most (no heap grows much past that and lives); the trace runs
 * 90 minutes past the stop.
 */
export function heapLeakTrace(seed, rateMBps, kind = "js") {
  const random = rng(seed * 7919 + Math.round(rateMBps * 1000) + (kind === "js" ? 0 : 1));
  const p = drawProcess(random);
  const start = Math.round(uniform(random, 0.5, 3) * HOUR);
  const rate = (rateMBps * MB) / 1000;
  const lastsMs = Math.max(2 * LEAK_TARGET_MS[rateMBps], Math.min(HOUR, (1200 * MB) / rate));
  const stop = start + lastsMs;
  const grown = (t) => (t < start ? 0 : rate * (Math.min(t, stop) - start));
  const none = () => 0;
  const series =
    kind === "js"
      ? simulate(random, p, stop + 90 * MIN, grown)
      : simulate(random, p, stop + 90 * MIN, none, () => true, grown);
  return { ...series, leak: { start, stop, lastGrowth: stop, rateMBps, kind } };
}
