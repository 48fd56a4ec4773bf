// voxtrace's public API: named exports only.

export { VoxtraceError, isVoxtraceError } from "./errors.js";
export type { VoxtraceErrorCode } from "./errors.js";
export type { PipelineObserver, WorkAttributes } from "./pipeline/PipelineObserver.js";
export { NOOP_OBSERVER } from "./pipeline/PipelineObserver.js";
export type { Utterance } from "./pipeline/Utterance.js";
export type { Sink } from "./pipeline/sinks/Sink.js";
export type { AudioSource } from "./pipeline/audio/AudioSource.js";
