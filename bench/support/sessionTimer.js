// Per-model breakdown for a benchmark: counts the calls and the CPU time spent inside
// every session's run, by wrapping the run method of the session classes given
// (onnxruntime's InferenceSession and our DirectSession) and naming each session by
// identity (unnamed sessions get `fallback`), plus any other methods passed in (e.g.
// Fbank.prototype.accept). unwrap() restores the originals.

import { cpuMs } from "./cpuTimer.js";

function wrap(target, method, account) {
  const original = target[method];
  target[method] = function (...args) {
    const entry = account(this);
    const started = cpuMs();
    const result = original.apply(this, args);
    entry.calls += 1;
    if (result && typeof result.then === "function") {
      return result.then((value) => {
        entry.ms += cpuMs() - started;
        return value;
      });
    }
    entry.ms += cpuMs() - started;
    return result;
  };
  return () => {
    target[method] = original;
  };
}

/**
 * @param classes session classes whose prototype run() is timed
 * @param sessions map of name -> session
 * @param fallback name for sessions not in the map
 * @param methods [name, prototype, method] triples timed the same way
 */
export function timeModels(classes, sessions, fallback, methods = []) {
  const stats = new Map();
  const entry = (name) => {
    if (!stats.has(name)) stats.set(name, { calls: 0, ms: 0 });
    return stats.get(name);
  };
  const byIdentity = new Map(Object.entries(sessions).map(([name, s]) => [s, name]));
  const undo = classes.map((c) =>
    wrap(c.prototype, "run", (s) => entry(byIdentity.get(s) ?? fallback)),
  );
  for (const [name, prototype, method] of methods)
    undo.push(wrap(prototype, method, () => entry(name)));
  return { stats, unwrap: () => undo.forEach((f) => f()) };
}
