import { describe, expect, it } from "vitest";
import { spanOfTime } from "../../src/text/spanOfTime.js";

describe("spanOfTime", () => {
  it("says seconds under a minute, minutes under an hour, hours beyond, never 0 min or 60 min", () => {
    expect(spanOfTime(0)).toBe("0 s");
    expect(spanOfTime(-5)).toBe("0 s");
    expect(spanOfTime(44_600)).toBe("45 s");
    expect(spanOfTime(59_400)).toBe("59 s");
    expect(spanOfTime(59_500)).toBe("1 min");
    expect(spanOfTime(12 * 60_000 + 20_000)).toBe("12 min");
    expect(spanOfTime(3_569_000)).toBe("59 min");
    expect(spanOfTime(3_570_000)).toBe("1.0 h");
    expect(spanOfTime(5_400_000)).toBe("1.5 h");
  });
});
