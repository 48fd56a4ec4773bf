// Assembles `voxtrace listen`: the capture command, the control socket, one
// TranscriberSession and the DictationDaemon, with graceful shutdown on SIGINT,
// SIGTERM or `ctl shutdown`. Cheap checks (recorder, socket) come before the model loads.

import type { RawPcmFormat } from "../pipeline/audio/openPcmSource.js";
import { resolveCaptureCommand } from "../pipeline/capture/CaptureCommand.js";
import { createSinks, type SinkOptions } from "../pipeline/sinks/createSinks.js";
import type { ControlRequest, ControlResponse } from "./ControlProtocol.js";
import { ControlServer } from "./ControlServer.js";
import { DeliveryTally } from "./DeliveryTally.js";
import { DictationDaemon } from "./DictationDaemon.js";
import { TranscriberSession, type SessionConfig } from "../session/TranscriberSession.js";

export interface DaemonConfig extends SessionConfig {
  sinks: SinkOptions;
  /** A shell command writing raw PCM to stdout; default: the first recorder on PATH. */
  inputCommand: string | undefined;
  pcm: RawPcmFormat;
  socketPath: string;
  startPaused: boolean;
  captureStallMs: number;
}

export async function runDaemon(config: DaemonConfig): Promise<void> {
  const stderr = config.stderr ?? process.stderr;
  const command = await resolveCaptureCommand(config.inputCommand, config.pcm);
  let daemon: DictationDaemon | undefined;
  let stopRequested = false;
  const handle = (request: ControlRequest): Promise<ControlResponse> =>
    daemon
      ? daemon.handle(request)
      : Promise.resolve({ ok: false, error: "the daemon is still starting: try again shortly" });
  const server = await ControlServer.listen(config.socketPath, handle, (line) =>
    stderr.write(`${line}\n`),
  );
  let signals = 0;
  const onSignal = (): void => {
    // A second signal means the graceful stop is not wanted (or is stuck): leave now.
    // The event log loses at most its last second, which fsync had not reached.
    if (++signals > 1) {
      stderr.write("voxtrace: second signal: exiting without waiting\n");
      process.exit(130);
    }
    if (daemon) daemon.shutdown();
    else stopRequested = true;
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  let session: TranscriberSession | undefined;
  try {
    const tally = new DeliveryTally();
    session = await TranscriberSession.open({ ...config, liveInput: true }, [
      ...createSinks(config.sinks),
      tally,
    ]);
    daemon = new DictationDaemon({
      session,
      command,
      tally,
      startPaused: config.startPaused,
      captureStallMs: config.captureStallMs,
      stderr,
    });
    if (stopRequested) daemon.shutdown();
    stderr.write(
      `voxtrace: listening: control socket ${server.path}, capture "${command.description}" (${command.format} ${command.rate} Hz ${command.channels} ch), ${daemon.state}\n`,
    );
    await daemon.run();
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await server.close();
    const status = daemon?.status();
    if (status) {
      stderr.write(
        `voxtrace: ${status.utterances} utterance(s) in ${status.uptimeSeconds.toFixed(0)} s\n`,
      );
    }
    await session?.close(stopRequested || daemon?.state === "stopping" ? "shutdown" : "failed");
  }
}
