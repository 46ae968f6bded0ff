// The real terminal: xterm.js with fit, search, clickable links and Unicode 11 widths; WebGL on demand.
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import { Terminal } from '@xterm/xterm';
import { clipboardKey, writeClipboard } from './clipboard.js';
import type { TerminalLike, TerminalParts, WebglLike } from './terminalController.js';
import { TERMINAL_THEMES, type ThemeName } from './themes.js';

/** The terminal's normal font size (px); a pane smaller than its session may go below it (viewFit.ts). */
const BASE_FONT_PX = 13;

const SEARCH_DECORATIONS = {
  matchOverviewRuler: '#e5c07b',
  activeMatchColorOverviewRuler: '#e06c75',
  matchBackground: '#e5c07b55',
  activeMatchBackground: '#e06c7588',
};

export function createXterm(
  theme: ThemeName,
  isAppShortcut: (event: KeyboardEvent) => boolean,
  copyOnSelect: () => boolean,
): TerminalParts {
  const terminal = new Terminal({
    allowProposedApi: true, // unicode11's activeVersion
    scrollback: 5000,
    fontFamily: '"JetBrains Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace',
    fontSize: BASE_FONT_PX,
    cursorBlink: true,
    theme: TERMINAL_THEMES[theme],
  });
  const fit = new FitAddon();
  const search = new SearchAddon();
  terminal.loadAddon(fit);
  terminal.loadAddon(search);
  terminal.loadAddon(new Unicode11Addon());
  terminal.unicode.activeVersion = '11';
  terminal.loadAddon(
    new WebLinksAddon((event, uri) => {
      event.preventDefault();
      // Only web links leave the app, in a new context without access back to this page.
      if (/^https?:\/\//i.test(uri)) window.open(uri, '_blank', 'noopener,noreferrer');
    }),
  );
  // App shortcuts reach the window even while the terminal has focus. Copy and paste keys never reach the
  // session: copy takes the selection; paste is left to the browser's paste event, which xterm types.
  terminal.attachCustomKeyEventHandler((event) => {
    if (isAppShortcut(event)) return false;
    const key = clipboardKey(event);
    if (key === 'copy' && event.type === 'keydown' && terminal.hasSelection()) {
      event.preventDefault();
      void writeClipboard(terminal.getSelection());
    }
    return key === null;
  });
  terminal.onSelectionChange(() => {
    if (copyOnSelect() && terminal.hasSelection()) void writeClipboard(terminal.getSelection());
  });
  const proposeSize = () => {
    const size = fit.proposeDimensions();
    if (!size || !Number.isFinite(size.cols) || !Number.isFinite(size.rows)) return undefined;
    return { cols: Math.max(2, size.cols), rows: Math.max(1, size.rows) };
  };
  return {
    terminal,
    selection: () => terminal.getSelection(),
    paste: (text) => terminal.paste(text),
    proposeSize,
    fitSurface: {
      baseFontSize: BASE_FONT_PX,
      fontSize: () => terminal.options.fontSize ?? BASE_FONT_PX,
      setFontSize: (px) => (terminal.options.fontSize = px),
      proposeSize,
      scrollToEnd: () => {
        const host = terminal.element?.parentElement;
        if (host) host.scrollTo({ top: host.scrollHeight, left: 0 });
        terminal.scrollToBottom();
      },
    },
    find: (text, backwards) =>
      backwards
        ? search.findPrevious(text, { decorations: SEARCH_DECORATIONS })
        : search.findNext(text, { decorations: SEARCH_DECORATIONS }),
  };
}

let softwareGl: boolean | undefined;

/**
 * True when the browser's WebGL is a software rasterizer (SwiftShader, llvmpipe): slower than xterm's DOM
 * renderer, so such machines keep the DOM renderer (measured in docs/benchmarks.md, "Web UI").
 */
function isSoftwareWebgl(): boolean {
  if (softwareGl !== undefined) return softwareGl;
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return (softwareGl = true);
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(
    info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER),
  );
  gl.getExtension('WEBGL_lose_context')?.loseContext(); // give the probe's context back at once
  return (softwareGl = /swiftshader|llvmpipe|software|softpipe/i.test(renderer));
}

/** Throws where WebGL is missing or software-only; the controller then stays on the DOM renderer. */
export function createWebgl(): WebglLike {
  if (isSoftwareWebgl()) throw new Error('WebGL is unavailable or software-only here.');
  return new WebglAddon();
}

export function setTerminalTheme(terminal: TerminalLike, theme: ThemeName): void {
  (terminal as unknown as Terminal).options.theme = TERMINAL_THEMES[theme];
}
