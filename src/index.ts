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
export { runPipeline } from "./pipeline/Pipeline.js";
export type { PipelineOptions, PipelineResult } from "./pipeline/Pipeline.js";
export { openWavSource } from "./pipeline/audio/openWavSource.js";
export { openPcmSource } from "./pipeline/audio/openPcmSource.js";
export { SileroVad } from "./pipeline/vad/SileroVad.js";
export { VadSegmenter, DEFAULT_VAD_CONFIG } from "./pipeline/vad/VadSegmenter.js";
export type { VadConfig } from "./pipeline/vad/VadSegmenter.js";
export { VadThread } from "./pipeline/vad/VadThread.js";
export type {
  PipelinedSegmenter,
  SegmentBatch,
  SegmentEvent,
  SpeechSegmenter,
} from "./pipeline/Recognizer.js";
export { createSinks } from "./pipeline/sinks/createSinks.js";
export { startTelemetry } from "./instrumentation/startTelemetry.js";
export type { Telemetry, TelemetryConfig } from "./instrumentation/startTelemetry.js";
export { DEFAULT_TELEMETRY_CONFIG } from "./instrumentation/startTelemetry.js";
export { OtelPipelineObserver } from "./instrumentation/OtelPipelineObserver.js";
export type { OtelPipelineObserverConfig } from "./instrumentation/OtelPipelineObserver.js";
export { startResourceSamplers } from "./instrumentation/samplers/startResourceSamplers.js";
export type {
  ResourceSamplers,
  ResourceSamplersConfig,
} from "./instrumentation/samplers/startResourceSamplers.js";
export {
  ResourceSamplerSet,
  SAMPLER_NAMES,
} from "./instrumentation/samplers/ResourceSamplerSet.js";
export type {
  ResourceSamplerSetConfig,
  SamplerName,
} from "./instrumentation/samplers/ResourceSamplerSet.js";
export { PolledGaugeSampler } from "./instrumentation/samplers/PolledGaugeSampler.js";
export type { GaugeSpec } from "./instrumentation/samplers/attachGauge.js";
export { GpuSampler } from "./instrumentation/samplers/GpuSampler.js";
export type { GpuSamplerConfig } from "./instrumentation/samplers/GpuSampler.js";
export { ProcessCpuSampler } from "./instrumentation/samplers/ProcessCpuSampler.js";
export { ProcessMemorySampler } from "./instrumentation/samplers/ProcessMemorySampler.js";
export { EventLoopDelaySampler } from "./instrumentation/samplers/EventLoopDelaySampler.js";
export { SystemCpuSampler } from "./instrumentation/samplers/SystemCpuSampler.js";
export { V8HeapSampler } from "./instrumentation/samplers/V8HeapSampler.js";
export { GcSampler } from "./instrumentation/samplers/GcSampler.js";
export {
  VoxtraceInstrumentation,
  DEFAULT_INSTRUMENTATION_CONFIG,
} from "./instrumentation/VoxtraceInstrumentation.js";
export type { VoxtraceInstrumentationConfig } from "./instrumentation/VoxtraceInstrumentation.js";
export {
  voxtraceResourceDetector,
  createVoxtraceResourceDetector,
  DEFAULT_RESOURCE_DETECTOR_CONFIG,
} from "./instrumentation/voxtraceResourceDetector.js";
export type { VoxtraceResourceDetectorConfig } from "./instrumentation/voxtraceResourceDetector.js";
export type { ResourceSampler, SamplerConfig } from "./instrumentation/samplers/ResourceSampler.js";
export * as semconv from "./semconv.js";
export { createAnalyzer, defaultEventsPath } from "./analysis/createAnalyzer.js";
export type { CreateAnalyzerOptions, VoxtraceAnalyzer } from "./analysis/createAnalyzer.js";
export { analyzeLog } from "./analysis/analyzeLog.js";
export type { AnalyzedLog } from "./analysis/analyzeLog.js";
export { replay } from "./analysis/replay.js";
export type { ReplayResult, RulesOverride } from "./analysis/replay.js";
export { DEFAULT_RULES, RULE_NAMES, applyRuleOverrides } from "./analysis/RulesConfig.js";
export type { RuleConfig, RuleName, RuleOverrides, RulesConfig } from "./analysis/RulesConfig.js";
export type { AnalyzerState } from "./analysis/AnalyzerState.js";
export type {
  AlertData,
  AlertEvent,
  AnalyzerEvent,
  ObservationEvent,
  RecordedEvent,
} from "./analysis/AnalyzerEvent.js";
export type { Quantiles, SessionSeries, Summary } from "./analysis/SessionView.js";
export { LeakTracker } from "./analysis/leak/LeakTracker.js";
export type { LeakVerdict } from "./analysis/leak/LeakVerdict.js";
export type { LeakTrackerConfig } from "./analysis/leak/LeakTrackerConfig.js";
