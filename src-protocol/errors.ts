// Stable error codes shared by hub and clients: expected failures travel as data, never as thrown bugs.
import { z } from 'zod';
import { lazySchema } from './messages/lazy.js';

export const ErrorCodeSchema = lazySchema(() =>
  z.enum([
    'bad_frame', // not JSON, or not an object with a string `type`
    'frame_too_large', // over the hub's message size cap
    'unknown_type', // a `type` the hub does not know
    'invalid_message', // known `type`, wrong fields
    'unauthorized', // missing or wrong token
    'hub_unreachable', // no hub is running, or none answers where it should (clients raise it)
    'rate_limited', // too many failed attempts from this address
    'too_many_connections', // too many connections wait to authenticate (from this address, or in all)
    'not_allowed', // the caller's role does not permit this
    'lease_held', // another driver holds the input lease
    'unknown_session',
    'unknown_task',
    'unknown_item', // no inbox item has that id (never had, or it left long ago)
    'item_closed', // the inbox item was answered already, expired, or its session ended
    'task_delivered', // a re-route of a task already typed into its session: send a copy with retry
    'task_running', // a retry of a task still running: cancel it first, or retry with force
    'same_session', // a re-route to the session the task is already on
    'unknown_invite', // no live invite (or waiting join) has that id
    'revoked', // the invite this client joined with was revoked
    'fingerprint_mismatch', // the hub's certificate is not the one the invite link names (clients raise it)
    'unsupported_version', // the installed Claude Code is outside the supported range
    'ambiguous_session',
    'session_ended',
    'session_running', // restart of a session that still runs: kill it first, or duplicate it
    'not_attached',
    'name_taken',
    'command_not_found',
    'uncommitted_work', // the action would delete uncommitted work; repeat it with force to go ahead
    'budget_exceeded', // a worker budget (depth, workers per tree, concurrent workers, deadline) is used up
    'docker_unavailable', // the Docker daemon cannot be reached, or refused a request
    'image_not_found', // the worker image is not built (switchboard worker build), or a pod cannot pull it
    'kubernetes_unavailable', // no kubeconfig, no answer from the API server, or a pod that failed to start
    'session_limit', // the hub runs as many live sessions as it allows (--max-sessions)
    'too_large', // an upload (a pod worker's git bundle) over the hub's size cap
    'bad_bundle', // not a git bundle the hub's repository can take (garbage, missing commits, wrong branch)
    'not_fast_forward', // a pod worker's branch does not descend from the one the hub has
    'timeout',
    'internal',
  ]),
);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** Marks a HubError from any copy of this module (the CLI bundle and dist/ each have one; issue 12). */
const HUB_ERROR = Symbol.for('switchboard.HubError');

/** An expected failure with a stable code; the message says what to do next. */
export class HubError extends Error {
  readonly [HUB_ERROR] = true;

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HubError';
  }

  /** `instanceof HubError` holds across copies of the module; subclasses keep the ordinary check. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== HubError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return (
      typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[HUB_ERROR] === true
    );
  }
}
