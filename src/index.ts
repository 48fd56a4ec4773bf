// voxtrace's public API: named exports only.

export { VoxtraceError, isVoxtraceError } from "./errors.js";
export type { VoxtraceErrorCode } from "./errors.js";
export type { PipelineObserver, WorkAttributes } from "./pipeline/PipelineObserver.js";
export { NOOP_OBSERVER } from "./pipeline/PipelineObserver.js";
export type { Utterance } from "./pipeline/Utterance.js";
export type { Sink } from "./pipeline/sinks/Sink.js";
export type { AudioSource } from "./pipeline/audio/AudioSource.js";
export { ZipformerModel } from "./pipeline/stt/ZipformerModel.js";
export type { ZipformerLoadOptions } from "./pipeline/stt/ZipformerModel.js";
export { TransducerStream } from "./pipeline/stt/TransducerStream.js";
export type { ChunkRunner } from "./pipeline/stt/TransducerStream.js";
export { locateModelFiles, verifyModelFiles } from "./pipeline/stt/ModelFiles.js";
export type { ModelFiles } from "./pipeline/stt/ModelFiles.js";
export { chooseExecutionProvider } from "./pipeline/stt/ExecutionProvider.js";
export type { ExecutionProvider, ProviderRequest } from "./pipeline/stt/ExecutionProvider.js";
export { Fbank } from "./pipeline/stt/Fbank.js";
export type { FbankOptions } from "./pipeline/stt/Fbank.js";
