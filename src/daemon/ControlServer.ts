// The daemon's side of the control socket: a Unix socket only its user can open
// (mode 0600), JSON lines in and out. A socket file left by a dead daemon is replaced;
// one that still answers belongs to a running daemon, and this one refuses to start.

import { chmod, lstat, mkdir, unlink } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { VoxtraceError, isVoxtraceError } from "../errors.js";
import { checkSocketDirectory } from "./checkSocketDirectory.js";
import {
  LineSplitter,
  parseControlRequest,
  type ControlRequest,
  type ControlResponse,
} from "./ControlProtocol.js";

export type ControlHandler = (request: ControlRequest) => Promise<ControlResponse>;

/** More clients than this at once are turned away: a control socket needs a few. */
const MAX_CONNECTIONS = 16;
/** A client that says nothing for this long is disconnected. */
const IDLE_TIMEOUT_MS = 30_000;

export class ControlServer {
  readonly path: string;
  readonly #server: net.Server;
  #closed: Promise<void> | undefined;

  private constructor(socketPath: string, server: net.Server) {
    this.path = socketPath;
    this.#server = server;
  }

  static async listen(
    socketPath: string,
    handler: ControlHandler,
    info: (line: string) => void = () => {},
    ownerUid?: number,
  ): Promise<ControlServer> {
    await mkdir(path.dirname(socketPath), { recursive: true, mode: 0o700 });
    // Checked after mkdir: a folder that already existed is whoever made it first.
    checkSocketDirectory(path.dirname(socketPath), ownerUid);
    if ((await probeSocket(socketPath)) === "stale") {
      await unlink(socketPath);
      info(
        `voxtrace: replaced a stale control socket left by a daemon that is gone: ${socketPath}`,
      );
    }
    const server = net.createServer((socket) => serve(socket, handler));
    server.maxConnections = MAX_CONNECTIONS;
    // The socket file is created by bind(): a umask makes it 0600 from its first moment.
    const umask = process.umask(0o177);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(socketPath, () => {
          server.off("error", reject);
          resolve();
        });
      });
    } catch (error) {
      throw new VoxtraceError(
        "unavailable",
        `cannot listen on control socket ${socketPath}: ${(error as Error).message}`,
        { cause: error },
      );
    } finally {
      process.umask(umask);
    }
    await chmod(socketPath, 0o600);
    return new ControlServer(socketPath, server);
  }

  /** Stops accepting clients and removes the socket file. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
    });
    return this.#closed;
  }
}

/**
 * What is at `socketPath`: nothing, a socket nobody answers on (stale), or an answering
 * daemon (throws). Anything else there is not ours to remove (throws).
 */
async function probeSocket(socketPath: string): Promise<"absent" | "stale"> {
  const stats = await lstat(socketPath).catch(() => undefined);
  if (!stats) return "absent";
  if (!stats.isSocket()) {
    throw new VoxtraceError(
      "usage",
      `${socketPath} exists and is not a socket: remove it or pass another --socket PATH`,
    );
  }
  const answered = await new Promise<boolean>((resolve) => {
    const probe = net.connect(socketPath);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
  if (answered) {
    throw new VoxtraceError(
      "unavailable",
      `another voxtrace daemon is listening on ${socketPath}: stop it with 'voxtrace ctl shutdown', or pass --socket PATH to run a second one`,
    );
  }
  return "stale";
}

function serve(socket: net.Socket, handler: ControlHandler): void {
  const splitter = new LineSplitter();
  let queue = Promise.resolve();
  socket.setTimeout(IDLE_TIMEOUT_MS, () => socket.destroy());
  socket.on("error", () => socket.destroy());
  socket.on("data", (data: Buffer) => {
    let lines: string[];
    try {
      lines = splitter.push(data);
    } catch (error) {
      socket.end(answerLine({ ok: false, error: (error as Error).message }));
      socket.pause();
      return;
    }
    for (const line of lines) {
      if (line.trim() === "") continue;
      // One answer per request, in order, even when a handler takes a while.
      queue = queue.then(async () => {
        const response = await answer(line, handler);
        if (!socket.destroyed) socket.write(answerLine(response));
      });
    }
  });
}

async function answer(line: string, handler: ControlHandler): Promise<ControlResponse> {
  try {
    return await handler(parseControlRequest(line));
  } catch (error) {
    const message = isVoxtraceError(error)
      ? error.message
      : `internal error: ${(error as Error).message}`;
    return { ok: false, error: message };
  }
}

function answerLine(response: ControlResponse): string {
  return `${JSON.stringify(response)}\n`;
}
