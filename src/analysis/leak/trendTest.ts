// A trend test on a handful of post-GC floors: Theil–Sen slope (the median of pairwise
// slopes, so one odd floor cannot move it) with Sen's confidence interval from the
// Mann–Kendall statistic, whose variance is widened by the residuals' lag-1
// autocorrelation (floors that wander together are fewer independent witnesses than they
// look). Also the two shapes that are not a leak though they rise: a single level shift,
// and growth that has stopped by the end of the window.

export interface Trend {
  slope: number; // per time unit of t
  slopeLow: number;
  slopeHigh: number;
  /** The interval's lower end at level `holdZ` (the level that keeps a trend already found). */
  slopeLowHeld: number;
  /** Mann–Kendall z after the autocorrelation correction. */
  z: number;
  /**
   * Too few floors, or floors too alike from one to the next, for the statistic to reach
   * level z: the interval's lower end is then the smallest pairwise slope, above zero
   * whenever every floor rose (six floors do so by chance once in 720).
   */
  weak: boolean;
  /** Robust scale (MAD) of the floors around the line. */
  scale: number;
  /** One level shift fits the floors at least as well as a straight line. */
  stepLike: boolean;
  /**
   * Two level shifts (three flat levels, the middle one of two floors or more) fit at least
   * as well as a straight line.
   */
  twoStepLike: boolean;
  /** Three level shifts (four flat levels) leave at most half a straight line's error. */
  threeStepLike: boolean;
  /** The later half rises at under half the overall slope, or the last floors sit below the line. */
  flattened: boolean;
}

/** Scratch space for up to `maxPoints` points, allocated once per tracker. */
export class TrendScratch {
  readonly slopes: Float64Array;
  readonly work: Float64Array;
  readonly squares: Float64Array;
  constructor(maxPoints: number) {
    this.squares = new Float64Array(maxPoints + 1);
    this.slopes = new Float64Array((maxPoints * (maxPoints - 1)) / 2);
    this.work = new Float64Array(maxPoints + 1);
  }
}

/** The median of `values`, which it sorts in place. */
export function median(values: Float64Array): number {
  values.sort();
  const n = values.length;
  return n % 2 === 1 ? values[(n - 1) / 2]! : (values[n / 2 - 1]! + values[n / 2]!) / 2;
}

function senSlope(t: Float64Array, v: Float64Array, from: number, to: number, s: TrendScratch) {
  let m = 0;
  for (let i = from; i < to; i++) {
    for (let j = i + 1; j < to; j++) {
      const dt = t[j]! - t[i]!;
      if (dt > 0) s.slopes[m++] = (v[j]! - v[i]!) / dt;
    }
  }
  return m === 0 ? 0 : median(s.slopes.subarray(0, m));
}

/**
 * `t` and `v` hold `n` points in time order (n ≥ 4); `z` is the one-sided level, `holdZ`
 * a lower one for `slopeLowHeld`.
 */
