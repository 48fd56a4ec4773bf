// Kaldi's triangular mel filterbank, stored sparsely (first bin + weights) so the
// per-frame product touches only the bins each filter covers.

export interface MelBanks {
  offsets: Int32Array;
  weights: Float64Array[];
}

const mel = (hz: number): number => 1127 * Math.log(1 + hz / 700);

/** Kaldi's triangular mel filters over FFT bins 0..fftSize/2-1, stored sparsely. */
export function melBanks(
  numBins: number,
  fftSize: number,
  sampleRate: number,
  low: number,
  high: number,
): MelBanks {
  const fftBins = fftSize / 2;
  const binWidth = sampleRate / fftSize;
  const melLow = mel(low);
  const delta = (mel(high) - melLow) / (numBins + 1);
  const offsets = new Int32Array(numBins);
  const weights: Float64Array[] = [];
  for (let m = 0; m < numBins; m++) {
    const left = melLow + m * delta;
    const center = left + delta;
    const right = center + delta;
    const full = new Float64Array(fftBins);
    let first = -1;
    let last = -1;
    for (let i = 0; i < fftBins; i++) {
      const f = mel(binWidth * i);
      if (f <= left || f >= right) continue;
      full[i] = f <= center ? (f - left) / (center - left) : (right - f) / (right - center);
      if (first < 0) first = i;
      last = i;
    }
    offsets[m] = Math.max(first, 0);
    weights.push(first < 0 ? new Float64Array(0) : full.slice(first, last + 1));
  }
  return { offsets, weights };
}
