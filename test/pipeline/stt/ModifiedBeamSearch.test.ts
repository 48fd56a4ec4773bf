import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openWavSource } from "../../../src/pipeline/audio/openWavSource.js";
import type { Decoding } from "../../../src/pipeline/stt/TransducerStream.js";
import { ZipformerModel } from "../../../src/pipeline/stt/ZipformerModel.js";
import { wordErrorRate } from "../../helpers/wer.js";
import { AUDIO_DIR, MODEL_DIR } from "../../support/runCli.js";

const manifest = JSON.parse(readFileSync(`${AUDIO_DIR}/manifest.json`, "utf8")) as {
  files: Record<string, { text: string }>;
};
const FILES = ["utt-01.wav", "utt-02.wav", "utt-03.wav", "utt-05.wav"];

let model: ZipformerModel;
beforeAll(async () => {
  model = await ZipformerModel.load(MODEL_DIR);
});
afterAll(() => model.release());

async function decode(file: string, decoding: Decoding, chunk = 4000): Promise<string> {
  const source = await openWavSource(`${AUDIO_DIR}/${file}`);
  const stream = model.createStream({ decoding });
  for await (const samples of source.chunks()) {
    for (let at = 0; at < samples.length; at += chunk) {
      await stream.accept(samples.subarray(at, at + chunk));
    }
  }
  await source.close();
  return (await stream.finish()).text;
}

describe("modified beam search", () => {
  it("with a beam of one hypothesis finds exactly what greedy search finds", async () => {
    for (const file of FILES) {
      expect(await decode(file, { method: "modified_beam_search", beam: 1 })).toBe(
        await decode(file, { method: "greedy" }),
      );
    }
  });

  it("gives the same text however the audio is chunked", async () => {
    const beam: Decoding = { method: "modified_beam_search", beam: 4 };
    expect(await decode("utt-02.wav", beam, 160)).toBe(await decode("utt-02.wav", beam, 16000));
  });

  it("transcribes the shared utterances about as well as greedy search", async () => {
    let greedy = 0;
    let beam = 0;
    for (const file of FILES) {
      const reference = manifest.files[file]?.text ?? "";
      greedy += wordErrorRate(reference, await decode(file, { method: "greedy" }));
      beam += wordErrorRate(
        reference,
        await decode(file, { method: "modified_beam_search", beam: 4 }),
      );
    }
    expect(beam / FILES.length).toBeLessThanOrEqual(greedy / FILES.length + 0.1);
  });
});
