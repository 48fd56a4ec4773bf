// voxtrace's resource samplers as an OpenTelemetry Instrumentation, for a user's own
// NodeSDK: `new NodeSDK({ instrumentations: [new VoxtraceInstrumentation()] })`. It
// patches no module; enabling it starts the samplers on the meter of whichever provider
// the SDK hands it (the global one until then), disabling it stops them.

import {
  diag,
  metrics,
  type Meter,
  type MeterProvider,
  type TracerProvider,
} from "@opentelemetry/api";
import type { Instrumentation, InstrumentationConfig } from "@opentelemetry/instrumentation";
import { INSTRUMENTATION_SCOPE } from "../semconv.js";
import { VERSION } from "../version.js";
import { DEFAULT_SAMPLER_INTERVAL_MS } from "./samplers/ResourceSampler.js";
import {
  ResourceSamplerSet,
  SAMPLER_NAMES,
  type SamplerName,
} from "./samplers/ResourceSamplerSet.js";

export interface VoxtraceInstrumentationConfig extends InstrumentationConfig {
  /** Which resource samplers run: cpu, memory, heap, gc, eventLoop, gpu. */
  samplers?: readonly SamplerName[];
  /** How often the CPU and event-loop readings are refreshed, in ms. */
  intervalMs?: number;
  /** How often nvidia-smi runs, in ms; each run costs tens of ms of CPU. */
  gpuIntervalMs?: number;
  /** The nvidia-smi to run: a name looked up on PATH or a path. */
  nvidiaSmiPath?: string;
  /** Where the one-time "no GPU metrics" line goes; default diag.debug (a library stays quiet). */
  info?: (line: string) => void;
}

export const DEFAULT_INSTRUMENTATION_CONFIG: Readonly<Required<VoxtraceInstrumentationConfig>> = {
  enabled: true,
  samplers: SAMPLER_NAMES,
  intervalMs: DEFAULT_SAMPLER_INTERVAL_MS,
  gpuIntervalMs: 5000,
  nvidiaSmiPath: "nvidia-smi",
  info: (line) => diag.debug(line),
};

export class VoxtraceInstrumentation implements Instrumentation<VoxtraceInstrumentationConfig> {
  readonly instrumentationName = INSTRUMENTATION_SCOPE;
  readonly instrumentationVersion = VERSION;
  #config: Required<VoxtraceInstrumentationConfig>;
  #meter: Meter | undefined;
  #samplers: ResourceSamplerSet | undefined;
  #started: Promise<void> = Promise.resolve();

  constructor(config: VoxtraceInstrumentationConfig = {}) {
    this.#config = { ...DEFAULT_INSTRUMENTATION_CONFIG, ...config };
    // Enabled from construction, as OpenTelemetry instrumentations are; NodeSDK calls
    // enable() itself only for one constructed with enabled: false.
    if (this.#config.enabled) this.enable();
  }

  /** Whether the GPU series exist (nvidia-smi answered when the samplers last started). */
  get gpuAvailable(): boolean {
    return this.#samplers?.gpuAvailable ?? false;
  }

  enable(): void {
    if (this.#samplers) return;
    const config = this.#config;
    const samplers = new ResourceSamplerSet({
      intervalMs: config.intervalMs,
      samplers: config.samplers,
      gpu: {
        intervalMs: config.gpuIntervalMs,
        nvidiaSmiPath: config.nvidiaSmiPath,
        // A machine without a GPU is normal for a library user: by default said only to diag.
        info: config.info,
      },
    });
    this.#samplers = samplers;
    const meter = this.#meter ?? metrics.getMeter(INSTRUMENTATION_SCOPE, VERSION);
    // Everything but the GPU gauges exists once start() returns; a GPU probe that fails
    // has already been reported through info, so nothing is left to catch.
    this.#started = samplers
      .start(meter)
      .catch((error: unknown) => diag.error("voxtrace samplers", error));
  }

  /** Resolves when the samplers enabled last have started (the GPU probe has answered). */
  ready(): Promise<void> {
    return this.#started;
  }

  /** Stops every sampler's timer, observer and child process; idempotent. */
  disable(): void {
    this.#samplers?.stop();
    this.#samplers = undefined;
  }

  setMeterProvider(meterProvider: MeterProvider): void {
    this.#meter = meterProvider.getMeter(INSTRUMENTATION_SCOPE, VERSION);
    this.#restartIfEnabled();
  }

  /** The samplers make no spans; the provider is accepted because the interface asks. */
  setTracerProvider(_tracerProvider: TracerProvider): void {}

  setConfig(config: VoxtraceInstrumentationConfig): void {
    this.#config = { ...DEFAULT_INSTRUMENTATION_CONFIG, ...config };
    this.#restartIfEnabled();
  }

  getConfig(): VoxtraceInstrumentationConfig {
    return this.#config;
  }

  #restartIfEnabled(): void {
    if (!this.#samplers) return;
    this.disable();
    this.enable();
  }
}
