// Data embedded in a page as JSON inside <script type="application/json">. JSON.stringify
// alone would let a string from a log close the element (`</script>`) or open a comment
// (`<!--`) that changes how the parser reads the rest of the page. Escaping `<`, `>` and
// `&` as \u escapes keeps the text valid JSON with no markup in it; U+2028/U+2029 are
// escaped too so the same text is also safe as a JavaScript literal.

const ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/** JSON text of `value` that contains no `<`, `>`, `&`, U+2028 or U+2029. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => ESCAPES[c]!);
}
