// The two directions of the wire: every client→hub and hub→client message, and the frame parser.
import { z } from 'zod';
import { HubError } from './errors.js';
import { builtSchema, lazySchema } from './messages/lazy.js';
import { SessionActivityResultSchema, SessionActivitySchema } from './messages/activity.js';
import { AuthOkSchema, AuthSchema } from './messages/auth.js';
import {
  ClientKickSchema,
  ConnectionClosingSchema,
  InviteCreateSchema,
  InviteCreatedSchema,
  InviteListResultSchema,
  InviteListSchema,
  InviteRevokeSchema,
  InviteRevokedSchema,
  JoinDecideSchema,
  JoinEventSchema,
  LanSetSchema,
  LanStateSchema,
} from './messages/invite.js';
import {
  AckSchema,
  AttachSchema,
  DetachSchema,
  ExitSchema,
  InputSchema,
  InterruptSchema,
  OutputSchema,
  ResizeSchema,
  ResizedSchema,
  ResyncSchema,
  TerminalKeySchema,
  SnapshotSchema,
} from './messages/attach.js';
import { RequestIdSchema } from './messages/base.js';
import { fastClientMessage, fastHubMessage, isRequestId } from './messages/fastPath.js';
import {
  InboxAnswerRequestSchema,
  InboxAnsweredSchema,
  InboxChangedSchema,
  InboxItemsSchema,
  InboxListSchema,
} from './messages/inbox.js';
import {
  LeaseEventSchema,
  LeaseGrantSchema,
  LeaseReleaseSchema,
  LeaseRequestSchema,
  LeaseTakeSchema,
} from './messages/lease.js';
import {
  NoticeEventSchema,
  NoticeListResultSchema,
  NoticeListSchema,
  NoticeReadSchema,
} from './messages/notice.js';
import { LoginCreateSchema, LoginCreatedSchema, PresenceEventSchema } from './messages/presence.js';
import { ErrorMessageSchema, OkSchema } from './messages/reply.js';
import {
  TaskCancelSchema,
  TaskDelegateSchema,
  TaskEventSchema,
  TaskGetSchema,
  TaskListResultSchema,
  TaskListSchema,
  TaskReplySchema,
  TaskRerouteSchema,
  TaskRetryResultSchema,
  TaskRetrySchema,
  WorktreeMergeResultSchema,
  WorktreeMergeSchema,
} from './messages/task.js';
import {
  SessionCreateSchema,
  SessionCreatedSchema,
  SessionDuplicateSchema,
  SessionEventSchema,
  SessionKillSchema,
  SessionListResultSchema,
  SessionListSchema,
  SessionRemoveSchema,
  SessionRenameSchema,
  SessionRestartSchema,
  SessionScreenResultSchema,
  SessionScreenSchema,
} from './messages/session.js';
import { TaskHistoryRequestSchema, TaskHistoryResultSchema } from './messages/taskHistory.js';

/**
 * A table of message schemas by their `type`; the type checker holds each key to its schema's literal (a
 * typo or a schema filed under another type is a compile error).
 */
type ByType<T> = { [K in keyof T]: z.ZodObject<{ type: z.ZodLiteral<K & string> } & z.ZodRawShape> };
const byType = <T extends ByType<T>>(table: T) => table;

/** Every client→hub message by type. The schemas are built on first use (messages/lazy.ts). */
export const clientMessagesByType = byType({
  auth: AuthSchema,
  'invite.create': InviteCreateSchema,
  'session.list': SessionListSchema,
  'session.create': SessionCreateSchema,
  'session.kill': SessionKillSchema,
  'session.remove': SessionRemoveSchema,
  'session.screen': SessionScreenSchema,
  attach: AttachSchema,
  detach: DetachSchema,
  'pty.ack': AckSchema,
  'pty.input': InputSchema,
  'pty.interrupt': InterruptSchema,
  'pty.resize': ResizeSchema,
  'lease.request': LeaseRequestSchema,
  'lease.release': LeaseReleaseSchema,
  'lease.grant': LeaseGrantSchema,
  'lease.take': LeaseTakeSchema,
  'task.delegate': TaskDelegateSchema,
  'task.list': TaskListSchema,
  'task.get': TaskGetSchema,
  'task.cancel': TaskCancelSchema,
  'task.reroute': TaskRerouteSchema,
  'task.retry': TaskRetrySchema,
  'worktree.merge': WorktreeMergeSchema,
  'login.create': LoginCreateSchema,
  'invite.list': InviteListSchema,
  'invite.revoke': InviteRevokeSchema,
  'client.kick': ClientKickSchema,
  'join.decide': JoinDecideSchema,
  'lan.set': LanSetSchema,
  'session.activity': SessionActivitySchema,
  'inbox.list': InboxListSchema,
  'inbox.answer': InboxAnswerRequestSchema,
  'notice.list': NoticeListSchema,
  'notice.read': NoticeReadSchema,
  'session.rename': SessionRenameSchema,
  'session.restart': SessionRestartSchema,
  'session.duplicate': SessionDuplicateSchema,
  'task.history': TaskHistoryRequestSchema,
});

