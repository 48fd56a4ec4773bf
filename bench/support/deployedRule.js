// The deployed Prometheus leak rule (deploy/prometheus/rules/voxtrace.rules.yml,
// VoxtraceMemoryLeak and the recording rules it reads) on one memory series, evaluated as
// Prometheus 2.x does: a scrape every `scrapeMs`; at each evaluation the first recording
// rule stores the lowest scrape of the last 10 minutes (range selectors include both
// ends), then the second reads that recorded floor as it was 0, 5, 10, 15, 20 and 30
// minutes ago (the latest stored at or before that moment, within the 5-minute lookback)
// and the alert applies `for` and `keep_firing_for` to it. The rule judges every memory
// series alike (RSS, native, heap after GC, GPU), and only which one names the alert
// differs. test/bench/deployedRule.test.js checks this against promtool.

const MIN = 60_000;
/** min_over_time's window in the recording rule. */
const FLOOR_MS = 10 * MIN;
/** Prometheus's lookback for an instant selector. */
const LOOKBACK_MS = 5 * MIN;
/**
 * The rule's settings, as voxtrace.rules.yml writes them (test/bench/deployedRule.test.js
 * checks that it does). Staircases: floors `gapMs` apart, `steps` steps, rising by more
 * than `allowance` bytes; no step under `likeShare` of the whole climb.
 */
export const DEPLOYED_RULE = {
  staircases: [
    { gapMs: 5 * MIN, steps: 3, allowance: 120e6 },
    { gapMs: 10 * MIN, steps: 3, allowance: 80e6 },
  ],
  likeShare: 0.2,
  forMs: 2 * MIN,
  keepFiringMs: 10 * MIN,
};
const { staircases: STAIRCASES, likeShare: LIKE_SHARE } = DEPLOYED_RULE;
const { forMs: FOR_MS, keepFiringMs: KEEP_FIRING_MS } = DEPLOYED_RULE;
/** Oldest recorded floor any staircase reads. */
const OLDEST_MS = Math.max(...STAIRCASES.map((s) => s.gapMs * s.steps)) + LOOKBACK_MS;

/**
 * A detector fed one sample at a time, `(tMs, bytes) => firing`. Samples closer than a
 * scrape apart are skipped, as a scrape would; the rule is evaluated every `evalMs`, by
 * default at every scrape (deploy/prometheus/prometheus.yml evaluates as often as it
 * scrapes; evaluated once a minute, the rule fired later and less often).
 */
export function deployedRule({ scrapeMs = 15_000, evalMs = scrapeMs } = {}) {
  const scrapes = []; // [t, bytes] of the last FLOOR_MS
  const floors = []; // [t, recorded floor] of the last OLDEST_MS
  let nextScrape = -Infinity;
  let nextEval = -Infinity;
  let activeSince; // the condition has held since (pending, then firing)
  let firing = false;
  let keepSince; // firing, condition false since

  /** The recorded floor as an instant selector `offset agoMs` reads it at `t`. */
  const floorAgo = (t, agoMs) => {
    const at = t - agoMs;
    for (let i = floors.length - 1; i >= 0; i--) {
      const [ft, value] = floors[i];
      if (ft <= at) return at - ft <= LOOKBACK_MS ? value : undefined;
    }
    return undefined;
  };

  const staircase = (t, { gapMs, steps, allowance }) => {
    const f = [];
    for (let k = 0; k <= steps; k++) {
      const value = floorAgo(t, k * gapMs);
      if (value === undefined) return false;
      f.push(value);
    }
    const climb = f[0] - f[steps];
    if (!(climb > allowance)) return false;
    for (let k = 0; k < steps; k++) if (!(f[k] - f[k + 1] > LIKE_SHARE * climb)) return false;
    return true;
  };

  const evaluate = (t) => {
    let low = Infinity;
    for (const [, bytes] of scrapes) low = Math.min(low, bytes);
    floors.push([t, low]);
    while (floors[0][0] < t - OLDEST_MS) floors.shift();
    const condition = STAIRCASES.some((s) => staircase(t, s));
    if (condition) {
      activeSince ??= t;
      keepSince = undefined;
      if (t - activeSince >= FOR_MS) firing = true;
    } else if (firing) {
      keepSince ??= t;
      if (t - keepSince >= KEEP_FIRING_MS) {
        firing = false;
        activeSince = keepSince = undefined;
      }
    } else {
      activeSince = undefined;
    }
  };

  return (t, bytes) => {
    if (t < nextScrape) return firing;
    // A scrape every scrapeMs: the sampling jitters, so take the first sample a little early.
    nextScrape = t + scrapeMs - 1000;
    scrapes.push([t, bytes]);
    while (scrapes[0][0] < t - FLOOR_MS) scrapes.shift();
    if (t >= nextEval) {
      nextEval = t + evalMs - 1000;
      evaluate(t);
    }
    return firing;
  };
}
