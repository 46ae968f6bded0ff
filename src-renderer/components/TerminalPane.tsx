// One open session's pane: the attach bar, the terminal (owned by its controller, not by React), the input
// hint overlay and the search box. Hidden panes stay mounted off screen and keep parsing output.
import { useEffect, useRef, useState } from 'react';
import { paneController, paneHost } from '../hub/paneHosts.js';
import { paneRef } from '../state/hubs.js';
import { paneMode, useApp } from '../state/store.js';
import { ActivityPanel } from './ActivityPanel.js';
import { AttachBar } from './AttachBar.js';
import { SizeBar } from './SizeBar.js';
import { TerminalMenu, type MenuPlace } from './TerminalMenu.js';

const HINT_VISIBLE_MS = 3500;
/** The right-click menu's size, to keep it inside the pane (styles.css `.context-menu`). */
const MENU_WIDTH = 210;
const MENU_HEIGHT = 110;

const controllerOf = paneController;

function InputHint({ session }: { session: string }) {
  const hint = useApp((state) => state.ui.hints[session]);
  const [shown, setShown] = useState<string | null>(null);
  useEffect(() => {
    const left = hint ? hint.at + HINT_VISIBLE_MS - Date.now() : 0;
    if (!hint || left <= 0) return setShown(null);
    setShown(hint.text);
    const timer = setTimeout(() => setShown(null), left);
    return () => clearTimeout(timer);
  }, [hint]);
  if (!shown) return null;
  return (
    <div className="input-hint" role="status" data-testid="input-hint">
      {shown}
    </div>
  );
}

function SearchBox({ session }: { session: string }) {
  const setUi = useApp((state) => state.setUi);
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const find = (backwards: boolean) => setMissing(!controllerOf(session)?.find(text, backwards));
  return (
    <form
      className="search-box"
      onSubmit={(event) => {
        event.preventDefault();
        find(false);
      }}
    >
      <input
        autoFocus
        value={text}
        placeholder="Search scrollback"
        aria-label="Search"
        className={missing ? 'missing' : ''}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setUi({ searchOpen: false });
          if (event.key === 'Enter' && event.shiftKey) {
            event.preventDefault();
            find(true);
          }
        }}
      />
      <button type="button" className="small" onClick={() => find(true)} title="Previous (Shift+Enter)">
        ↑
      </button>
      <button type="submit" className="small" title="Next (Enter)">
        ↓
      </button>
      <button
        type="button"
        className="small"
        onClick={() => setUi({ searchOpen: false })}
        aria-label="Close search"
      >
        ×
      </button>
    </form>
  );
}

/**
 * `session` is the pane's key: a session id of this window's hub, or `<hub id>/<session id>`. `slot` is the
 * layout's slot (-1: hidden), `cell` where the grid draws it (tab order, state/tabOrder.ts).
 */
export function TerminalPane(props: {
  session: string;
  slot: number;
  cell?: number;
  focused: boolean;
  shown: boolean;
}) {
  const { session, slot, focused } = props;
  const host = useRef<HTMLDivElement>(null);
  const visible = slot >= 0 && props.shown;
  const searchOpen = useApp((state) => state.ui.searchOpen && focused);
  const focusSlot = useApp((state) => state.focusSlot);
  const [activity, setActivity] = useState(false);
  const [menu, setMenu] = useState<MenuPlace | null>(null);

  useEffect(() => {
    const ref = paneRef(session);
    const controller = paneHost(ref.hub)?.ensureController(ref.session, paneMode(useApp.getState(), session));
    if (controller && host.current) controller.mount(host.current);
  }, [session]);

  useEffect(() => {
    const controller = controllerOf(session);
    if (!controller || !host.current) return;
    controller.setVisible(visible);
    if (!visible) return;
    // Fit once layout settles, then whenever the pane changes size.
    const observer = new ResizeObserver(() => controller.fit());
    observer.observe(host.current);
    return () => observer.disconnect();
  }, [session, visible]);

  useEffect(() => {
    if (focused && visible) controllerOf(session)?.focus();
  }, [focused, visible, session]);

  return (
    <section
      className={`pane${focused ? ' focused' : ''}${visible ? '' : ' offscreen'}`}
      style={visible ? { gridArea: `s${props.cell ?? slot}` } : undefined}
      data-pane={session}
      onMouseDown={() => visible && focusSlot(slot)}
    >
      <AttachBar session={session} onActivity={() => setActivity(!activity)} />
      <SizeBar pane={session} />
      {activity ? <ActivityPanel session={session} onClose={() => setActivity(false)} /> : null}
      <div
        className="terminal-host"
        ref={host}
        data-testid="terminal"
        onContextMenu={(event) => {
          event.preventDefault();
          // Placed in the pane (which clips), kept inside it near the pointer.
          const pane = (event.currentTarget.parentElement ?? event.currentTarget).getBoundingClientRect();
          setMenu({
            x: Math.max(0, Math.min(event.clientX - pane.left, pane.width - MENU_WIDTH)),
            y: Math.max(0, Math.min(event.clientY - pane.top, pane.height - MENU_HEIGHT)),
            selection: controllerOf(session)?.selection() ?? '',
          });
        }}
      />
      {menu ? <TerminalMenu session={session} place={menu} onClose={() => setMenu(null)} /> : null}
      <InputHint session={session} />
      {searchOpen ? <SearchBox session={session} /> : null}
    </section>
  );
}
