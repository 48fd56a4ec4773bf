// Where a ramp changed pace: a leak that began while garbage piled up steepens the ramp
// from that moment. Two least-squares lines, before and after a break, with the break
// where they fit best; each line's slope comes with its standard error.

/** Points a line needs on each side of a break for its slope to mean anything. */
const HINGE_MIN_POINTS = 4;

/** A least-squares line through points from..to-1 of t, v: slope, its standard error, squares left. */
function line(
  t: Float64Array,
  v: Float64Array,
  from: number,
  to: number,
): { slope: number; se: number; sse: number; sst: number } {
  const n = to - from;
  let tMean = 0;
  let vMean = 0;
  for (let i = from; i < to; i++) {
    tMean += t[i]! / n;
    vMean += v[i]! / n;
  }
  let stt = 0;
  let stv = 0;
  let sst = 0;
  for (let i = from; i < to; i++) {
    stt += (t[i]! - tMean) ** 2;
    stv += (t[i]! - tMean) * (v[i]! - vMean);
    sst += (v[i]! - vMean) ** 2;
  }
  const slope = stt > 0 ? stv / stt : 0;
  let sse = 0;
  for (let i = from; i < to; i++) sse += (v[i]! - vMean - slope * (t[i]! - tMean)) ** 2;
  const se = n > 2 && stt > 0 ? Math.sqrt(sse / (n - 2) / stt) : Infinity;
  return { slope, se, sse, sst };
}

export interface Hinge {
  /** The line after the break (all the points when none fits better): slope and its standard error. */
  after: { slope: number; se: number };
  /** The line before the break; undefined when no break fits better than one line. */
  before: { slope: number; se: number } | undefined;
  /** Where the line after the break begins (the first point's t when there is none). */
  breakT: number;
}

/**
 * The best break of the n points (t ascending) into two lines, each of at least
 * HINGE_MIN_POINTS, judged by the squares they leave; no break when one line leaves fewer
 * or there are too few points. O(n²): run on a report, never per sample.
 */
export function hingeFit(t: Float64Array, v: Float64Array, n: number): Hinge {
  const whole = line(t, v, 0, n);
  let best: Hinge = { after: whole, before: undefined, breakT: t[0]! };
  // A break must leave fewer squares by more than rounding does.
  let bestSse = whole.sse - 1e-12 * whole.sst;
  for (let k = HINGE_MIN_POINTS; k + HINGE_MIN_POINTS <= n; k++) {
    const before = line(t, v, 0, k);
    const after = line(t, v, k, n);
    if (before.sse + after.sse < bestSse) {
      bestSse = before.sse + after.sse;
      best = { after, before, breakT: t[k]! };
    }
  }
  return best;
}