export function trendTest(
  t: Float64Array,
  v: Float64Array,
  n: number,
  z: number,
  s: TrendScratch,
  holdZ = z,
): Trend {
  let pairs = 0;
  let score = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dt = t[j]! - t[i]!;
      if (dt <= 0) continue;
      const dv = v[j]! - v[i]!;
      s.slopes[pairs++] = dv / dt;
      score += Math.sign(dv);
    }
  }
  const sorted = s.slopes.subarray(0, pairs);
  const slope = median(sorted);

  const work = s.work.subarray(0, n);
  for (let i = 0; i < n; i++) work[i] = v[i]! - slope * t[i]!;
  const intercept = median(work);
  let r0 = 0;
  let r1 = 0;
  let lastResiduals = 0;
  const tail = Math.max(2, Math.floor(n / 4));
  for (let i = 0; i < n; i++) {
    const r = v[i]! - intercept - slope * t[i]!;
    r0 += r * r;
    if (i > 0) r1 += r * (v[i - 1]! - intercept - slope * t[i - 1]!);
    if (i >= n - tail) lastResiduals += r;
    work[i] = Math.abs(r);
  }
  const rho = r0 > 0 ? r1 / r0 : 0;
  const inflation = rho > 0 ? Math.min(4, (1 + rho) / (1 - Math.min(rho, 0.9))) : 1;
  const variance = ((n * (n - 1) * (2 * n + 5)) / 18) * inflation;
  const sd = Math.sqrt(variance);
  const zScore = score === 0 ? 0 : (score - Math.sign(score)) / sd;
  const c = z * sd;
  const lowIndex = Math.floor((pairs - c) / 2);
  const at = (index: number): number => sorted[Math.max(0, Math.min(pairs - 1, index))]!;
  const slopeLow = at(lowIndex);
  const slopeLowHeld = at(Math.floor((pairs - holdZ * sd) / 2));
  const slopeHigh = at(Math.ceil((pairs + c) / 2));
  const scale = 1.4826 * median(work);

  return {
    slope,
    slopeLow,
    slopeHigh,
    slopeLowHeld,
    z: zScore,
    weak: lowIndex < 0,
    scale,
    ...levelShifts(t, v, n, s.work, s.squares),
    flattened:
      senSlope(t, v, Math.floor(n / 2), n, s) < 0.5 * slope ||
      lastResiduals / tail < (-2 * scale) / Math.sqrt(tail),
  };
}

/** Least-squares line against the best split into two, three and four flat levels. */
function levelShifts(
  t: Float64Array,
  v: Float64Array,
  n: number,
  prefix: Float64Array,
  sq: Float64Array,
): { stepLike: boolean; twoStepLike: boolean; threeStepLike: boolean } {
  let st = 0;
  let sv = 0;
  for (let i = 0; i < n; i++) {
    st += t[i]!;
    sv += v[i]!;
  }
  const mt = st / n;
  const mv = sv / n;
  let stt = 0;
  let stv = 0;
  let svv = 0;
  for (let i = 0; i < n; i++) {
    stt += (t[i]! - mt) ** 2;
    stv += (t[i]! - mt) * (v[i]! - mv);
    svv += (v[i]! - mv) ** 2;
  }
  const lineSse = stt > 0 ? svv - (stv * stv) / stt : svv;
  // Prefix sums of centred values and their squares: any segment's SSE in O(1).
  const sum = (a: number, b: number): number => prefix[b]! - prefix[a]!;
  let acc = 0;
  prefix[0] = 0;
  for (let i = 0; i < n; i++) prefix[i + 1] = acc += v[i]! - mv;
  acc = 0;
  sq[0] = 0;
  for (let i = 0; i < n; i++) sq[i + 1] = acc += (v[i]! - mv) ** 2;
  const sse = (a: number, b: number): number => sq[b]! - sq[a]! - sum(a, b) ** 2 / (b - a);
  let one = Infinity;
  for (let k = 2; k <= n - 2; k++) one = Math.min(one, sse(0, k) + sse(k, n));
  let two = Infinity;
  // The first and last levels may be one floor: under GC every 5-10 minutes an hour's
  // window holds six floors, and a second step often lands in the last.
  for (let j = 1; j <= n - 3; j++) {
    for (let k = j + 2; k <= n - 1; k++) two = Math.min(two, sse(0, j) + sse(j, k) + sse(k, n));
  }
  let three = Infinity;
  // Levels of one floor allowed: a window often starts or ends just past a step.
  for (let i = 1; i <= n - 3; i++) {
    for (let j = i + 1; j <= n - 2; j++) {
      const head = sse(0, i) + sse(i, j);
      for (let k = j + 1; k <= n - 1; k++) three = Math.min(three, head + sse(j, k) + sse(k, n));
    }
  }
  return {
    stepLike: one <= lineSse,
    twoStepLike: two <= lineSse,
    threeStepLike: three <= 0.5 * lineSse,
  };
}
