// Timings taken inside the hub process (bench/budgets.mjs): wraps the handler table's `attach` and
// `task.delegate` entries and the router's `delivered`, and notes when each frame reached its connection.
// Only the bench's hub process loads this; the hub's code is untouched and runs as it always does.
import { performance } from 'node:perf_hooks';
import { Connection } from '../../dist/src-hub/net/connection.js';
import { handlers } from '../../dist/src-hub/net/handlers.js';
import { Session } from '../../dist/src-hub/sessions/session.js';

const SNAPSHOT_PREFIX = '{"type":"pty.snapshot"';
const MAX_RECORDS = 10_000;
const received = new WeakMap();

/**
 * attach: from the attach frame reaching its connection (before it is parsed and validated) until the
 * WebSocket's send of the pty.snapshot frame returned (`snapshotMs`), and of that the session's mirror
 * snapshot (waiting for the parser, serializing; `mirrorMs`). Attaches are assumed one at a time.
 * delegate: from the task.delegate frame reaching its connection to the handler's reply (task queued),
 * and to the router marking the task delivered, which the prompt injector does right after it wrote the
 * instructions into the target's pty.
 */
export function instrumentHub(hub) {
  const records = { attach: [], delegate: [] };
  const byTask = new Map();
  const push = (list, record) => list.length < MAX_RECORDS && list.push(record);

  const receive = Connection.prototype.receive;
  Connection.prototype.receive = function (frame) {
    received.set(this, performance.now());
    return receive.call(this, frame);
  };

  let attaching;
  const snapshot = Session.prototype.snapshot;
  Session.prototype.snapshot = function () {
    const record = attaching;
    const start = performance.now();
    return snapshot.call(this).then((result) => {
      if (record && record.mirrorMs === null) record.mirrorMs = performance.now() - start;
      return result;
    });
  };

  const attach = handlers.attach;
  handlers.attach = async (connection, message) => {
    const start = received.get(connection) ?? performance.now();
    const record = {
      session: message.session,
      handlerMs: performance.now() - start,
      mirrorMs: null,
      snapshotMs: null,
    };
    attaching = record;
    const endpoint = connection.endpoint;
    const send = endpoint.send;
    endpoint.send = (frame) => {
      const result = send(frame);
      if (record.snapshotMs === null && frame.startsWith(SNAPSHOT_PREFIX)) {
        record.snapshotMs = performance.now() - start;
        record.frameChars = frame.length;
      }
      return result;
    };
    try {
      return await attach(connection, message);
    } finally {
      endpoint.send = send;
      attaching = undefined;
      push(records.attach, record);
    }
  };

  const delegate = handlers['task.delegate'];
  handlers['task.delegate'] = async (connection, message) => {
    const start = received.get(connection) ?? performance.now();
    const reply = await delegate(connection, message);
    const record = { task: reply.task.id, start, queuedMs: performance.now() - start, deliveredMs: null };
    byTask.set(reply.task.id, record);
    push(records.delegate, record);
    return reply;
  };

  const delivered = hub.router.delivered.bind(hub.router);
  hub.router.delivered = (taskId) => {
    const record = byTask.get(taskId);
    if (record) {
      record.deliveredMs = performance.now() - record.start;
      byTask.delete(taskId);
    }
    return delivered(taskId);
  };

  return {
    /** The records so far, emptied. */
    take() {
      return {
        attach: records.attach.splice(0),
        delegate: records.delegate.splice(0).map(({ start: _start, ...record }) => record),
      };
    },
  };
}
