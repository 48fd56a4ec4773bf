// The memory limit the kernel enforces on this process's cgroup (a container's or a
// systemd unit's), so a leak alert can say how long until it is reached. cgroup v2: the
// smallest `memory.max` on the way from this process's cgroup up to the root; v1: the memory
// controller's `memory.limit_in_bytes`. Unlimited, unreadable or unparsable: undefined.

import { readFileSync } from "node:fs";
import path from "node:path";

export interface CgroupPaths {
  /** Where cgroupfs is mounted. */
  root?: string;
  /** This process's cgroup membership (`/proc/self/cgroup`). */
  membership?: string;
}

/** v1 reports "no limit" as a huge page-aligned number; anything past this is no limit. */
const UNLIMITED_V1 = 2 ** 60;

export function readCgroupMemoryLimit(paths: CgroupPaths = {}): number | undefined {
  const root = paths.root ?? "/sys/fs/cgroup";
  let membership: string;
  try {
    membership = readFileSync(paths.membership ?? "/proc/self/cgroup", "utf8");
  } catch {
    return undefined;
  }
  for (const line of membership.split("\n")) {
    const [id, controllers, where] = splitMembership(line);
    if (where === undefined) continue;
    if (id === "0" && controllers === "") return smallestOnPath(root, where, "memory.max");
    if (controllers?.split(",").includes("memory")) {
      const limit = readBytes(path.join(root, "memory", where, "memory.limit_in_bytes"));
      return limit !== undefined && limit < UNLIMITED_V1 ? limit : undefined;
    }
  }
  return undefined;
}

function splitMembership(line: string): [string?, string?, string?] {
  const first = line.indexOf(":");
  const second = line.indexOf(":", first + 1);
  if (first < 0 || second < 0) return [];
  const where = line.slice(second + 1);
  // A path from the kernel is absolute and has no way up; anything else is not trusted.
  if (!where.startsWith("/") || where.split("/").includes("..")) return [];
  return [line.slice(0, first), line.slice(first + 1, second), where];
}

function smallestOnPath(root: string, where: string, file: string): number | undefined {
  let smallest: number | undefined;
  for (let dir = where; ; dir = path.posix.dirname(dir)) {
    const limit = readBytes(path.join(root, dir, file));
    if (limit !== undefined) smallest = Math.min(smallest ?? limit, limit);
    if (dir === "/") return smallest;
  }
}

/** A whole number of bytes, or undefined ("max", missing, garbage, out of range). */
function readBytes(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
  if (!/^\d{1,19}$/.test(text)) return undefined;
  const bytes = Number(text);
  return bytes > 0 && bytes <= Number.MAX_SAFE_INTEGER ? bytes : undefined;
}
