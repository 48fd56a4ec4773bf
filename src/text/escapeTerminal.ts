// Strings from a log are printed to a terminal; a control character in one (ESC, BEL, CR,
// a C1 CSI) could retitle, clear or rewrite the screen. Every C0 control but \n and \t,
// DEL and every C1 control is shown as a visible escape instead.

/** `text` with control characters replaced by `\xNN` (C0, DEL) or `\u{NN}` (C1). */
export function escapeTerminal(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => {
    const code = c.charCodeAt(0);
    const hex = code.toString(16).padStart(2, "0");
    return code < 0x80 ? `\\x${hex}` : `\\u{${hex}}`;
  });
}
