// Named sherpa-onnx streaming zipformer transducers that `voxtrace models pull` knows,
// with their upstream release archives. No checksums are pinned: they were not
// published upstream and could not be fetched here, so `pull` checks a user-given
// --sha256 or records the one it computed (trust on first use) — see docs/models.md.

export interface CatalogEntry {
  name: string;
  description: string;
  /** Release-asset folder upstream: asr-models or kws-models. */
  release: "asr-models" | "kws-models";
  sha256?: string;
}

export const UPSTREAM_BASE_URL = "https://github.com/k2-fsa/sherpa-onnx/releases/download";

export const MODEL_CATALOG: readonly CatalogEntry[] = [
  {
    name: "sherpa-onnx-kws-zipformer-gigaspeech-3.3M-2024-01-01",
    description: "3.3M-parameter English zipformer (the demo model; rough accuracy, very fast)",
    release: "kws-models",
  },
  {
    name: "sherpa-onnx-streaming-zipformer-en-20M-2023-02-17",
    description: "20M-parameter English streaming zipformer (small, good for laptops)",
    release: "asr-models",
  },
  {
    name: "sherpa-onnx-streaming-zipformer-en-2023-06-26",
    description: "English streaming zipformer trained on LibriSpeech (larger, more accurate)",
    release: "asr-models",
  },
  {
    name: "sherpa-onnx-streaming-zipformer-en-2023-02-21",
    description: "English streaming zipformer trained on LibriSpeech and GigaSpeech",
    release: "asr-models",
  },
];

export const DEFAULT_MODEL_NAME = MODEL_CATALOG[0]!.name;

export function catalogEntry(name: string): CatalogEntry | undefined {
  return MODEL_CATALOG.find((entry) => entry.name === name);
}

/** Where an entry's archive is downloaded from; VOXTRACE_MODELS_BASE_URL overrides the host. */
export function archiveUrl(entry: CatalogEntry, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.VOXTRACE_MODELS_BASE_URL ?? UPSTREAM_BASE_URL;
  return `${base.replace(/\/$/, "")}/${entry.release}/${entry.name}.tar.bz2`;
}
