import { describe, expect, it } from "vitest";
import { TrendScratch, trendTest } from "../../../src/analysis/leak/trendTest.js";

const MB = 1e6;

/** Floors in MB, one every `everyS` seconds, judged at z = 3.09. */
function judge(floorsMB: number[], everyS = 600) {
  const t = Float64Array.from(floorsMB, (_, i) => i * everyS);
  const v = Float64Array.from(floorsMB, (mb) => mb * MB);
  return trendTest(t, v, floorsMB.length, 3.09, new TrendScratch(24));
}

describe("trendTest", () => {
  it("reads a steady climb as a significant trend of its slope, and as no step", () => {
    const wobble = [0.4, -0.3, 0.2, -0.5, 0.1, 0.3, -0.2, 0.4, -0.1, -0.4, 0.2, 0];
    const trend = judge(wobble.map((w, i) => 300 + 10 * i + w));
    expect(trend.slope).toBeCloseTo((10 * MB) / 600, -3);
    expect(trend.slopeLow).toBeGreaterThan(0);
    expect(trend.stepLike).toBe(false);
    expect(trend.twoStepLike).toBe(false);
    expect(trend.threeStepLike).toBe(false);
    expect(trend.flattened).toBe(false);
    expect(trend.weak).toBe(false);
  });

  it("says when its floors are too few to reach the level: six that rise in a row pass anyway", () => {
    // Mann-Kendall's largest z from six floors is 2.6, under 3.09, so the interval's lower
    // end falls back to the smallest pairwise slope; eight floors can reach the level.
    const six = judge([198.3, 208.2, 216.1, 229.1, 243.7, 255.4]);
    expect(six.weak).toBe(true);
    expect(six.slopeLow).toBeGreaterThan(0);
    expect(judge([300, 310, 321, 329, 341, 350, 359, 371]).weak).toBe(false);
  });

  it("states the interval's lower end at a second, lower level for a trend already found", () => {
    // A climb of 0.8 MB a floor in ±3 MB of noise: Mann-Kendall z 2.5, between the level
    // that raises a leak (3.09) and the one that keeps it reported (2.32).
    const floors = [302.5, 297.8, 303.1, 300.4, 306.2, 303, 302.3, 307.6, 304.9, 308.2, 305, 310.8];
    const t = Float64Array.from(floors, (_, i) => i * 600);
    const v = Float64Array.from(floors, (mb) => mb * MB);
    const trend = trendTest(t, v, floors.length, 3.09, new TrendScratch(24), 2.32);
    expect(trend.z).toBeGreaterThan(2.32);
    expect(trend.z).toBeLessThan(3.09);
    expect(trend.slopeLow).toBeLessThanOrEqual(0);
    expect(trend.slopeLowHeld).toBeGreaterThan(0);
    // Without a second level both ends are the same.
    expect(judge(floors).slopeLowHeld).toBe(judge(floors).slopeLow);
  });

  it("takes a single level shift for a step, and growth that stopped for flattened", () => {
    expect(judge([300, 301, 299, 300, 301, 300, 340, 341, 339, 340, 341, 340]).stepLike).toBe(true);
    expect(judge([300, 310, 320, 330, 340, 350, 355, 356, 355, 356, 355, 356]).flattened).toBe(
      true,
    );
  });

  it("fits two steps whose last level is a single floor (six floors of an hour under slow GC)", () => {
    // Tuning seed 5051: two one-off steps of about 260 MB, 40 minutes apart.
    expect(judge([229.8, 255.6, 494.3, 494.9, 496.5, 759.9]).twoStepLike).toBe(true);
    // ...and so the first level, but not a steady climb of six floors.
    expect(judge([230, 494, 495, 497, 760, 761]).twoStepLike).toBe(true);
    expect(judge([300, 333, 365, 401, 431, 466]).twoStepLike).toBe(false);
  });
});
