// Instrumenting your own Node transcriber with voxtrace: start the SDK once, then wrap
// each unit of stage work in observer.work(...). Run: node examples/instrument-your-pipeline.mjs
// (after `npm run build`), then scrape http://127.0.0.1:9464/metrics while it runs.

import { OtelPipelineObserver, startResourceSamplers, startTelemetry } from "../dist/index.js";

const port = Number(process.env.PORT ?? 9464);
const telemetry = await startTelemetry({ prometheusPort: port, modelName: "my-model" });
const samplers = await startResourceSamplers({ meter: telemetry.meter });
const observer = new OtelPipelineObserver({ tracer: telemetry.tracer, meter: telemetry.meter });

// Your pipeline: here, three fake utterances with a fake recogniser.
const recognise = (ms) => new Promise((resolve) => setTimeout(() => resolve("hello world"), ms));
for (let index = 0; index < 3; index++) {
  observer.utteranceStarted(index, index * 2);
  const text = await observer.work("stt", "stt.final", index, { "my.attribute": 1 }, () =>
    recognise(20),
  );
  await observer.work("inject", "inject", index, {}, async () => process.stdout.write(`${text}\n`));
  observer.utteranceDelivered(
    {
      index,
      start: index * 2,
      end: index * 2 + 1.5,
      text,
      tokens: 2,
      latencyMs: 25,
      finalizeMs: 20,
    },
    1.5,
    0.02,
  );
}
if (telemetry.prometheusUrl) {
  const body = await (await fetch(telemetry.prometheusUrl)).text();
  const line = body.split("\n").find((l) => l.startsWith("voxtrace_utterances_total"));
  process.stdout.write(`${line}\n`);
}
samplers.stop();
await telemetry.shutdown();
