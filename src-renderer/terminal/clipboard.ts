// Copy and paste in a terminal pane: which keys mean copy or paste (Ctrl+C stays the interrupt the program
// expects), and writing to the system clipboard with a fallback where the async Clipboard API is missing.

export type ClipboardKey = 'copy' | 'paste';

/**
 * Ctrl+Shift+C and Ctrl+Insert copy; Ctrl+Shift+V and Shift+Insert paste (the browser's own paste event,
 * which xterm turns into input). Any event type: xterm asks for keydown, keypress and keyup alike, and
 * none of them may reach the session as a control character.
 */
export function clipboardKey(event: KeyboardEvent): ClipboardKey | null {
  const ctrl = event.ctrlKey || event.metaKey;
  if (event.altKey) return null;
  if (ctrl && event.shiftKey && event.code === 'KeyC') return 'copy';
  if (ctrl && !event.shiftKey && event.code === 'Insert') return 'copy';
  if (ctrl && event.shiftKey && event.code === 'KeyV') return 'paste';
  if (!ctrl && event.shiftKey && event.code === 'Insert') return 'paste';
  return null;
}

/** Puts `text` on the clipboard; false when the browser refused (no permission, no focus). */
export async function writeClipboard(text: string): Promise<boolean> {
  if (text.length === 0) return false;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Not a secure context, or the API is denied: the older copy command still works from a user gesture.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    } finally {
      area.remove();
    }
  }
}

/** The clipboard's text, or null when the browser does not let the page read it. */
export async function readClipboard(): Promise<string | null> {
  try {
    return await navigator.clipboard.readText();
  } catch {
    return null;
  }
}
