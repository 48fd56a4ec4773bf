// Modified beam search over transducer frames (at most one symbol per frame), as
// sherpa-onnx does it: every hypothesis in the beam is extended by the joiner's
// log-probabilities, the best `beam` (hypothesis, token) pairs survive, and pairs that
// reach the same token sequence are merged by adding their probabilities.

import ort from "onnxruntime-node";
import type { ZipformerModel } from "./ZipformerModel.js";

interface Hypothesis {
  tokens: number[];
  logProb: number;
  /** Decoder output for this hypothesis' context, computed when first needed. */
  decoderOut: Float32Array | undefined;
}

export class ModifiedBeamSearch {
  readonly #model: ZipformerModel;
  readonly #beam: number;
  #hyps: Hypothesis[] = [{ tokens: [], logProb: 0, decoderOut: undefined }];

  constructor(model: ZipformerModel, beam: number) {
    this.#model = model;
    this.#beam = beam;
  }

  /** Tokens of the most probable hypothesis so far. */
  best(): readonly number[] {
    let best = this.#hyps[0]!;
    for (const hyp of this.#hyps) if (hyp.logProb > best.logProb) best = hyp;
    return best.tokens;
  }

  /** Extends the beam by `frames` encoder frames of width `dim`. */
  async decode(encoderOut: Float32Array, frames: number, dim: number): Promise<void> {
    const model = this.#model;
    const [encoderName, decoderName] = model.joiner.inputNames as [string, string];
    const [logitName] = model.joiner.outputNames as [string];
    for (let t = 0; t < frames; t++) {
      const hyps = this.#hyps;
      await this.#fillDecoderOutputs(hyps);
      const n = hyps.length;
      const decoderDim = hyps[0]!.decoderOut!.length;
      const encoderRows = new Float32Array(n * dim);
      const decoderRows = new Float32Array(n * decoderDim);
      const frame = encoderOut.subarray(t * dim, (t + 1) * dim);
      hyps.forEach((hyp, i) => {
        encoderRows.set(frame, i * dim);
        decoderRows.set(hyp.decoderOut!, i * decoderDim);
      });
      const joined = await model.joiner.run({
        [encoderName]: new ort.Tensor("float32", encoderRows, [n, dim]),
        [decoderName]: new ort.Tensor("float32", decoderRows, [n, decoderDim]),
      });
      const logits = joined[logitName]!.data as Float32Array;
      this.#hyps = this.#extend(hyps, logits, logits.length / n);
    }
  }

  #extend(hyps: Hypothesis[], logits: Float32Array, vocab: number): Hypothesis[] {
    const { blankId, unkId } = this.#model;
    // Candidates: the best `beam` (score, hyp, token) over all rows.
    const scores: number[] = [];
    const origins: number[] = [];
    for (let i = 0; i < hyps.length; i++) {
      const row = logits.subarray(i * vocab, (i + 1) * vocab);
      const offset = hyps[i]!.logProb - logSumExp(row);
      for (let k = 0; k < vocab; k++) {
        const score = row[k]! + offset;
        if (scores.length < this.#beam || score > scores[scores.length - 1]!) {
          insertSorted(scores, origins, score, i * vocab + k, this.#beam);
        }
      }
    }
    const next = new Map<string, Hypothesis>();
    for (let c = 0; c < scores.length; c++) {
      const hyp = hyps[Math.floor(origins[c]! / vocab)]!;
      const token = origins[c]! % vocab;
      const keep = token === blankId || token === unkId;
      const tokens = keep ? hyp.tokens : [...hyp.tokens, token];
      const key = tokens.join(",");
      const existing = next.get(key);
      if (existing) {
        existing.logProb = logAdd(existing.logProb, scores[c]!);
      } else {
        next.set(key, {
          tokens,
          logProb: scores[c]!,
          decoderOut: keep ? hyp.decoderOut : undefined,
        });
      }
    }
    return [...next.values()];
  }

  /** Runs the decoder, batched, for every hypothesis whose context changed. */
  async #fillDecoderOutputs(hyps: Hypothesis[]): Promise<void> {
    const stale = hyps.filter((hyp) => hyp.decoderOut === undefined);
    if (stale.length === 0) return;
    const model = this.#model;
    const context = model.contextSize;
    const ids = new BigInt64Array(stale.length * context);
    stale.forEach((hyp, i) => {
      for (let c = 0; c < context; c++) {
        // Left-pad with [-1, ..., blank] as the stream's greedy search does.
        const at = hyp.tokens.length - context + c;
        const id = at >= 0 ? hyp.tokens[at]! : c === context - 1 ? model.blankId : -1;
        ids[i * context + c] = BigInt(id);
      }
    });
    const decoder = model.decoder;
    const outputs = await decoder.run({
      [decoder.inputNames[0]!]: new ort.Tensor("int64", ids, [stale.length, context]),
    });
    const out = outputs[decoder.outputNames[0]!]!.data as Float32Array;
    const width = out.length / stale.length;
    stale.forEach((hyp, i) => (hyp.decoderOut = out.slice(i * width, (i + 1) * width)));
  }
}

function insertSorted(
  scores: number[],
  origins: number[],
  score: number,
  origin: number,
  limit: number,
): void {
  let at = scores.length;
  while (at > 0 && scores[at - 1]! < score) at--;
  scores.splice(at, 0, score);
  origins.splice(at, 0, origin);
  if (scores.length > limit) {
    scores.pop();
    origins.pop();
  }
}

function logSumExp(row: Float32Array): number {
  let max = -Infinity;
  for (let k = 0; k < row.length; k++) if (row[k]! > max) max = row[k]!;
  let sum = 0;
  for (let k = 0; k < row.length; k++) sum += Math.exp(row[k]! - max);
  return max + Math.log(sum);
}

function logAdd(a: number, b: number): number {
  const max = Math.max(a, b);
  return max + Math.log(Math.exp(a - max) + Math.exp(b - max));
}
