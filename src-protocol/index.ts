// The Switchboard protocol: schemas of every message, error codes, Transport and HubClient.
export * from './errors.js';
export * from './inviteLink.js';
export * from './remoteLogin.js';
export * from './messages.js';
export * from './messages/activity.js';
export * from './messages/attach.js';
export * from './messages/auth.js';
export * from './messages/base.js';
export * from './messages/invite.js';
export * from './messages/lease.js';
export * from './messages/presence.js';
export * from './messages/reply.js';
export * from './messages/session.js';
export * from './messages/task.js';
export * from './transport.js';
export * from './hubClient.js';
