// The resource every signal carries: our defaults (service, session, model, execution
// provider), then what the host and process detectors find, then OTEL_RESOURCE_ATTRIBUTES
// and OTEL_SERVICE_NAME, which win as the specification asks.

import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  processDetector,
  resourceFromAttributes,
  type Resource,
} from "@opentelemetry/resources";
import { VERSION } from "../version.js";
import { ATTR_EXECUTION_PROVIDER, ATTR_MODEL_NAME, ATTR_SESSION_ID } from "../semconv.js";

export interface ResourceFacts {
  sessionId: string;
  modelName?: string | undefined;
  executionProvider?: string | undefined;
}

/** Call inside withOtelEnvironment: the env detector reads the OTEL_* variables. */
export function telemetryResource(facts: ResourceFacts): Resource {
  const ours = resourceFromAttributes({
    "service.name": "voxtrace",
    "service.version": VERSION,
    [ATTR_SESSION_ID]: facts.sessionId,
    ...(facts.modelName ? { [ATTR_MODEL_NAME]: facts.modelName } : {}),
    ...(facts.executionProvider ? { [ATTR_EXECUTION_PROVIDER]: facts.executionProvider } : {}),
  });
  return defaultResource()
    .merge(ours)
    .merge(detectResources({ detectors: [hostDetector, processDetector] }))
    .merge(detectResources({ detectors: [envDetector] }));
}
