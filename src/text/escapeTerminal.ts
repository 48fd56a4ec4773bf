// Makes text from elsewhere (a daemon, a file, a peer) safe to print on a terminal: C0
// and C1 controls and DEL become visible escapes, so the text cannot move the cursor,
// retitle the window or clear the screen. Newline and tab stay as they are.

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/gu;

export function escapeTerminal(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
