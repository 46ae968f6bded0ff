// The inbox's store: the open items (each with the way to answer it, given by the part that made it),
// and a short memory of closed ones, so answering twice says "already answered" rather than "unknown".
// Changes are one event (`onDidChangeItem`): the audit trail records them, fan-out sends them on.
import { randomBytes } from 'node:crypto';
import {
  HubError,
  type InboxAnswer,
  type InboxChanged,
  type InboxItem,
  type InboxKind,
} from '../../src-protocol/index.js';
import { Emitter, type Event } from '../events.js';

/** An item as the hub keeps it: the same for every viewer (`readOnly` is added per viewer). */
export type InboxRecord = Omit<InboxItem, 'readOnly'>;
export type Answerer = NonNullable<InboxChanged['answeredBy']>;
export type RemovalReason = NonNullable<InboxChanged['reason']>;

/** What answering did: said in words; `keepOpen` leaves the item (a merge that met a conflict). */
export interface AnswerResult {
  message: string;
  outcome?: 'merged' | 'rebased' | 'discarded' | 'conflict';
  keepOpen?: boolean;
}

export interface InboxEntry {
  item: InboxRecord;
  /** Carries the answer out; throws HubError when it does not fit (the item stays open). */
  answer(answer: InboxAnswer, by: Answerer): Promise<AnswerResult> | AnswerResult;
  /** The item leaves without an answer from the inbox (expired, answered elsewhere, session ended). */
  closed?(reason: RemovalReason): void;
}

export interface InboxChange {
  kind: 'added' | 'updated' | 'removed';
  item: InboxRecord;
  reason?: RemovalReason;
  answeredBy?: Answerer;
  /** The answer that removed it (for the audit trail). */
  answer?: InboxAnswer;
}

/** Which answers fit which kind of item. */
const ACTIONS: Record<InboxKind, ReadonlyArray<InboxAnswer['action']>> = {
  permission: ['allow', 'deny'],
  dialog: ['choose'],
  question: ['reply'],
  review: ['merge'],
  fault: ['dismiss'],
};

/** How many closed items are remembered for a clear "already answered" (the oldest are forgotten). */
const CLOSED_MEMORY = 500;

export class Inbox {
  private readonly open = new Map<string, InboxEntry>();
  private readonly answering = new Set<string>();
  private readonly closedItems = new Map<string, string>();
  private readonly changed = new Emitter<InboxChange>();
  readonly onDidChangeItem: Event<InboxChange> = this.changed.event;
  private counter = 0;

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** A fresh id: short enough to type (`switchboard allow in-7k2…`), unique within this hub's run. */
  newId(): string {
    this.counter += 1;
    const random = randomBytes(3).toString('hex');
    return `in-${this.counter.toString(36)}${random}`;
  }

  since(): string {
    return new Date(this.now()).toISOString();
  }

  add(entry: InboxEntry): void {
    this.open.set(entry.item.id, entry);
    this.changed.fire({ kind: 'added', item: entry.item });
  }

  update(id: string, patch: Partial<InboxRecord>): void {
    const entry = this.open.get(id);
    if (!entry) return;
    entry.item = { ...entry.item, ...patch, id };
    this.changed.fire({ kind: 'updated', item: entry.item });
  }

  /** Removes an open item; the part that made it hears `closed` unless the inbox answered it. */
  remove(id: string, reason: RemovalReason, answeredBy?: Answerer, answer?: InboxAnswer): void {
    const entry = this.open.get(id);
    if (!entry) return;
    this.open.delete(id);
    this.remember(id, reason, answeredBy);
    if (reason !== 'answered') entry.closed?.(reason);
    this.changed.fire({
      kind: 'removed',
      item: entry.item,
      reason,
      ...(answeredBy ? { answeredBy } : {}),
      ...(answer ? { answer } : {}),
    });
  }

  get(id: string): InboxEntry | undefined {
    return this.open.get(id);
  }

  list(): InboxRecord[] {
    return [...this.open.values()].map((entry) => entry.item);
  }

  /** Open items of one session, optionally of one kind. */
  of(session: string, kind?: InboxKind): InboxRecord[] {
    return this.list().filter((item) => item.session === session && (!kind || item.kind === kind));
  }

  /** An open item by id or unique id prefix; a coded error says what became of one that closed. */
  resolve(reference: string, visible: (item: InboxRecord) => boolean = () => true): InboxEntry {
    const exact = this.open.get(reference);
    if (exact && visible(exact.item)) return exact;
    const matches = [...this.open.values()].filter(
      (entry) => entry.item.id.startsWith(reference) && visible(entry.item),
    );
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1)
      throw new HubError(
        'unknown_item',
        `"${reference}" matches ${matches.length} items; give more of the id.`,
      );
    const closed = this.closedItems.get(reference);
    if (closed) throw new HubError('item_closed', `Item ${reference} is no longer open: ${closed}.`);
    throw new HubError(
      'unknown_item',
      `No open inbox item "${reference}"; \`switchboard inbox\` lists them.`,
    );
  }

  /** Answers an open item once: a second answer (even one racing the first) is refused. */
  async answer(entry: InboxEntry, answer: InboxAnswer, by: Answerer): Promise<AnswerResult> {
    const { item } = entry;
    if (!ACTIONS[item.kind].includes(answer.action))
      throw new HubError(
        'invalid_message',
        `A ${item.kind} item is answered with ${ACTIONS[item.kind].join(' or ')}, not ${answer.action}.`,
      );
    if (this.answering.has(item.id) || this.open.get(item.id) !== entry)
      throw new HubError('item_closed', `Item ${item.id} is being answered or was answered already.`);
    this.answering.add(item.id);
    try {
      const result = await entry.answer(answer, by);
      if (!result.keepOpen) this.remove(item.id, 'answered', by, answer);
      return result;
    } finally {
      this.answering.delete(item.id);
    }
  }

  dispose(): void {
    for (const id of [...this.open.keys()]) this.remove(id, 'gone');
    this.changed.dispose();
  }

  private remember(id: string, reason: RemovalReason, by: Answerer | undefined): void {
    const words: Record<RemovalReason, string> = {
      answered: `answered by ${by?.name ?? 'someone'}`,
      answered_in_terminal: "answered in the session's terminal",
      expired: "it waited too long; Claude Code's own prompt took over",
      session_ended: 'its session ended',
      gone: 'it went away',
    };
    this.closedItems.set(id, words[reason]);
    if (this.closedItems.size > CLOSED_MEMORY) {
      const oldest = this.closedItems.keys().next().value;
      if (oldest !== undefined) this.closedItems.delete(oldest);
    }
  }
}
