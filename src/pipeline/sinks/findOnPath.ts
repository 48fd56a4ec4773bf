// Looks a program up on PATH, the way a shell would, without running it.

import { access, constants } from "node:fs/promises";
import path from "node:path";

export async function findOnPath(
  name: string,
  envPath = process.env.PATH ?? "",
): Promise<string | undefined> {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return undefined;
}
