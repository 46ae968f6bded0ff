// An inbox item as the hub sends it, for the renderer's and the desktop's unit tests.
import type { InboxItem } from '../../src-protocol/index.js';

export const inboxItem = (id: string, patch: Partial<InboxItem> = {}): InboxItem => ({
  id,
  kind: 'permission',
  session: 's1',
  sessionName: 'lead',
  title: 'Bash: touch done.txt',
  tool: 'Bash',
  input: { command: 'touch done.txt' },
  since: '2026-12-01T04:00:00.000Z',
  readOnly: false,
  ...patch,
});
