// The cgroup memory limit comes from files outside our control: every odd shape of them
// gives a number we can trust or nothing.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { readCgroupMemoryLimit } from "../../src/instrumentation/samplers/cgroupMemoryLimit.js";
import { ProcessMemorySampler } from "../../src/instrumentation/samplers/ProcessMemorySampler.js";
import { inMemoryMeter } from "../support/inMemoryTelemetry.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-cgroup-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

/** A fake cgroupfs: files relative to its root, and this process's membership. */
function fakeCgroup(files: Record<string, string>, membership: string) {
  const root = path.join(tmp, `root-${++n}`);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  const membershipFile = path.join(tmp, `membership-${n}`);
  writeFileSync(membershipFile, membership);
  return { root, membership: membershipFile };
}

describe("readCgroupMemoryLimit", () => {
  it("takes the smallest memory.max from the process's cgroup up to the root (v2)", () => {
    const cgroup = fakeCgroup(
      {
        "system.slice/memory.max": "2147483648\n",
        "system.slice/voxtrace.service/memory.max": "max\n",
        "memory.max": "max\n",
      },
      "0::/system.slice/voxtrace.service\n",
    );
    expect(readCgroupMemoryLimit(cgroup)).toBe(2147483648);
  });

  it("reads v1's memory.limit_in_bytes and takes its 'no limit' number as none", () => {
    const limited = fakeCgroup(
      { "memory/docker/abc/memory.limit_in_bytes": "536870912\n" },
      "12:cpu,cpuacct:/docker/abc\n11:memory:/docker/abc\n",
    );
    expect(readCgroupMemoryLimit(limited)).toBe(536870912);
    const unlimited = fakeCgroup(
      { "memory/memory.limit_in_bytes": "9223372036854771712\n" },
      "4:memory:/\n",
    );
    expect(readCgroupMemoryLimit(unlimited)).toBeUndefined();
  });

  it("gives nothing for no limit, missing files, a path that climbs out, or garbage", () => {
    expect(readCgroupMemoryLimit(fakeCgroup({ "memory.max": "max" }, "0::/\n"))).toBeUndefined();
    expect(readCgroupMemoryLimit(fakeCgroup({}, "0::/gone\n"))).toBeUndefined();
    expect(
      readCgroupMemoryLimit(fakeCgroup({ "memory.max": "1000" }, "0::/../../etc\n")),
    ).toBeUndefined();
    expect(readCgroupMemoryLimit({ membership: path.join(tmp, "none") })).toBeUndefined();
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (limit, line) => {
        const got = readCgroupMemoryLimit(fakeCgroup({ "a/memory.max": limit }, line));
        if (got !== undefined) {
          expect(Number.isSafeInteger(got) && got > 0).toBe(true);
          expect(limit.trim()).toBe(String(got));
        }
      }),
      { numRuns: 100, seed: 20261203 },
    );
  });

  it("is reported as voxtrace.memory.limit by the memory sampler where there is one", async () => {
    const withLimit = fakeCgroup({ "app/memory.max": "3000000000" }, "0::/app\n");
    const { meter, collect, shutdown } = inMemoryMeter();
    const sampler = new ProcessMemorySampler({ cgroup: withLimit });
    await sampler.start(meter);
    expect((await collect()).value("voxtrace.memory.limit")).toBe(3_000_000_000);
    sampler.stop();
    await shutdown();

    const none = fakeCgroup({ "memory.max": "max" }, "0::/\n");
    const second = inMemoryMeter();
    const quiet = new ProcessMemorySampler({ cgroup: none });
    await quiet.start(second.meter);
    const seen = await second.collect();
    expect(seen.value("voxtrace.memory.limit")).toBeUndefined();
    expect(seen.value("process.memory.usage")).toBeGreaterThan(0);
    quiet.stop();
    await second.shutdown();
  });
});
