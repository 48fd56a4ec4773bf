// JSON printed to a terminal: JSON.stringify already escapes C0 controls inside strings,
// but leaves DEL and the C1 controls (U+0080-U+009F, which some terminals obey as CSI,
// OSC, ...) raw. They can only occur inside strings, so \u escapes keep the JSON valid.

/** `json` (JSON text) with DEL and C1 controls written as \u escapes. */
export function jsonForTerminal(json: string): string {
  return json.replace(/[\x7f-\x9f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
