import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ControlServer } from "../../src/daemon/ControlServer.js";
import { checkSocketDirectory } from "../../src/daemon/checkSocketDirectory.js";
import { runCli } from "../support/runCli.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-sockdir-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const me = process.getuid!();

function folder(name: string, mode: number): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir);
  chmodSync(dir, mode);
  return dir;
}

describe("checkSocketDirectory", () => {
  it("accepts a private folder of ours and one that does not exist yet", () => {
    expect(() => checkSocketDirectory(folder("private", 0o700), me)).not.toThrow();
    expect(() => checkSocketDirectory(path.join(tmp, "absent"), me)).not.toThrow();
  });

  it("refuses a folder anyone can write, as one another user made first would be", () => {
    const dir = folder("open", 0o777);
    expect(() => checkSocketDirectory(dir, me)).toThrow(
      /folder .*open is writable by other users \(mode 0777\).*only you can write/,
    );
    expect(() => checkSocketDirectory(folder("group", 0o770), me)).toThrow(/by its group/);
  });

  it("refuses a folder owned by another user", () => {
    expect(() => checkSocketDirectory(folder("theirs", 0o700), me + 1)).toThrow(
      new RegExp(`belongs to uid ${me}, not to you \\(uid ${me + 1}\\)`),
    );
  });

  it("refuses a symbolic link, even to a private folder", () => {
    const link = path.join(tmp, "link");
    symlinkSync(folder("target", 0o700), link);
    expect(() => checkSocketDirectory(link, me)).toThrow(/is a symbolic link/);
  });

  it("makes the control server refuse a folder owned by someone else before binding", async () => {
    const socket = path.join(folder("server", 0o700), "control.sock");
    await expect(
      ControlServer.listen(
        socket,
        () => Promise.resolve({ ok: true, state: "paused" }),
        () => {},
        me + 1,
      ),
    ).rejects.toThrow(/belongs to uid/);
  });
});

describe("a world-writable control socket folder", () => {
  it("makes listen and ctl exit 2 with one line naming the folder", async () => {
    const dir = folder("cli", 0o777);
    const socket = path.join(dir, "control.sock");
    for (const args of [
      ["listen", "--socket", socket, "--input-command", "true"],
      ["ctl", "status", "--socket", socket],
    ]) {
      const result = await runCli(args, { timeoutMs: 30_000 });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        new RegExp(`^voxtrace: control socket folder ${dir} is writable by other users[^\\n]*\\n$`),
      );
    }
  }, 60_000);

  it("makes the default /tmp folder one another user made first refuse without XDG_RUNTIME_DIR", async () => {
    // TMPDIR moves the default folder into our scratch space, where we pre-create it open.
    const fakeTmp = folder("faketmp", 0o700);
    const dir = folder(path.join("faketmp", `voxtrace-${me}`), 0o777);
    const result = await runCli(["ctl", "status"], {
      env: { XDG_RUNTIME_DIR: undefined, TMPDIR: fakeTmp },
      timeoutMs: 30_000,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`control socket folder ${dir} is writable by other users`);
  }, 60_000);
});
