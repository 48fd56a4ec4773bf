// The PipelineObserver backed by OpenTelemetry: one trace per utterance (a root span
// from speech start to text delivered, with a child span per unit of stage work) and
// the stage, latency, throughput, queue and dropped-audio metrics. Instruments and
// attribute sets are made once here; the per-call path only records.
// Given no tracer or meter, it follows the global providers: the OpenTelemetry API hands
// out a no-op meter (not a proxy) before an SDK registers one, so the instruments are
// made again whenever the global provider changes, and an observer made before
// `sdk.start()`, or kept across an SDK restart, still records into the SDK in use.

import {
  context,
  metrics,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Counter,
  type Histogram,
  type Meter,
  type MeterProvider,
  type Span,
  type Tracer,
  type TracerProvider,
} from "@opentelemetry/api";
import type { PipelineObserver, WorkAttributes } from "../pipeline/PipelineObserver.js";
import type { Utterance } from "../pipeline/Utterance.js";
import { VERSION } from "../version.js";
import {
  ATTR_AUDIO_SECONDS,
  DURATION_BUCKETS_S,
  ATTR_EXECUTION_PROVIDER,
  ATTR_MODEL_NAME,
  ATTR_QUEUE,
  ATTR_REAL_TIME_FACTOR,
  ATTR_STAGE,
  ATTR_TOKEN_COUNT,
  ATTR_TRANSCRIPT,
  ATTR_UTTERANCE_DISCARDED,
  ATTR_UTTERANCE_INDEX,
  ATTR_UTTERANCE_LATENCY_MS,
  ATTR_UTTERANCE_START,
  INSTRUMENTATION_SCOPE,
  METRIC_AUDIO_DROPPED,
  METRIC_AUDIO_PROCESSED,
  METRIC_QUEUE_DEPTH,
  METRIC_REAL_TIME_FACTOR,
  METRIC_STAGE_DURATION,
  METRIC_UTTERANCE_LATENCY,
  METRIC_UTTERANCES,
  type Stage,
} from "../semconv.js";

export interface OtelPipelineObserverConfig {
  tracer?: Tracer;
  meter?: Meter;
  modelName?: string;
  executionProvider?: string;
  /** Put recognised text on utterance spans. Off by default: transcripts are private. */
  recordTranscripts?: boolean;
}

interface OpenUtterance {
  span: Span;
  context: Context;
}

interface Instruments {
  stageDuration: Histogram;
  latency: Histogram;
  realTimeFactor: Histogram;
  utterances: Counter;
  audioProcessed: Counter;
  audioDropped: Counter;
}

export class OtelPipelineObserver implements PipelineObserver {
  /** Set when the caller gave a tracer; otherwise the global provider's, kept current. */
  readonly #givenTracer: Tracer | undefined;
  readonly #givenMeter: Meter | undefined;
  #tracer: Tracer;
  #tracerProvider: TracerProvider | undefined;
  #instruments: Instruments;
  #meterProvider: MeterProvider | undefined;
  readonly #stageAttributes: Record<Stage, Attributes>;
  /** Depth and its attribute set per queue; the set is made once per queue name. */
  readonly #queueDepths = new Map<string, { depth: number; attributes: Attributes }>();
  readonly #open = new Map<number, OpenUtterance>();
  readonly #rootAttributes: Attributes;
  readonly #recordTranscripts: boolean;

