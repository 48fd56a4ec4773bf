// A full (major, mark-compact) garbage collection on demand, without --expose-gc on the
// command line: the flag set at run time exposes `gc` to contexts created afterwards.

import { setTimeout as sleep } from "node:timers/promises";
import v8 from "node:v8";
import vm from "node:vm";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

/** Runs a major GC, then waits until its performance entry has reached observers. */
export async function forceGc(): Promise<void> {
  gc();
  // GC entries are queued and delivered on a later turn of the event loop.
  await sleep(20);
}
