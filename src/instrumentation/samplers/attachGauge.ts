// Creates an observable gauge with one callback and hands back the function that detaches
// it, so a stopped sampler reports nothing and a restarted one does not report twice.

import type { Meter, ObservableCallback } from "@opentelemetry/api";

export interface GaugeSpec {
  name: string;
  unit: string;
  description: string;
}

export function attachGauge(
  meter: Meter,
  spec: GaugeSpec,
  callback: ObservableCallback,
): () => void {
  const gauge = meter.createObservableGauge(spec.name, {
    unit: spec.unit,
    description: spec.description,
  });
  gauge.addCallback(callback);
  return () => gauge.removeCallback(callback);
}
