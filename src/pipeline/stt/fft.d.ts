// fft.js ships no types; this declares the part of its API the fbank uses.
declare module "fft.js" {
  export default class FFT {
    constructor(size: number);
    readonly size: number;
    createComplexArray(): number[];
    /** Fills the first half (bins 0..size/2) of `out` as interleaved re/im pairs. */
    realTransform(out: ArrayLike<number> & { [i: number]: number }, data: ArrayLike<number>): void;
  }
}