/** Every hub→client message by type, built on first use like the client's. */
export const hubMessagesByType = byType({
  'auth.ok': AuthOkSchema,
  'invite.created': InviteCreatedSchema,
  ok: OkSchema,
  error: ErrorMessageSchema,
  'session.list.result': SessionListResultSchema,
  'session.created': SessionCreatedSchema,
  'session.screen.result': SessionScreenResultSchema,
  'session.event': SessionEventSchema,
  'pty.snapshot': SnapshotSchema,
  'pty.output': OutputSchema,
  'pty.resized': ResizedSchema,
  'pty.resync': ResyncSchema,
  'pty.exit': ExitSchema,
  'terminal.key': TerminalKeySchema,
  'lease.changed': LeaseEventSchema,
  'task.result': TaskReplySchema,
  'task.list.result': TaskListResultSchema,
  'task.event': TaskEventSchema,
  'task.retry.result': TaskRetryResultSchema,
  'worktree.merge.result': WorktreeMergeResultSchema,
  'session.presence': PresenceEventSchema,
  'login.created': LoginCreatedSchema,
  'invite.list.result': InviteListResultSchema,
  'invite.revoked': InviteRevokedSchema,
  'join.event': JoinEventSchema,
  'connection.closing': ConnectionClosingSchema,
  'lan.state': LanStateSchema,
  'session.activity.result': SessionActivityResultSchema,
  'inbox.items': InboxItemsSchema,
  'inbox.answered': InboxAnsweredSchema,
  'inbox.changed': InboxChangedSchema,
  'notice.list.result': NoticeListResultSchema,
  'notice.event': NoticeEventSchema,
  'task.history.result': TaskHistoryResultSchema,
});

type ClientSchemas = (typeof clientMessagesByType)[keyof typeof clientMessagesByType];
type HubSchemas = (typeof hubMessagesByType)[keyof typeof hubMessagesByType];

export const clientMessageSchemas = Object.values(clientMessagesByType) as [
  ClientSchemas,
  ...ClientSchemas[],
];
export const hubMessageSchemas = Object.values(hubMessagesByType) as [HubSchemas, ...HubSchemas[]];

/** The whole union, for callers that want one schema; the parsers below look the type up instead. */
export const ClientMessageSchema = lazySchema(() => z.discriminatedUnion('type', clientMessageSchemas));
export type ClientMessage = z.infer<typeof ClientMessageSchema>;
export type ClientMessageType = ClientMessage['type'];
export type ClientMessageOf<T extends ClientMessageType> = Extract<ClientMessage, { type: T }>;

export const HubMessageSchema = lazySchema(() => z.discriminatedUnion('type', hubMessageSchemas));
export type HubMessage = z.infer<typeof HubMessageSchema>;
export type HubMessageType = HubMessage['type'];
export type HubMessageOf<T extends HubMessageType> = Extract<HubMessage, { type: T }>;

/**
 * The schema of one message type, built now if it was not, or undefined for a type not in `table` (a Map:
 * a type such as "constructor" must not find Object's members).
 */
function schemaLookup<S extends object>(table: Record<string, S>): (type: string) => S | undefined {
  const byName = new Map(Object.entries(table));
  return (type) => {
    const schema = byName.get(type);
    return schema && builtSchema(schema);
  };
}
const clientSchemaOf = schemaLookup<ClientSchemas>(clientMessagesByType);
const hubSchemaOf = schemaLookup<HubSchemas>(hubMessagesByType);

/** Thrown by the parsers; carries the request id when the frame had a readable one. */
export class FrameError extends HubError {
  constructor(
    code: 'bad_frame' | 'unknown_type' | 'invalid_message',
    message: string,
    readonly replyTo?: z.infer<typeof RequestIdSchema>,
  ) {
    super(code, message);
  }
}

function readEnvelope(text: string): {
  type: string;
  id?: z.infer<typeof RequestIdSchema>;
  value: Record<string, unknown>;
} {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FrameError('bad_frame', 'Frame is not valid JSON; send one JSON object per message.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FrameError('bad_frame', 'Frame must be a JSON object with a string "type".');
  }
  const record = value as Record<string, unknown>;
  // RequestIdSchema's test by hand: every keystroke carries an id (fastPath.ts).
  const replyTo = isRequestId(record.id) ? record.id : undefined;
  if (typeof record.type !== 'string') {
    throw new FrameError('bad_frame', 'Frame must have a string "type".', replyTo);
  }
  return { type: record.type, id: replyTo, value: record };
}

/** A client's value quoted in an error: bounded, so a reply never echoes a huge input back. */
const quoted = (value: string) => JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);

/** The first issues of a refused message, in words, as a FrameError's message carries them. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(message)'}: ${issue.message}`)
    .join('; ')
    .slice(0, 400);
}

/** Parses one client frame; throws FrameError with a stable code for anything malformed. */
export function parseClientMessage(text: string): ClientMessage {
  const envelope = readEnvelope(text);
  const fast = fastClientMessage(envelope.value);
  if (fast) return fast;
  const schema = clientSchemaOf(envelope.type);
  if (!schema) {
    throw new FrameError('unknown_type', `Unknown message type ${quoted(envelope.type)}.`, envelope.id);
  }
  // What the union would do: a known type is checked by its own schema, whose words the error keeps.
  const parsed = schema.safeParse(envelope.value);
  if (!parsed.success) {
    throw new FrameError(
      'invalid_message',
      `Invalid ${quoted(envelope.type)} message: ${describeIssues(parsed.error)}.`,
      envelope.id,
    );
  }
  return parsed.data;
}

/** Parses one hub frame (used by clients, which trust the hub less than nothing: they validate too). */
export function parseHubMessage(text: string): HubMessage {
  const envelope = readEnvelope(text);
  const fast = fastHubMessage(envelope.value);
  if (fast) return fast;
  // A known type by its own schema, as the union would; an unknown one by the union, which words the error.
  const parsed = (hubSchemaOf(envelope.type) ?? HubMessageSchema).safeParse(envelope.value);
  if (!parsed.success) {
    throw new FrameError(
      'invalid_message',
      `Invalid hub message ${quoted(envelope.type)}: ${describeIssues(parsed.error)}.`,
    );
  }
  return parsed.data;
}
