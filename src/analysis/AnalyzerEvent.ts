// The analyzer's events: everything it knows arrives as one of these, appended to the
// log. Past-tense names; a recorded event adds its position (`seq`) and `time`.

import type { RulesConfig, RuleName } from "./RulesConfig.js";

export type Attributes = Record<string, string | number | boolean>;

export interface ExplicitBuckets {
  kind: "explicit";
  boundaries: number[];
  counts: number[];
}

export type AnalyzerEvent =
  | {
      type: "SessionStarted";
      data: {
        sessionId: string;
        version: string;
        rules: RulesConfig;
        intervalMs: number;
        model?: string;
        executionProvider?: string;
      };
    }
  | { type: "GaugeObserved"; data: { metric: string; value: number; attributes?: Attributes } }
  | {
      type: "HistogramObserved";
      data: {
        metric: string;
        attributes?: Attributes;
        count: number;
        sum: number;
        min?: number;
        max?: number;
        buckets: ExplicitBuckets;
      };
    }
  | { type: "SessionEnded"; data: { reason: string } }
  | {
      type: "CaptureRestarted";
      data: { command: string; reason: string; attempt: number; delayMs: number };
    }
  | { type: "AlertFired"; data: AlertData }
  | { type: "AlertResolved"; data: AlertData };

export interface AlertData {
  rule: RuleName;
  value: number;
  threshold: number;
  windowMs: number;
  forMs: number;
  causeSeq: number;
  message: string;
}

export type AlertEvent = Extract<AnalyzerEvent, { type: "AlertFired" | "AlertResolved" }>;
export type ObservationEvent = Extract<
  AnalyzerEvent,
  { type: "GaugeObserved" | "HistogramObserved" }
>;

/** An event as stored: its position in the log and its time (Unix ms). */
export type RecordedEvent<E extends AnalyzerEvent = AnalyzerEvent> = E & {
  seq: number;
  time: number;
};

/** One log line, with a stable key order so equal events serialize byte for byte. */
export function serializeEvent(event: RecordedEvent): string {
  return JSON.stringify({ seq: event.seq, time: event.time, type: event.type, data: event.data });
}
