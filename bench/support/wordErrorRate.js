// Word error rate for benchmarks run as plain JavaScript on dist/: the same rule as
// test/helpers/wer.ts (lower-cased, punctuation stripped, word-level Levenshtein over
// the reference length), kept here because a .ts helper cannot be imported by node.

function words(text) {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'\s]/gu, " ")
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

/** Word edits needed to turn `hypothesis` into `reference`, and the reference's length. */
export function wordErrors(reference, hypothesis) {
  const ref = words(reference);
  const hyp = words(hypothesis);
  let previous = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const current = [i];
    for (let j = 1; j <= hyp.length; j++) {
      const substitution = previous[j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, previous[j] + 1, current[j - 1] + 1));
    }
    previous = current;
  }
  return { errors: previous[hyp.length], words: ref.length };
}
