// Delivers every alert everywhere an operator may look: an OTel log record with
// `eventName` (exported by OTLP when configured), a short span with a span event for
// Jaeger (which takes no logs), the voxtrace.alerts.active gauge and fired counter for
// Prometheus, and one warning line on stderr.

import {
  metrics,
  ROOT_CONTEXT,
  trace,
  type Counter,
  type Meter,
  type Tracer,
} from "@opentelemetry/api";
import { logs, SeverityNumber, type Logger } from "@opentelemetry/api-logs";
import {
  ATTR_ALERT_RULE,
  EVENT_ALERT_FIRED,
  EVENT_ALERT_RESOLVED,
  INSTRUMENTATION_SCOPE,
  METRIC_ALERTS_ACTIVE,
  METRIC_ALERTS_FIRED,
} from "../semconv.js";
import { VERSION } from "../version.js";
import type { AlertEvent, RecordedEvent } from "./AnalyzerEvent.js";
import { RULE_NAMES } from "./RulesConfig.js";

export interface AlertEmitterConfig {
  meter?: Meter;
  logger?: Logger;
  tracer?: Tracer;
  /** One line per alert; null: none (a library in someone else's process). */
  stderr?: NodeJS.WritableStream | null;
}

export class AlertEmitter {
  readonly #logger: Logger;
  readonly #tracer: Tracer;
  readonly #fired: Counter;
  readonly #stderr: NodeJS.WritableStream | null;
  readonly #active = new Set<string>();

  constructor(config: AlertEmitterConfig = {}) {
    const meter = config.meter ?? metrics.getMeter(INSTRUMENTATION_SCOPE, VERSION);
    this.#logger = config.logger ?? logs.getLogger(INSTRUMENTATION_SCOPE, VERSION);
    this.#tracer = config.tracer ?? trace.getTracer(INSTRUMENTATION_SCOPE, VERSION);
    this.#stderr = config.stderr === undefined ? process.stderr : config.stderr;
    this.#fired = meter.createCounter(METRIC_ALERTS_FIRED, {
      unit: "1",
      description: "Alerts fired",
    });
    meter
      .createObservableGauge(METRIC_ALERTS_ACTIVE, {
        unit: "1",
        description: "1 while an analyzer alert is firing",
      })
      .addCallback((result) => {
        for (const rule of RULE_NAMES)
          result.observe(this.#active.has(rule) ? 1 : 0, { [ATTR_ALERT_RULE]: rule });
      });
  }

  emit(alert: RecordedEvent<AlertEvent>): void {
    const fired = alert.type === "AlertFired";
    const name = fired ? EVENT_ALERT_FIRED : EVENT_ALERT_RESOLVED;
    const attributes = {
      [ATTR_ALERT_RULE]: alert.data.rule,
      "voxtrace.alert.value": alert.data.value,
      "voxtrace.alert.threshold": alert.data.threshold,
      "voxtrace.alert.window_ms": alert.data.windowMs,
      "voxtrace.alert.cause_seq": alert.data.causeSeq,
    };
    if (fired) {
      this.#active.add(alert.data.rule);
      this.#fired.add(1, { [ATTR_ALERT_RULE]: alert.data.rule });
    } else {
      this.#active.delete(alert.data.rule);
    }
    // Alerts are decided inside a metric export, where the SDK suppresses tracing so that
    // exporters make no spans: the alert's own span and log record start from the root.
    this.#logger.emit({
      context: ROOT_CONTEXT,
      eventName: name,
      severityNumber: fired ? SeverityNumber.WARN : SeverityNumber.INFO,
      severityText: fired ? "WARN" : "INFO",
      body: alert.data.message,
      attributes,
      timestamp: alert.time,
    });
    const span = this.#tracer.startSpan(name, { attributes, startTime: alert.time }, ROOT_CONTEXT);
    span.addEvent(name, attributes, alert.time);
    span.end(alert.time);
    this.#stderr?.write(`voxtrace: ALERT ${alert.data.message} (seq ${alert.seq})\n`);
  }
}
