import { describe, expect, it } from "vitest";
import { MinuteLows } from "../../../src/analysis/leak/MinuteLows.js";

describe("MinuteLows", () => {
  it("gives the lowest value of the minutes asked, and NaN for minutes it does not keep", () => {
    const lows = new MinuteLows(10 * 60_000);
    for (let t = 0; t < 30 * 60_000; t += 5000) lows.record(t, 100 + t / 60_000 + ((t / 5000) % 3));
    // Minute 29 holds 129 at its first sample; minutes 27-29 the lowest of the three.
    expect(lows.lowest(29 * 60_000, 29 * 60_000 + 59_000)).toBe(129);
    expect(lows.lowest(27 * 60_000, 30 * 60_000)).toBe(127);
    // Kept: the last 11 minutes; older ones were written over.
    expect(lows.lowest(19 * 60_000, 19 * 60_000)).toBe(119);
    expect(lows.lowest(10 * 60_000, 18 * 60_000)).toBeNaN();
    expect(lows.lowest(40 * 60_000, 41 * 60_000)).toBeNaN();
  });

  it("gives the rise from a minute at least one before the last, and NaN past what it keeps", () => {
    const lows = new MinuteLows(10 * 60_000);
    for (let t = 0; t < 30 * 60_000; t += 5000) lows.record(t, 100 + t / 60_000);
    // Lowest of minutes 28-29 (128) less lowest of minutes 24-25 (124).
    expect(lows.rise(25 * 60_000, 30 * 60_000 - 1)).toBe(4);
    // From within the last minute: measured from the minute before it.
    expect(lows.rise(29.5 * 60_000, 30 * 60_000 - 1)).toBe(1);
    expect(lows.rise(5 * 60_000, 30 * 60_000 - 1)).toBeNaN();
  });
});
