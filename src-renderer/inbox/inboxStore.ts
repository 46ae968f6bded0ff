// The inbox store (zustand): the projection of the hub's inbox messages plus the panel's own state (open,
// a result or error line). Kept apart from the app store so the inbox's changes stay in its own files.
import { create } from 'zustand';
import type { HubMessage } from '../../src-protocol/index.js';
import {
  applyInboxEvent,
  disconnectedInbox,
  initialInboxState,
  moveSelection,
  type InboxState,
} from './inboxState.js';

export interface InboxStore {
  inbox: InboxState;
  /** The Inbox panel is showing. */
  open: boolean;
  /** The last answer's outcome in words, or why it was refused. */
  status: { text: string; error: boolean } | null;
  apply: (message: HubMessage) => void;
  disconnected: () => void;
  move: (delta: number) => void;
  select: (item: string) => void;
  setOpen: (open: boolean) => void;
  setStatus: (status: InboxStore['status']) => void;
}

export const useInbox = create<InboxStore>()((set) => ({
  inbox: initialInboxState,
  open: false,
  status: null,
  apply: (message) =>
    set((state) => {
      const inbox = applyInboxEvent(state.inbox, message, Date.now());
      return inbox === state.inbox ? state : { inbox };
    }),
  disconnected: () => set((state) => ({ inbox: disconnectedInbox(state.inbox) })),
  move: (delta) => set((state) => ({ inbox: moveSelection(state.inbox, delta) })),
  select: (item) =>
    set((state) => (item in state.inbox.items ? { inbox: { ...state.inbox, selected: item } } : state)),
  setOpen: (open) => set({ open }),
  setStatus: (status) => set({ status }),
}));
