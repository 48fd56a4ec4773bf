import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeHtml } from "../../src/text/escapeHtml.js";
import { jsonForScript } from "../../src/text/jsonForScript.js";

const markup = fc.array(
  fc.oneof(
    fc.string({ unit: "binary" }),
    fc.constantFrom(
      "</script><script>alert(1)</script>",
      "<!--",
      "<script>",
      '"><img src=x onerror=alert(1)>',
      "'",
      "&amp;",
      "\u2028",
      "\u2029",
      "]]>",
    ),
  ),
  { maxLength: 8 },
);
const hostileString = markup.map((parts) => parts.join(""));

const decode = (html: string): string =>
  html.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, name: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[name]!,
  );

describe("escapeHtml", () => {
  it("leaves no character that could open markup or end an attribute, and loses nothing (2000 strings)", () => {
    fc.assert(
      fc.property(hostileString, (text) => {
        const out = escapeHtml(text);
        expect(out).not.toMatch(/[<>"']/);
        expect(out.replace(/&(amp|lt|gt|quot|#39);/g, "")).not.toContain("&");
        expect(decode(out)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("jsonForScript", () => {
  const value = fc.oneof(
    fc.jsonValue(),
    fc.dictionary(hostileString, fc.array(hostileString, { maxLength: 4 })),
  );

  it("gives JSON that parses back to the value and holds no <, >, &, U+2028 or U+2029 (2000 values)", () => {
    fc.assert(
      fc.property(value, (v) => {
        const out = jsonForScript(v);
        expect(out).not.toMatch(/[<>&\u2028\u2029]/);
        expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(v)));
      }),
      { numRuns: 2000 },
    );
  });
});
