// The peers the leak rule is measured against, on the same traces as it: the seed's rule
// (least-squares slope of the raw samples over 60 s > 1 MB/s), Prometheus-style
// deriv(x[30m]) > 50 kB/s and predict_linear(x[1h], 4h) > 2 GB on a 15 s scrape, and the
// deployed Prometheus rule (deploy/prometheus/rules, simulated by deployedRule.js). Each
// is a factory of a detector: (t, v) -> { firing, condition }.

import { deployedRule } from "./deployedRule.js";

/** The scrape interval the Prometheus-style rules see. */
const SCRAPE_MS = 15_000;

/** Least-squares slope (per s) of the samples in the ring. */
function lsqSlope(ts, vs, n) {
  if (n < 3) return 0;
  let st = 0;
  let sv = 0;
  for (let i = 0; i < n; i++) {
    st += ts[i];
    sv += vs[i];
  }
  const mt = st / n;
  const mv = sv / n;
  let stt = 0;
  let stv = 0;
  for (let i = 0; i < n; i++) {
    stt += (ts[i] - mt) ** 2;
    stv += (ts[i] - mt) * (vs[i] - mv);
  }
  return stt > 0 ? (stv / stt) * 1000 : 0;
}

/** Samples of the last `ms`, taken every `everyMs` (a scrape), with a test on them. */
function rangeRule(ms, everyMs, test) {
  const ts = [];
  const vs = [];
  let nextScrape = -Infinity;
  let firing = false;
  return (t, v) => {
    if (t < nextScrape) return firing;
    nextScrape = t + everyMs - 1000;
    ts.push(t);
    vs.push(v);
    while (ts[0] <= t - ms) {
      ts.shift();
      vs.shift();
    }
    firing = test(ts, vs, t);
    return firing;
  };
}

export const PEERS = {
  "seed: LSQ 60 s > 1 MB/s": () =>
    wrap(rangeRule(60_000, 0, (ts, vs) => lsqSlope(ts, vs, ts.length) > 1e6)),
  "deriv(x[30m]) > 50 kB/s": () =>
    wrap(rangeRule(1_800_000, SCRAPE_MS, (ts, vs) => lsqSlope(ts, vs, ts.length) > 50e3)),
  "predict_linear(x[1h], 4h) > 2 GB": () =>
    wrap(
      rangeRule(3_600_000, SCRAPE_MS, (ts, vs, t) => {
        const n = ts.length;
        if (n < 3) return false;
        const slope = lsqSlope(ts, vs, n) / 1000;
        let st = 0;
        let sv = 0;
        for (let i = 0; i < n; i++) {
          st += ts[i];
          sv += vs[i];
        }
        return sv / n + slope * (t - st / n + 4 * 3_600_000) > 2e9;
      }),
    ),
  "deployed rule": () => wrap(deployedRule({ scrapeMs: SCRAPE_MS })),
};

function wrap(rule) {
  return (t, v) => {
    const firing = rule(t, v);
    return { firing, condition: firing };
  };
}
