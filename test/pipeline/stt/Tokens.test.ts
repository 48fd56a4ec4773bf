import { describe, expect, it } from "vitest";
import { VoxtraceError } from "../../../src/errors.js";
import { Tokens } from "../../../src/pipeline/stt/Tokens.js";

const MODEL = new URL("../../../../shared/models/zipformer-gigaspeech-3.3m-int8/", import.meta.url);

describe("Tokens", () => {
  const tokens = Tokens.parse(
    "<blk> 0\n<unk> 1\n\u2581THE 2\n\u2581QUI 3\nCK 4\n\u2581 5\nFOX 6\n",
    "t",
  );

  it("joins BPE pieces into lower-case words split at the word-start mark", () => {
    expect(tokens.textOf([2, 3, 4, 5, 6])).toBe("the quick fox");
  });

  it("drops blank and special symbols and trims", () => {
    expect(tokens.textOf([0, 5, 1, 2, 0])).toBe("the");
    expect(tokens.textOf([])).toBe("");
  });

  it("rejects a line without an id as a model error naming the line", () => {
    let caught: unknown;
    try {
      Tokens.parse("<blk> 0\nbroken\n", "/m/tokens.txt");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(VoxtraceError);
    expect((caught as VoxtraceError).code).toBe("model");
    expect((caught as VoxtraceError).message).toContain("/m/tokens.txt:2");
    expect(() => Tokens.parse("", "x")).toThrow(VoxtraceError);
  });

  it("loads the demo model's 500 tokens with blank at id 0", async () => {
    const real = await Tokens.load(new URL("tokens.txt", MODEL).pathname);
    expect(real.size).toBe(500);
    expect(real.symbol(0)).toBe("<blk>");
  });
});
