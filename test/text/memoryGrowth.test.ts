import { describe, expect, it } from "vitest";
import { memoryGrowth } from "../../src/text/memoryGrowth.js";

describe("memoryGrowth", () => {
  it("gives the leak rule's slope in MB/s, or says the session was not judged", () => {
    expect(memoryGrowth(1_234_567)).toBe("1.235 MB/s");
    expect(memoryGrowth(-5_000)).toBe("-0.005 MB/s");
    expect(memoryGrowth(null)).toBe("not judged (too few samples for the leak rule)");
  });
});
