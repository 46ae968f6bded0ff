// The shape of the handler table: one function per client message type, given the connection it came on.
import type { ClientMessageOf, ClientMessageType, HubMessage, RequestId } from '../../src-protocol/index.js';
import type { ClientConnection } from './context.js';

export type Handler<T extends ClientMessageType> = (
  connection: ClientConnection,
  message: ClientMessageOf<T>,
) => HubMessage | void | Promise<HubMessage | void>;
export type HandlerTable = { [T in ClientMessageType]: Handler<T> };

/** The plain acknowledgement of a request. */
export const ok = (id: RequestId): HubMessage => ({ type: 'ok', replyTo: id });
