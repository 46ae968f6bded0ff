// The transcript reader: the last line of each message counts once, appended lines are read incrementally,
// a half-written line waits for its end, junk is skipped, and the cost follows each message's model.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contextWindow, estimateCost } from './prices.js';
import { TranscriptReader } from './transcript.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function transcript(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-transcript-'));
  dirs.push(dir);
  return join(dir, 'session.jsonl');
}

const assistant = (id: string, usage: Record<string, number>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'assistant', message: { id, model: 'claude-sonnet-4-5', usage }, ...extra }) + '\n';

describe('TranscriptReader', () => {
  it('counts each message once (its last line), and reads only what was appended', () => {
    const path = transcript();
    writeFileSync(
      path,
      JSON.stringify({ type: 'user', message: { content: 'hi' } }) +
        '\n' +
        assistant('m1', { input_tokens: 100, output_tokens: 1, cache_read_input_tokens: 1000 }) +
        assistant('m1', { input_tokens: 100, output_tokens: 50, cache_read_input_tokens: 1000 }),
    );
    const reader = new TranscriptReader(path);
    expect(reader.read()).toMatchObject({
      model: 'claude-sonnet-4-5',
      inputTokens: 100,
      outputTokens: 50,
      cacheReadTokens: 1000,
      contextTokens: 1100,
      messages: 1,
    });
    appendFileSync(
      path,
      assistant('m2', { input_tokens: 20, output_tokens: 5, cache_creation_input_tokens: 300 }),
    );
    expect(reader.read()).toMatchObject({
      inputTokens: 120,
      outputTokens: 55,
      cacheCreationTokens: 300,
      contextTokens: 320,
      messages: 2,
    });
  });

  it('waits for the end of a half-written line, and skips junk', () => {
    const path = transcript();
    const line = assistant('m1', { input_tokens: 7, output_tokens: 3 });
    writeFileSync(path, 'not json but "usage"\n' + line.slice(0, 20));
    const reader = new TranscriptReader(path);
    expect(reader.read().messages).toBe(0);
    appendFileSync(path, line.slice(20));
    expect(reader.read()).toMatchObject({ inputTokens: 7, outputTokens: 3, messages: 1 });
  });

  it('adds sidechain (subagent) use to the totals but takes the context from the main conversation', () => {
    const path = transcript();
    writeFileSync(
      path,
      assistant('main', { input_tokens: 500, output_tokens: 10 }) +
        assistant('side', { input_tokens: 9000, output_tokens: 10 }, { isSidechain: true }),
    );
    expect(new TranscriptReader(path).read()).toMatchObject({ inputTokens: 9500, contextTokens: 500 });
  });

  it('reads a missing file as nothing, and starts over when the file was rewritten shorter', () => {
    const path = transcript();
    const reader = new TranscriptReader(path);
    expect(reader.read().messages).toBe(0);
    writeFileSync(path, assistant('a', { input_tokens: 1, output_tokens: 1 }).repeat(3));
    expect(reader.read().messages).toBe(1);
    writeFileSync(path, assistant('b', { input_tokens: 2, output_tokens: 2 }));
    expect(reader.read()).toMatchObject({ messages: 1, inputTokens: 2 });
  });

  it('prices each message at its model and gives no estimate for a model the table does not know', () => {
    const path = transcript();
    writeFileSync(path, assistant('m', { input_tokens: 1_000_000, output_tokens: 1_000_000 }));
    expect(new TranscriptReader(path).read().costUsd).toBe(18); // $3 in + $15 out
    appendFileSync(
      path,
      JSON.stringify({
        type: 'assistant',
        message: { id: 'x', model: 'claude-scripted', usage: { input_tokens: 1 } },
      }) + '\n',
    );
    expect(new TranscriptReader(path).read().costUsd).toBeNull();
  });
});

describe('prices', () => {
  it('prices cache reads and writes off the input price', () => {
    const tokens = {
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 1_000_000,
      cacheCreationTokens: 1_000_000,
    };
    expect(estimateCost('claude-opus-4-5-20251101', tokens)).toBeCloseTo(5 * 0.1 + 5 * 1.25);
    expect(
      estimateCost('claude-haiku-4-5', {
        ...tokens,
        cacheReadTokens: 0,
        cacheCreationTokens: 0,
        outputTokens: 2_000_000,
      }),
    ).toBe(10);
    expect(estimateCost(null, tokens)).toBeNull();
  });

  it('knows the long-context windows', () => {
    expect(contextWindow('claude-sonnet-4-5[1m]')).toBe(1_000_000);
    expect(contextWindow('claude-sonnet-4-5')).toBe(200_000);
    expect(contextWindow(null)).toBeNull();
    // The transcript drops "[1m]": a prompt past 200 k shows the session has the 1 M window.
    expect(contextWindow('claude-sonnet-4-5-20250929', 200_000)).toBe(200_000);
    expect(contextWindow('claude-sonnet-4-5-20250929', 350_000)).toBe(1_000_000);
  });
});
