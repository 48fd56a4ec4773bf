import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sendControlCommand } from "../../src/daemon/ControlClient.js";
import { MAX_MESSAGE_BYTES, type ControlResponse } from "../../src/daemon/ControlProtocol.js";
import { ControlServer } from "../../src/daemon/ControlServer.js";
import { controlSocketPath } from "../../src/daemon/controlSocketPath.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-ctl-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let counter = 0;
const socketPath = (): string => path.join(tmp, `s${counter++}`, "control.sock");

const answerState = (): Promise<ControlResponse> => Promise.resolve({ ok: true, state: "paused" });

/** Sends raw bytes and collects everything the server writes until it closes or 1 s passes. */
function exchange(socket: string, payload: Buffer | string): Promise<string> {
  return new Promise((resolve) => {
    const client = net.connect(socket);
    let received = "";
    client.on("data", (data) => (received += data.toString()));
    client.on("error", () => resolve(received));
    client.on("close", () => resolve(received));
    client.write(payload);
    setTimeout(() => client.destroy(), 1000);
  });
}

describe("ControlServer", () => {
  it("creates its socket with mode 0600 in a private directory and removes it on close", async () => {
    const file = socketPath();
    const server = await ControlServer.listen(file, answerState);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(await sendControlCommand(file, "stop")).toEqual({ ok: true, state: "paused" });
    await server.close();
    await server.close();
    expect(() => statSync(file)).toThrow();
  });

  it("replaces a stale socket left by a daemon that died", async () => {
    const file = socketPath();
    // A SIGKILLed daemon leaves its socket file behind with nobody listening.
    const dead = spawn(process.execPath, [
      "-e",
      `require("node:net").createServer().listen(${JSON.stringify(file)}, () => console.log("up"))`,
    ]);
    mkdirSync(path.dirname(file), { recursive: true });
    await new Promise((resolve) => dead.stdout.once("data", resolve));
    dead.kill("SIGKILL");
    await new Promise((resolve) => dead.once("close", resolve));
    expect(statSync(file).isSocket()).toBe(true);
    const lines: string[] = [];
    const server = await ControlServer.listen(file, answerState, (line) => lines.push(line));
    expect(lines.join("\n")).toMatch(/replaced a stale control socket/);
    expect((await sendControlCommand(file, "stop")).ok).toBe(true);
    await server.close();
  });

  it("refuses to start a second daemon on a socket that answers", async () => {
    const file = socketPath();
    const first = await ControlServer.listen(file, answerState);
    await expect(ControlServer.listen(file, answerState)).rejects.toThrow(
      /another voxtrace daemon is listening on .*voxtrace ctl shutdown/,
    );
    expect((await sendControlCommand(file, "stop")).ok).toBe(true);
    await first.close();
  });

  it("refuses to replace a file that is not a socket", async () => {
    const file = socketPath();
    await ControlServer.listen(file, answerState).then((s) => s.close());
    writeFileSync(file, "precious");
    await expect(ControlServer.listen(file, answerState)).rejects.toThrow(/is not a socket/);
  });

  it("answers bad JSON and unknown commands with an error and keeps serving", async () => {
    const file = socketPath();
    const server = await ControlServer.listen(file, answerState);
    const answers = (
      await exchange(file, 'nonsense\n{"command":"explode"}\n{"command":"status"}\n')
    )
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as ControlResponse);
    expect(answers).toEqual([
      { ok: false, error: expect.stringMatching(/^not JSON/) as string },
      { ok: false, error: expect.stringMatching(/^bad request: expected/) as string },
      { ok: true, state: "paused" },
    ]);
    await server.close();
  });

  it("refuses an oversized message and closes the connection", async () => {
    const file = socketPath();
    const server = await ControlServer.listen(file, answerState);
    const answer = await exchange(file, Buffer.alloc(MAX_MESSAGE_BYTES + 10, 0x61));
    expect(JSON.parse(answer)).toEqual({
      ok: false,
      error: expect.stringMatching(/message too large/) as string,
    });
    expect((await sendControlCommand(file, "stop")).ok).toBe(true);
    await server.close();
  });
});

describe("sendControlCommand", () => {
  it("says no daemon runs when the socket is missing", async () => {
    await expect(sendControlCommand(path.join(tmp, "none.sock"), "status")).rejects.toThrow(
      /no voxtrace daemon at .*voxtrace listen/,
    );
  });

  it("gives up on a daemon that never answers", async () => {
    const file = path.join(tmp, "mute.sock");
    const held: net.Socket[] = [];
    const mute = net.createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => mute.listen(file, resolve));
    await expect(sendControlCommand(file, "status", 200)).rejects.toThrow(
      /did not answer within 0.2 s/,
    );
    held.forEach((socket) => socket.destroy());
    await new Promise((resolve) => mute.close(resolve));
  });
});

describe("controlSocketPath", () => {
  it("lives in XDG_RUNTIME_DIR when set, else a per-user directory in /tmp", () => {
    expect(controlSocketPath(undefined, { XDG_RUNTIME_DIR: "/run/user/1000" })).toBe(
      "/run/user/1000/voxtrace/control.sock",
    );
    expect(controlSocketPath(undefined, {})).toMatch(/voxtrace-\d+\/control\.sock$/);
  });

  it("refuses a path too long for a Unix socket", () => {
    expect(() => controlSocketPath(`/tmp/${"x".repeat(120)}`)).toThrow(/pass a shorter --socket/);
  });
});
