// A small seeded memory-series generator for the leak tracker's property tests: GC
// saw-tooth of irregular cycles, noise, start-up growth, one-off steps and an optional leak.
// bench/support/leakCorpus.js holds the fuller corpus the figures are measured on.

export interface SeriesShape {
  seed: number;
  hours: number;
  /** GC cycle range, ms (0 = no saw-tooth). */
  cycleMs: [number, number];
  amplitudeMB: number;
  noiseMB: number;
  /**
   * Irregular collections: each cycle's height varies by up to this share of the amplitude,
   * what a collection leaves behind carries into the next cycle, and its post-GC floor
   * differs from the last by a fiftieth of the amplitude (sd).
   */
  irregular?: number;
  startupMB: number;
  startupMs: number;
  /** One-off step: when (ms), how much (MB, signed) and over how long (ms). */
  step?: { at: number; mb: number; ms: number };
  /** More one-off steps, as `step`. */
  steps?: readonly { at: number; mb: number; ms: number }[];
  /** Idle (no allocation, so no GC) from the start until then, ms. */
  idleUntilMs?: number;
  /**
   * Read as the heap after GC is: a new value only at each major GC, drawn this far apart
   * (ms), and the last one repeated at every sample in between.
   */
  readEveryMs?: [number, number];
  /** Leak: MB/s from `start` to `stop` (ms); `stepEveryMs` makes it stepwise. */
  leak?: { mbps: number; start: number; stop: number; stepEveryMs?: number };
}

const MB = 1e6;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Calls `sample(tMs, bytes)` every ~5 s. */
export function generate(shape: SeriesShape, sample: (t: number, v: number) => void): void {
  const random = rng(shape.seed);
  const gauss = (): number =>
    Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
  const [lo, hi] = shape.cycleMs;
  const nextCycle = (): number => lo + (hi - lo) * random();
  let cycle = nextCycle();
  let garbage = 0;
  let floor = 0;
  const vary = shape.irregular ?? 0;
  let height = shape.amplitudeMB * MB;
  let last = 0;
  const end = shape.hours * 3_600_000;
  // The reads draw from their own stream, so a series read so is the same series.
  const read = shape.readEveryMs;
  const readRandom = rng(shape.seed + 1);
  let nextRead = 0;
  let held = 0;
  for (let i = 0; i * 5000 < end; i++) {
    const t = i * 5000 + Math.round((random() - 0.5) * 600);
    if (hi > 0 && t >= (shape.idleUntilMs ?? 0)) {
      garbage += (height / cycle) * Math.max(0, t - last);
      if (garbage >= height) {
        garbage = vary > 0 ? (garbage - height) % height : garbage % height;
        cycle = nextCycle();
        height = shape.amplitudeMB * MB * (1 + vary * (2 * random() - 1));
        floor = vary > 0 ? gauss() * 0.02 * shape.amplitudeMB * MB : 0;
      }
    }
    last = t;
    let offset = shape.startupMB * MB * Math.min(1, t / shape.startupMs);
    const { step, leak } = shape;
    for (const s of step ? [step, ...(shape.steps ?? [])] : (shape.steps ?? []))
      if (t >= s.at) offset += s.mb * MB * Math.min(1, (t - s.at) / s.ms);
    if (leak && t >= leak.start) {
      const ms = Math.min(t, leak.stop) - leak.start;
      const every = leak.stepEveryMs;
      offset += (leak.mbps * MB * (every ? Math.ceil(ms / every) * every : ms)) / 1000;
    }
    const value = 300 * MB + offset + floor + garbage + gauss() * shape.noiseMB * MB;
    if (read && t >= nextRead) {
      held = value;
      nextRead = t + read[0] + (read[1] - read[0]) * readRandom();
    }
    sample(t, read ? held : value);
  }
}

/**
 * A regular saw-tooth without randomness: `cycles` GC cycles of 24 samples 5 s apart, each
 * climbing `rampMB` of garbage from `levelMB(cycle, sample)` (memory that stays), with a
 * fixed wobble of under 1 MB. Calls `sample(tMs, bytes)`.
 */
export function regularSawTooth(
  cycles: number,
  levelMB: (cycle: number, sample: number) => number,
  sample: (t: number, v: number) => void,
  rampMB = 100,
): void {
  for (let c = 0, t = 0; c < cycles; c++) {
    for (let k = 0; k < 24; k++, t += 5000)
      sample(t, (levelMB(c, k) + (rampMB * k) / 24 + ((k * 7) % 3) * 0.3) * MB);
  }
}
