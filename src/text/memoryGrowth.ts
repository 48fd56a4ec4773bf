// The session summary's memory growth in words, as `voxtrace analyze` and the HTML report
// both show it: the leak rule's slope, or why there is none (a dash read as "no growth").

/** `bytesPerSecond` as "0.123 MB/s", or the words for a session the leak rule did not judge. */
export function memoryGrowth(bytesPerSecond: number | null): string {
  return bytesPerSecond === null
    ? "not judged (too few samples for the leak rule)"
    : `${(bytesPerSecond / 1e6).toFixed(3)} MB/s`;
}