  constructor(config: OtelPipelineObserverConfig = {}) {
    this.#givenTracer = config.tracer;
    this.#givenMeter = config.meter;
    this.#tracerProvider = config.tracer ? undefined : trace.getTracerProvider();
    this.#tracer = config.tracer ?? trace.getTracer(INSTRUMENTATION_SCOPE, VERSION);
    this.#meterProvider = config.meter ? undefined : metrics.getMeterProvider();
    this.#instruments = this.#createInstruments(
      config.meter ?? metrics.getMeter(INSTRUMENTATION_SCOPE, VERSION),
    );
    this.#recordTranscripts = config.recordTranscripts === true;
    this.#stageAttributes = {
      capture: { [ATTR_STAGE]: "capture" },
      vad: { [ATTR_STAGE]: "vad" },
      stt: { [ATTR_STAGE]: "stt" },
      inject: { [ATTR_STAGE]: "inject" },
    };
    this.#rootAttributes = {
      ...(config.modelName ? { [ATTR_MODEL_NAME]: config.modelName } : {}),
      ...(config.executionProvider ? { [ATTR_EXECUTION_PROVIDER]: config.executionProvider } : {}),
    };
  }

  #createInstruments(meter: Meter): Instruments {
    const instruments: Instruments = {
      stageDuration: meter.createHistogram(METRIC_STAGE_DURATION, {
        unit: "s",
        description: "Time spent in one unit of work of a pipeline stage",
        // Advice, not a view: a view would force these buckets on every reader, and the
        // analysis reader asks for exponential buckets for an exact-enough P95.
        advice: { explicitBucketBoundaries: DURATION_BUCKETS_S },
      }),
      latency: meter.createHistogram(METRIC_UTTERANCE_LATENCY, {
        unit: "s",
        description: "End of speech to text delivered",
        advice: { explicitBucketBoundaries: DURATION_BUCKETS_S },
      }),
      realTimeFactor: meter.createHistogram(METRIC_REAL_TIME_FACTOR, {
        unit: "1",
        description: "Processing time over audio duration, per utterance",
        advice: { explicitBucketBoundaries: [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2] },
      }),
      utterances: meter.createCounter(METRIC_UTTERANCES, {
        unit: "1",
        description: "Utterances delivered",
      }),
      audioProcessed: meter.createCounter(METRIC_AUDIO_PROCESSED, {
        unit: "s",
        description: "Audio read",
      }),
      audioDropped: meter.createCounter(METRIC_AUDIO_DROPPED, {
        unit: "s",
        description: "Live audio dropped because the pipeline fell behind",
      }),
    };
    // Present from the start at zero, so "no audio dropped" is a series, not a gap.
    instruments.audioDropped.add(0);
    meter
      .createObservableGauge(METRIC_QUEUE_DEPTH, {
        unit: "1",
        description: "Items waiting between stages",
      })
      .addCallback((result) => {
        for (const queue of this.#queueDepths.values())
          result.observe(queue.depth, queue.attributes);
      });
    return instruments;
  }

  /** The instruments to record with; one identity check a call when following the global. */
  #metrics(): Instruments {
    if (!this.#givenMeter) {
      const provider = metrics.getMeterProvider();
      if (provider !== this.#meterProvider) {
        this.#meterProvider = provider;
        this.#instruments = this.#createInstruments(
          provider.getMeter(INSTRUMENTATION_SCOPE, VERSION),
        );
      }
    }
    return this.#instruments;
  }

  #currentTracer(): Tracer {
    // The global tracer is a proxy that binds to the first SDK it sees; a new global
    // provider (after trace.disable() and another SDK) needs a new proxy.
    if (!this.#givenTracer) {
      const provider = trace.getTracerProvider();
      if (provider !== this.#tracerProvider) {
        this.#tracerProvider = provider;
        this.#tracer = provider.getTracer(INSTRUMENTATION_SCOPE, VERSION);
      }
    }
    return this.#tracer;
  }

  utteranceStarted(index: number, startSeconds: number): void {
    // A trace of its own, whatever span the caller happens to be in.
    const span = this.#currentTracer().startSpan("utterance", {
      root: true,
      attributes: {
        ...this.#rootAttributes,
        [ATTR_UTTERANCE_INDEX]: index,
        [ATTR_UTTERANCE_START]: startSeconds,
      },
    });
    this.#open.set(index, { span, context: trace.setSpan(context.active(), span) });
  }

  async work<T>(
    stage: Stage,
    name: string,
    utterance: number | undefined,
    attributes: WorkAttributes,
    fn: () => Promise<T>,
  ): Promise<T> {
    const parent = utterance === undefined ? undefined : this.#open.get(utterance);
    const span = parent
      ? this.#currentTracer().startSpan(name, { attributes }, parent.context)
      : undefined;
    const started = performance.now();
    try {
      return await fn();
    } catch (error) {
      if (span) markFailed(span, error);
      throw error;
    } finally {
      this.#metrics().stageDuration.record(
        (performance.now() - started) / 1000,
        this.#stageAttributes[stage],
      );
      span?.end();
    }
  }

  recordStage(
    stage: Stage,
    seconds: number,
    utterance?: number,
    span?: { name: string; startedAt: number },
  ): void {
    this.#metrics().stageDuration.record(seconds, this.#stageAttributes[stage]);
    const parent = utterance === undefined ? undefined : this.#open.get(utterance);
    if (!parent || !span) return;
    const startTime = performance.timeOrigin + span.startedAt;
    this.#currentTracer()
      .startSpan(span.name, { startTime }, parent.context)
      .end(startTime + seconds * 1000);
  }

  utteranceDelivered(utterance: Utterance, audioSeconds: number, processingSeconds: number): void {
    const rtf = audioSeconds > 0 ? processingSeconds / audioSeconds : 0;
    const instruments = this.#metrics();
    instruments.latency.record(utterance.latencyMs / 1000);
    instruments.realTimeFactor.record(rtf);
    instruments.utterances.add(1);
    const open = this.#open.get(utterance.index);
    if (!open) return;
    this.#open.delete(utterance.index);
    open.span.setAttributes({
      [ATTR_AUDIO_SECONDS]: audioSeconds,
      [ATTR_REAL_TIME_FACTOR]: rtf,
      [ATTR_TOKEN_COUNT]: utterance.tokens,
      [ATTR_UTTERANCE_LATENCY_MS]: utterance.latencyMs,
      ...(this.#recordTranscripts ? { [ATTR_TRANSCRIPT]: utterance.text } : {}),
    });
    open.span.end();
  }

  utteranceDiscarded(index: number, reason: string): void {
    const open = this.#open.get(index);
    if (!open) return;
    this.#open.delete(index);
    open.span.setAttribute(ATTR_UTTERANCE_DISCARDED, reason);
    open.span.end();
  }

  utteranceFailed(index: number, error: unknown): void {
    const open = this.#open.get(index);
    if (!open) return;
    this.#open.delete(index);
    markFailed(open.span, error);
    open.span.end();
  }

  audioProcessed(seconds: number): void {
    this.#metrics().audioProcessed.add(seconds);
  }

  audioDropped(seconds: number): void {
    this.#metrics().audioDropped.add(seconds);
  }

  queueDepth(queue: string, depth: number): void {
    const known = this.#queueDepths.get(queue);
    if (known) known.depth = depth;
    else this.#queueDepths.set(queue, { depth, attributes: { [ATTR_QUEUE]: queue } });
  }
}

function markFailed(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  else span.recordException(String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}
