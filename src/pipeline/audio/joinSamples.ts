// One array holding the given runs of samples one after another.

/** The parts joined in order into a new array (`length`: their total, when known). */
export function joinSamples(
  parts: readonly Float32Array[],
  length = parts.reduce((n, part) => n + part.length, 0),
): Float32Array {
  const samples = new Float32Array(length);
  let at = 0;
  for (const part of parts) {
    samples.set(part, at);
    at += part.length;
  }
  return samples;
}
