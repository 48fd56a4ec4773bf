// Says why live audio was dropped. Two different faults fill the capture queue: a
// pipeline slower than real time, or a source that delivers audio faster than real time
// (a recorder whose rate or format is not what voxtrace was told). The read rate tells
// them apart, and each calls for a different fix.

import type { PipelineResult } from "../Pipeline.js";

/** A source reading this much faster than the wall clock is not a live recorder. */
const FASTER_THAN_REAL_TIME = 1.25;
/** Start-up slack: a recorder may hand over a second it had buffered. */
const SLACK_SECONDS = 1;

export function droppedAudioWarning(
  result: Pick<PipelineResult, "droppedSeconds" | "audioSeconds" | "wallSeconds">,
): string {
  const { droppedSeconds, audioSeconds, wallSeconds } = result;
  const pace = `${audioSeconds.toFixed(1)} s of audio arrived in ${wallSeconds.toFixed(1)} s`;
  const cause =
    audioSeconds > wallSeconds * FASTER_THAN_REAL_TIME + SLACK_SECONDS
      ? `the audio source runs faster than real time (${pace}): check that the recorder's rate, format and channels match --rate, --format and --channels`
      : `the pipeline fell behind real time (${pace}): use a smaller model or a faster machine`;
  return `voxtrace: warning: dropped ${droppedSeconds.toFixed(2)} s of audio: ${cause}`;
}
