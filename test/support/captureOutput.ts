// Runs `fn` with this process's stdout and stderr writes captured instead of printed, for
// tests that assert something prints nothing (or exactly one line).

export async function captureOutput<T>(
  fn: () => T | Promise<T>,
): Promise<{ result: T; printed: string[] }> {
  const printed: string[] = [];
  const stdout = process.stdout.write.bind(process.stdout);
  const stderr = process.stderr.write.bind(process.stderr);
  const capture = ((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture;
  process.stderr.write = capture;
  try {
    return { result: await fn(), printed };
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
}
