// Strips terminal replies from client input: the hub's mirror is the only answerer of terminal queries,
// so a query is answered once however many xterm.js clients are attached (codrive.md §2.2).

/* eslint-disable no-control-regex -- terminal replies are control sequences by nature */

// Each pattern is a reply that a terminal emulator sends on its own, never a key a person types:
const REPLY_PATTERNS = [
  /\x1b\[\d+;\d+R/g, // cursor position report (CPR). Shift+F3 can share this shape; tmux has the same tradeoff.
  /\x1b\[[?>=][\d;]*c/g, // primary, secondary and tertiary device attributes
  /\x1b\[\??[\d;]*\$y/g, // DECRPM mode reports
  /\x1b\][\d;]*;?rgb:[0-9a-fA-F/]*(?:\x07|\x1b\\)/g, // OSC 4/10/11/12 colour replies
  /\x1bP[!>|][^\x1b]*\x1b\\/g, // DCS replies (XTVERSION, DECRQSS, terminal id)
  /\x1b\[\?\d+u/g, // kitty keyboard protocol flags reply
];

const FOCUS_PATTERN = /\x1b\[[IO]/g;

/**
 * Returns the input without terminal replies. Focus reports pass only for the participant whose pane
 * drives the session (`keepFocus`), so several viewers' focus changes never reach the program.
 */
export function stripTerminalReplies(data: string, keepFocus: boolean): string {
  let result = data;
  for (const pattern of REPLY_PATTERNS) result = result.replace(pattern, '');
  return keepFocus ? result : result.replace(FOCUS_PATTERN, '');
}
