import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeTerminal } from "../../src/text/escapeTerminal.js";

/** Code points a terminal acts on: C0 but \n and \t, DEL, C1. */
const isControl = (code: number): boolean =>
  (code < 0x20 && code !== 0x0a && code !== 0x09) || (code >= 0x7f && code <= 0x9f);

// Strings weighted towards escape sequences: OSC retitle, CSI clear, C1 CSI, BEL, CR.
const hostile = fc.array(
  fc.oneof(
    fc.string({ unit: "binary" }),
    fc.constantFrom(
      "\x1b]0;pwned\x07",
      "\x1b[2J\x1b[H",
      "\x9b2J",
      "\r",
      "\x7f",
      "\x00",
      "\n",
      "\t",
    ),
    fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)),
  ),
  { maxLength: 12 },
);

describe("escapeTerminal", () => {
  it("never lets a control character through except newline and tab (3000 strings)", () => {
    fc.assert(
      fc.property(hostile, (parts) => {
        const out = escapeTerminal(parts.join(""));
        const control = [...out].find((ch) => isControl(ch.codePointAt(0)!));
        expect(control, JSON.stringify(out)).toBeUndefined();
        // Bytes as the terminal receives them: no C0 but \n \t, no DEL.
        const bad = Buffer.from(out, "utf8").find(
          (b) => (b < 0x20 && b !== 0x0a && b !== 0x09) || b === 0x7f,
        );
        expect(bad).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
  });

  it("keeps printable text, newlines and tabs as they are (1000 strings)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => {
        const plain = [...text].filter((ch) => !isControl(ch.codePointAt(0)!)).join("");
        expect(escapeTerminal(plain)).toBe(plain);
      }),
      { numRuns: 1000 },
    );
  });

  it("shows each control as a visible escape", () => {
    expect(escapeTerminal("a\x1b]0;x\x07b\r\x7f\x9b\n\t")).toBe(
      "a\\x1b]0;x\\x07b\\x0d\\x7f\\x9b\n\t",
    );
  });
});
