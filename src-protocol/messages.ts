// The two directions of the wire: every client→hub and hub→client message, and the frame parser.
import { z } from 'zod';
import { HubError } from './errors.js';
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

export const clientMessageSchemas = [
  AuthSchema,
  InviteCreateSchema,
  SessionListSchema,
  SessionCreateSchema,
  SessionKillSchema,
  SessionRemoveSchema,
  SessionScreenSchema,
  AttachSchema,
  DetachSchema,
  AckSchema,
  InputSchema,
  InterruptSchema,
  ResizeSchema,
  LeaseRequestSchema,
  LeaseReleaseSchema,
  LeaseGrantSchema,
  LeaseTakeSchema,
  TaskDelegateSchema,
  TaskListSchema,
  TaskGetSchema,
  TaskCancelSchema,
  TaskRerouteSchema,
  TaskRetrySchema,
  WorktreeMergeSchema,
  LoginCreateSchema,
  InviteListSchema,
  InviteRevokeSchema,
  ClientKickSchema,
  JoinDecideSchema,
  LanSetSchema,
  SessionActivitySchema,
  InboxListSchema,
  InboxAnswerRequestSchema,
  NoticeListSchema,
  NoticeReadSchema,
  SessionRenameSchema,
  SessionRestartSchema,
  SessionDuplicateSchema,
  TaskHistoryRequestSchema,
] as const;

export const hubMessageSchemas = [
  AuthOkSchema,
  InviteCreatedSchema,
  OkSchema,
  ErrorMessageSchema,
  SessionListResultSchema,
  SessionCreatedSchema,
  SessionScreenResultSchema,
  SessionEventSchema,
  SnapshotSchema,
  OutputSchema,
  ResizedSchema,
  ResyncSchema,
  ExitSchema,
  LeaseEventSchema,
  TaskReplySchema,
  TaskListResultSchema,
  TaskEventSchema,
  TaskRetryResultSchema,
  WorktreeMergeResultSchema,
  PresenceEventSchema,
  LoginCreatedSchema,
  InviteListResultSchema,
  InviteRevokedSchema,
  JoinEventSchema,
  ConnectionClosingSchema,
  LanStateSchema,
  SessionActivityResultSchema,
  InboxItemsSchema,
  InboxAnsweredSchema,
  InboxChangedSchema,
  NoticeListResultSchema,
  NoticeEventSchema,
  TaskHistoryResultSchema,
] as const;

export const ClientMessageSchema = z.discriminatedUnion('type', clientMessageSchemas);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;
export type ClientMessageType = ClientMessage['type'];
export type ClientMessageOf<T extends ClientMessageType> = Extract<ClientMessage, { type: T }>;

export const HubMessageSchema = z.discriminatedUnion('type', hubMessageSchemas);
export type HubMessage = z.infer<typeof HubMessageSchema>;
export type HubMessageType = HubMessage['type'];
export type HubMessageOf<T extends HubMessageType> = Extract<HubMessage, { type: T }>;

const clientTypes = new Set<string>(clientMessageSchemas.map((schema) => schema.shape.type.value));

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

function describeIssues(error: z.ZodError): string {
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
  if (!clientTypes.has(envelope.type)) {
    throw new FrameError('unknown_type', `Unknown message type ${quoted(envelope.type)}.`, envelope.id);
  }
  const parsed = ClientMessageSchema.safeParse(envelope.value);
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
  const parsed = HubMessageSchema.safeParse(envelope.value);
  if (!parsed.success) {
    throw new FrameError(
      'invalid_message',
      `Invalid hub message ${quoted(envelope.type)}: ${describeIssues(parsed.error)}.`,
    );
  }
  return parsed.data;
}
