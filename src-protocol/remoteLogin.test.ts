import { describe, expect, it } from 'vitest';
import { logInOver } from './remoteLogin.js';
import { linkedTransports } from './transport.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('logInOver', () => {
  it('sends auth first, resolves with the welcome, and keeps frames until someone listens', async () => {
    const [client, hub] = linkedTransports();
    const seen: string[] = [];
    hub.onMessage((frame) => {
      seen.push(frame);
      const { id } = JSON.parse(frame) as { id: number };
      hub.send(
        JSON.stringify({ type: 'auth.ok', replyTo: id, clientId: 'c-1', role: 'observer', hubVersion: '1' }),
      );
      hub.send('{"type":"session.event","early":true}');
    });
    const { welcome, transport } = await logInOver(client, 'sbi_token', 'desktop');
    expect(JSON.parse(seen[0]!)).toEqual({ id: 1, type: 'auth', token: 'sbi_token', client: 'desktop' });
    expect(welcome).toMatchObject({ clientId: 'c-1', role: 'observer' });
    await tick();
    const later: string[] = [];
    transport.onMessage((frame) => later.push(frame));
    expect(later).toEqual(['{"type":"session.event","early":true}']);
    hub.send('{"type":"x"}');
    await tick();
    expect(later).toHaveLength(2);
  });

  it("rejects with the hub's code and message, and closes the connection", async () => {
    const [client, hub] = linkedTransports();
    let closed = false;
    hub.onClose(() => (closed = true));
    hub.onMessage(() =>
      hub.send(
        JSON.stringify({ type: 'error', replyTo: 1, code: 'revoked', message: 'The invite was revoked.' }),
      ),
    );
    await expect(logInOver(client, 'sbi_token', 'web')).rejects.toMatchObject({
      code: 'revoked',
      message: 'The invite was revoked.',
    });
    expect(closed).toBe(true);
  });

  it('rejects when the hub hangs up first, or never answers', async () => {
    const [client, hub] = linkedTransports();
    hub.onMessage(() => hub.close());
    await expect(logInOver(client, 'sbi_token', 'web')).rejects.toMatchObject({ code: 'hub_unreachable' });
    const [silent] = linkedTransports();
    await expect(logInOver(silent, 'sbi_token', 'web', 30)).rejects.toMatchObject({ code: 'timeout' });
  });
});
