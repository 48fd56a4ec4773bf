import { describe, expect, it } from "vitest";
import { hingeFit } from "../../../src/analysis/leak/hingeFit.js";

function points(n: number, at: (i: number) => number): [Float64Array, Float64Array] {
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = i * 10;
    v[i] = at(i);
  }
  return [t, v];
}

describe("hingeFit", () => {
  it("finds where a ramp steepened, and both paces", () => {
    // 1 per 10 ms, then 5 per 10 ms from point 20 on, with a little alternating noise.
    const [t, v] = points(40, (i) => i + 4 * Math.max(0, i - 20) + (i % 2 ? 0.3 : -0.3));
    const fit = hingeFit(t, v, 40);
    expect(fit.breakT).toBeGreaterThanOrEqual(190);
    expect(fit.breakT).toBeLessThanOrEqual(210);
    expect(fit.before!.slope).toBeCloseTo(0.1, 2);
    expect(fit.after.slope).toBeCloseTo(0.5, 2);
    expect(fit.after.se).toBeLessThan(0.01);
  });

  it("keeps one line when the ramp kept its pace", () => {
    const [t, v] = points(30, (i) => 2 * i);
    const fit = hingeFit(t, v, 30);
    expect(fit.before).toBeUndefined();
    expect(fit.after.slope).toBeCloseTo(0.2, 6);
    expect(fit.breakT).toBe(0);
  });

  it("fits one line through too few points to break", () => {
    const [t, v] = points(6, (i) => i * i);
    const fit = hingeFit(t, v, 6);
    expect(fit.before).toBeUndefined();
    expect(fit.after.slope).toBeGreaterThan(0);
  });
});
