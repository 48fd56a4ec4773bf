// How well any detector can tell a leak that stopped a while ago from one that goes on,
// on a smooth series (the heap after GC, GPU memory) with the corpus's own noise: white
// noise plus the slow AR(1) wander of leakCorpus.js. Both hypotheses are Gaussian with the
// same covariance, and their means differ only after the stop (flat, or still climbing at
// the leak's rate). The best test, told when the leak stopped (Neyman-Pearson: the
// likelihood ratio), separates them by d' = sqrt(mu' C^-1 mu), mu being the difference of
// the means; one that wrongly ends a leak that goes on with probability alpha then misses
// a real stop with probability Phi(z(1 - alpha) - d'). A real detector is not told when the
// leak stopped and looks again and again, so it can only do worse: this is a bound.

import { errorFunction, probit } from "simple-statistics";

/**
 * d' for telling "stopped `afterMs` ago" from "goes on", from samples every `stepMs` over
 * `beforeMs` before the stop and `afterMs` after it.
 */
export function stopSeparation({
  bytesPerS,
  afterMs,
  noiseBytes,
  wanderStepBytes,
  wanderMemoryMs,
  stepMs,
  beforeMs = 1_800_000,
}) {
  const times = [];
  for (let t = -beforeMs; t <= afterMs; t += stepMs) times.push(t);
  const n = times.length;
  // Stationary variance of the wander: its step's, over 1 - rho^2.
  const wanderVar = wanderStepBytes ** 2 / (1 - Math.exp((-2 * stepMs) / wanderMemoryMs));
  // Covariance, factored in place (Cholesky, lower triangle).
  const c = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      c[i][j] = wanderVar * Math.exp(-Math.abs(times[i] - times[j]) / wanderMemoryMs);
    }
    c[i][i] += noiseBytes ** 2;
  }
  for (let j = 0; j < n; j++) {
    let d = c[j][j];
    for (let k = 0; k < j; k++) d -= c[j][k] ** 2;
    c[j][j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let x = c[i][j];
      for (let k = 0; k < j; k++) x -= c[i][k] * c[j][k];
      c[i][j] = x / c[j][j];
    }
  }
  // |L^-1 mu|, by forward substitution.
  const y = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let x = times[i] > 0 ? (bytesPerS * times[i]) / 1000 : 0;
    for (let k = 0; k < i; k++) x -= c[i][k] * y[k];
    y[i] = x / c[i][i];
    sum += y[i] ** 2;
  }
  return Math.sqrt(sum);
}

/** The least share of real stops the best test misses when it ends `alpha` of going leaks. */
export function missedStops(dPrime, alpha) {
  // Phi from the error function: simple-statistics' table of Phi stops at 0.1 %.
  return (1 + errorFunction((probit(1 - alpha) - dPrime) / Math.SQRT2)) / 2;
}
