// Entry point of the `voxtrace` command: parses argv and maps errors to exit codes.

export async function main(argv: string[]): Promise<number> {
  await Promise.resolve();
  process.stdout.write(`voxtrace: ${argv.join(" ")}\n`);
  return 0;
}
