// HubError is recognised across copies of the protocol module (the CLI bundle beside dist/; issue 12).
import { describe, expect, it } from 'vitest';
import { HubError } from './errors.js';
import { FrameError } from './messages.js';

describe('HubError instanceof', () => {
  it('holds for a HubError made by another copy of the module, and not for other errors', () => {
    const fromOtherCopy = Object.assign(new Error('No hub.'), {
      code: 'hub_unreachable',
      [Symbol.for('switchboard.HubError')]: true,
    });
    expect(fromOtherCopy instanceof HubError).toBe(true);
    expect(new HubError('timeout', 'late') instanceof HubError).toBe(true);
    expect(new Error('bug') instanceof HubError).toBe(false);
    expect((null as unknown) instanceof HubError).toBe(false);
  });

  it('leaves subclasses their ordinary check', () => {
    expect(new HubError('bad_frame', 'x') instanceof FrameError).toBe(false);
    expect(new FrameError('bad_frame', 'x') instanceof HubError).toBe(true);
  });
});
