import { describe, expect, it } from "vitest";
import { wordErrorRate } from "./wer.js";

describe("wordErrorRate", () => {
  it("is zero for the same words regardless of case and punctuation", () => {
    expect(wordErrorRate("The quick, brown fox.", "the quick brown fox")).toBe(0);
  });

  it("counts substitutions, deletions and insertions over the reference length", () => {
    expect(wordErrorRate("a b c d", "a x c d")).toBe(0.25);
    expect(wordErrorRate("a b c d", "a c d")).toBe(0.25);
    expect(wordErrorRate("a b c d", "a b c d e f")).toBe(0.5);
    expect(wordErrorRate("a b", "")).toBe(1);
  });

  it("handles an empty reference", () => {
    expect(wordErrorRate("", "")).toBe(0);
    expect(wordErrorRate("", "extra")).toBe(1);
  });
});
