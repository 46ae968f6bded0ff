// The log cannot be grown without bound by strangers: fields cut, refusal bursts summed up, files rotated.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditLogger, fileLogger, LOG_LIMITS, memoryLogger } from './logger.js';

let directory: string | undefined;
afterEach(() => {
  if (directory) rmSync(directory, { recursive: true, force: true });
  directory = undefined;
});

describe('auditLogger', () => {
  it('cuts long string fields (a 4 KB Origin header is not copied whole)', () => {
    const inner = memoryLogger();
    const logger = auditLogger(inner);
    logger.event('session.created', { origin: 'o'.repeat(4096), count: 3 });
    const [event] = inner.events;
    expect(String(event!.origin).length).toBeLessThan(LOG_LIMITS.fieldChars + 30);
    expect(String(event!.origin)).toContain('(4096 chars)');
    expect(event!.count).toBe(3);
  });

  it('logs the first refusals of a burst per address, then one summary when the window ends', () => {
    let time = 1_000_000;
    const inner = memoryLogger();
    const logger = auditLogger(inner, () => time);
    for (let attempt = 0; attempt < 500; attempt++) logger.event('upgrade.refused', { address: '127.0.0.1' });
    logger.event('upgrade.refused', { address: '127.0.0.9' });
    for (let attempt = 0; attempt < 50; attempt++) logger.event('session.input', { address: '127.0.0.1' });
    const refused = inner.events.filter((event) => event.event === 'upgrade.refused');
    expect(refused).toHaveLength(LOG_LIMITS.burstEvents + 1);
    expect(inner.events.filter((event) => event.event === 'session.input')).toHaveLength(50);
    time += LOG_LIMITS.burstWindowMs;
    logger.event('upgrade.refused', { address: '127.0.0.1' });
    expect(inner.events.find((event) => event.event === 'log.burst')).toMatchObject({
      refused: 'upgrade.refused',
      address: '127.0.0.1',
      suppressed: 500 - LOG_LIMITS.burstEvents,
    });
    logger.close();
  });
});

describe('fileLogger', () => {
  it('rotates by size and keeps a few old files, each 0600', async () => {
    directory = mkdtempSync(join(tmpdir(), 'switchboard-log-'));
    const path = join(directory, 'hub.log');
    const logger = fileLogger(path, { maxBytes: 20_000, keep: 3 });
    for (let line = 0; line < 2_000; line++) {
      logger.event('test.line', { line, padding: 'p'.repeat(100) });
      if (line % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    logger.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const files = readdirSync(directory).sort();
    expect(files).toEqual(['hub.log', 'hub.log.1', 'hub.log.2', 'hub.log.3']);
    for (const file of files) {
      expect(statSync(join(directory, file)).size).toBeLessThan(40_000);
      expect(statSync(join(directory, file)).mode & 0o777).toBe(0o600);
    }
    const newest = readFileSync(path, 'utf8').trim().split('\n').at(-1)!;
    expect(JSON.parse(newest)).toMatchObject({ event: 'test.line', line: 1999 });
  });
});
