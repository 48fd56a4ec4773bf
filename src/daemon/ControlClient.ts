// The client side of the control socket, used by `voxtrace ctl`: sends one request and
// waits for its answer, turning every way of not reaching a daemon into a clear error.

import net from "node:net";
import { VoxtraceError } from "../errors.js";
import {
  LineSplitter,
  parseControlResponse,
  type ControlCommand,
  type ControlResponse,
} from "./ControlProtocol.js";

export async function sendControlCommand(
  socketPath: string,
  command: ControlCommand,
  timeoutMs = 5000,
): Promise<ControlResponse> {
  return new Promise<ControlResponse>((resolve, reject) => {
    const socket = net.connect(socketPath);
    const splitter = new LineSplitter();
    const fail = (error: VoxtraceError): void => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () =>
      fail(
        new VoxtraceError(
          "unavailable",
          `the daemon on ${socketPath} did not answer within ${timeoutMs / 1000} s: it may be busy or hung; check its log`,
        ),
      ),
    );
    socket.once("connect", () => socket.write(`${JSON.stringify({ command })}\n`));
    socket.on("error", (error: NodeJS.ErrnoException) => fail(unreachable(socketPath, error)));
    socket.on("data", (data: Buffer) => {
      let line: string | undefined;
      try {
        line = splitter.push(data)[0];
      } catch (error) {
        fail(error as VoxtraceError);
        return;
      }
      if (line === undefined) return;
      socket.end();
      try {
        resolve(parseControlResponse(line, command, socketPath));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.once("end", () =>
      fail(
        new VoxtraceError(
          "unavailable",
          `the daemon on ${socketPath} closed the connection without answering`,
        ),
      ),
    );
  });
}

function unreachable(socketPath: string, error: NodeJS.ErrnoException): VoxtraceError {
  switch (error.code) {
    case "ENOENT":
      return new VoxtraceError(
        "unavailable",
        `no voxtrace daemon at ${socketPath}: start one with 'voxtrace listen', or pass the --socket PATH it uses`,
      );
    case "ECONNREFUSED":
      return new VoxtraceError(
        "unavailable",
        `no voxtrace daemon answers on ${socketPath}: the socket is left from one that stopped; start 'voxtrace listen' again`,
      );
    case "EACCES":
      return new VoxtraceError(
        "unavailable",
        `not allowed to open ${socketPath}: the daemon belongs to another user`,
      );
    default:
      return new VoxtraceError(
        "unavailable",
        `cannot reach the daemon on ${socketPath}: ${error.message}`,
      );
  }
}
