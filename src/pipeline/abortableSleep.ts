// A timer that an AbortSignal cuts short: waits in the pipeline never outlive a stop.

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  // An "abort" event fires once; a signal aborted before the call would never end the wait.
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
