// The status engine's screen half: fills the gaps hooks leave. Claude Code asks some questions before
// its hooks run (folder trust, a custom API key, the bypass-mode warning) and a session sitting at one
// would otherwise stay "starting" forever. Once output has been quiet for a moment, the mirror's visible
// rows are read (rendered text, not raw bytes, so cursor movement does not matter); a known question
// there means `waiting`. Hooks stay authoritative: a hook-set status ends the screen's say, and when the
// question leaves the screen the status it replaced comes back (Claude's hooks take over from there).
import type { SessionStatus } from '../../src-protocol/index.js';

/**
 * Questions that block Claude Code until someone answers, as seen on 2.1.331 (reference §3.2, §8): the
 * question and its menu with the selection cursor on an option, so a reply that merely quotes such a
 * question is not mistaken for one.
 */
export const QUESTIONS: Array<[name: string, question: RegExp, menu: RegExp]> = [
  ['folder trust', /Yes, I trust this folder/, /^\s*❯\s+(No, exit|Yes, I trust this folder)/m],
  ['API key', /Do you want to use this API key\?/, /^\s*❯\s+(Yes|No)\b/m],
  ['bypass mode', /Bypass Permissions mode/, /^\s*❯\s+(No, exit|Yes, I accept)/m],
  ['permission', /Do you want to (proceed|make this edit|create|allow|run)\b[^\n]*\?/, /^\s*❯\s+1\. Yes/m],
  // Auto mode's server-side check, unreachable behind a gateway (issue 11): no cursor menu, its keys instead.
  ['auto mode', /Auto mode can't check actions/, /^\s*Enter to stay in auto mode\b/m],
];

/** Which blocking question the screen shows, if any. */
export function questionOnScreen(lines: readonly string[]): string | undefined {
  const text = lines.join('\n');
  return QUESTIONS.find(([, question, menu]) => question.test(text) && menu.test(text))?.[0];
}

export interface ScreenStatusPorts {
  quietMs: number;
  /** The visible rows once everything written so far is parsed. */
  readScreen: () => Promise<readonly string[]>;
  status: () => SessionStatus;
  setStatus: (status: SessionStatus, question: string | undefined) => void;
}

export class ScreenStatusWatch {
  private timer: NodeJS.Timeout | undefined;
  /** The status a screen-seen question replaced, while the screen is what says `waiting`. */
  private replaced: SessionStatus | undefined;
  private disposed = false;

  constructor(private readonly ports: ScreenStatusPorts) {}

  /** Output arrived: look again once it has been quiet for `quietMs`. */
  output(): void {
    if (this.disposed) return;
    // Moved, not made anew, at every output (a keystroke's echo among them).
    if (this.timer) this.timer.refresh();
    else this.timer = setTimeout(() => void this.look(), this.ports.quietMs);
  }

  /**
   * A hook set the status: hooks know better than the screen, except that a session showing a question
   * is not `idle` (Claude Code's idle notification comes while the auto-mode dialog waits, issue 11).
   * Returns false when the hook's status should wait until the question has left the screen.
   */
  hookSet(status?: SessionStatus): boolean {
    if (status === 'idle' && this.replaced !== undefined) {
      this.replaced = status;
      this.output(); // look again: if the question has gone meanwhile, `idle` comes back
      return false;
    }
    this.replaced = undefined;
    return true;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async look(): Promise<void> {
    this.timer = undefined;
    const question = questionOnScreen(await this.ports.readScreen());
    const status = this.ports.status();
    if (this.disposed || status === 'ended') return;
    if (question && status !== 'waiting') {
      this.replaced = status;
      this.ports.setStatus('waiting', question);
    } else if (!question && this.replaced !== undefined) {
      const back = this.replaced;
      this.replaced = undefined;
      if (status === 'waiting') this.ports.setStatus(back, undefined);
    }
  }
}
