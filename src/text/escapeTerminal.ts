// Strings from outside (a log, a daemon's answer, an error naming a file) are printed to a
// terminal; a control character in one (ESC, BEL, CR, a C1 CSI) could retitle, clear or
// rewrite the screen. Every C0 control but \n and \t, DEL and every C1 control is shown as
// a visible `\xNN` escape instead.

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

export function escapeTerminal(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
