// Every metric name, attribute key and event name voxtrace emits, defined once.
// Semantic-convention names where OpenTelemetry has one; a `voxtrace.` prefix otherwise.

export const INSTRUMENTATION_SCOPE = "voxtrace";

// Our own instruments.
export const METRIC_STAGE_DURATION = "voxtrace.stage.duration";
export const METRIC_UTTERANCE_LATENCY = "voxtrace.utterance.latency";
export const METRIC_UTTERANCES = "voxtrace.utterances";
export const METRIC_AUDIO_PROCESSED = "voxtrace.audio.processed";
export const METRIC_REAL_TIME_FACTOR = "voxtrace.real_time_factor";
export const METRIC_QUEUE_DEPTH = "voxtrace.queue.depth";
export const METRIC_AUDIO_DROPPED = "voxtrace.audio.dropped";
export const METRIC_ALERTS_ACTIVE = "voxtrace.alerts.active";
export const METRIC_ALERTS_FIRED = "voxtrace.alerts.fired";
export const METRIC_TELEMETRY_EXPORT_FAILURES = "voxtrace.telemetry.export.failures";
export const METRIC_CAPTURE_RESTARTS = "voxtrace.capture.restarts";
/** V8 heap in use right after the latest major (mark-compact) collection: the cleanest JS leak signal. */
export const METRIC_HEAP_AFTER_GC = "voxtrace.memory.heap.after_gc";
/** Resident memory outside the V8 heap (RSS minus heap total): ONNX Runtime, addons, buffers. */
export const METRIC_NATIVE_MEMORY = "voxtrace.memory.native";
/** Memory of C++ objects bound to JS objects, ArrayBuffers included (process.memoryUsage().external). */
export const METRIC_EXTERNAL_MEMORY = "voxtrace.memory.external";
/** The memory limit of this process's cgroup (container, systemd unit); absent when there is none. */
export const METRIC_MEMORY_LIMIT = "voxtrace.memory.limit";

// Semantic-convention instruments.
export const METRIC_PROCESS_CPU_UTILIZATION = "process.cpu.utilization";
export const METRIC_PROCESS_MEMORY_USAGE = "process.memory.usage";
export const METRIC_V8_HEAP_USED = "v8js.memory.heap.used";
export const METRIC_V8_GC_DURATION = "v8js.gc.duration";
export const METRIC_EVENT_LOOP_DELAY = "nodejs.eventloop.delay.p99";
export const METRIC_SYSTEM_CPU_UTILIZATION = "system.cpu.utilization";
export const METRIC_GPU_MEMORY_USAGE = "hw.gpu.memory.usage";
export const METRIC_GPU_MEMORY_LIMIT = "hw.gpu.memory.limit";
export const METRIC_GPU_UTILIZATION = "hw.gpu.utilization";
export const METRIC_PROCESS_GPU_MEMORY_USAGE = "process.gpu.memory.usage";

// Attribute keys.
export const ATTR_STAGE = "voxtrace.stage";
export const ATTR_ALERT_RULE = "voxtrace.alert.rule";
export const ATTR_UTTERANCE_INDEX = "voxtrace.utterance.index";
export const ATTR_AUDIO_SECONDS = "voxtrace.audio.seconds";
export const ATTR_REAL_TIME_FACTOR = "voxtrace.real_time_factor";
export const ATTR_TOKEN_COUNT = "voxtrace.stt.tokens";
export const ATTR_CHUNK_INDEX = "voxtrace.stt.chunk.index";
export const ATTR_MODEL_NAME = "voxtrace.model.name";
export const ATTR_EXECUTION_PROVIDER = "voxtrace.execution_provider";
export const ATTR_SESSION_ID = "voxtrace.session.id";
export const ATTR_TRANSCRIPT = "voxtrace.transcript";
export const ATTR_QUEUE = "voxtrace.queue";
export const ATTR_UTTERANCE_START = "voxtrace.utterance.start";
export const ATTR_UTTERANCE_LATENCY_MS = "voxtrace.utterance.latency_ms";
export const ATTR_UTTERANCE_DISCARDED = "voxtrace.utterance.discarded";
export const ATTR_HW_ID = "hw.id";
export const ATTR_HW_NAME = "hw.name";
export const ATTR_V8_GC_TYPE = "v8js.gc.type";

/** Pipeline stages, as they appear in `voxtrace.stage`. */
export const STAGES = ["capture", "vad", "stt", "inject"] as const;
export type Stage = (typeof STAGES)[number];

// Event names (Logs API `eventName`).
export const EVENT_ALERT_FIRED = "voxtrace.alert.fired";
export const EVENT_ALERT_RESOLVED = "voxtrace.alert.resolved";

/** Explicit histogram buckets (seconds) from 1 ms to 10 s, kept for Prometheus. */
export const DURATION_BUCKETS_S = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 2.5, 5, 10,
];

// Resource attributes from voxtraceResourceDetector (host and GPU inventory).
export const ATTR_HOST_ARCH = "host.arch";
export const ATTR_HOST_CPU_MODEL_NAME = "host.cpu.model.name";
export const ATTR_HOST_CPU_VENDOR_ID = "host.cpu.vendor.id";
export const ATTR_HOST_CPU_FAMILY = "host.cpu.family";
export const ATTR_HOST_CPU_MODEL_ID = "host.cpu.model.id";
/** Logical processors (hardware threads). */
export const ATTR_HOST_CPU_LOGICAL_CORES = "voxtrace.host.cpu.logical_cores";
export const ATTR_HOST_CPU_PHYSICAL_CORES = "voxtrace.host.cpu.physical_cores";
/** Physical memory, bytes. */
export const ATTR_HOST_MEMORY_TOTAL = "voxtrace.host.memory.total";
export const ATTR_HOST_GPU_COUNT = "voxtrace.host.gpu.count";
/** One model name per GPU, in the order the system lists them. */
export const ATTR_HOST_GPU_MODELS = "voxtrace.host.gpu.models";
/** GPU memory per GPU in bytes, in the same order; only when every GPU's size is known. */
export const ATTR_HOST_GPU_MEMORY_SIZES = "voxtrace.host.gpu.memory.sizes";
export const ATTR_HOST_GPU_DRIVER_VERSION = "voxtrace.host.gpu.driver_version";
