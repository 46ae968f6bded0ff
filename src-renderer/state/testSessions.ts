// A session as the hub reports it, for the renderer's unit tests: idle Claude in /repo unless patched.
import type { SessionInfo } from '../../src-protocol/index.js';

export const sessionInfo = (id: string, patch: Partial<SessionInfo> = {}): SessionInfo => ({
  id,
  name: id,
  kind: 'claude',
  cwd: '/repo',
  command: 'claude',
  args: [],
  status: 'idle',
  pid: 1,
  cols: 80,
  rows: 24,
  createdAt: '2026-11-26T04:00:00.000Z',
  endedAt: null,
  exitCode: null,
  signal: null,
  clients: 0,
  leaseHolder: null,
  worktree: null,
  ...patch,
});
