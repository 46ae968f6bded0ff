// The worker agent's first-run seed (reference/claude-code.md §8): merged into an existing config, never lost.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seedClaudeConfig } from './agent.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('seedClaudeConfig', () => {
  it('answers onboarding, folder trust and the API key question; merges with what Claude Code wrote', () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchboard-seed-'));
    directories.push(directory);
    writeFileSync(
      join(directory, '.claude.json'),
      JSON.stringify({ numStartups: 3, projects: { '/other': { x: 1 } } }),
    );
    seedClaudeConfig(directory, '/workspace', 'sk-ant-0123456789abcdefghijKLMNOPQRST');
    const config = JSON.parse(readFileSync(join(directory, '.claude.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(config).toMatchObject({
      numStartups: 3,
      hasCompletedOnboarding: true,
      projects: { '/other': { x: 1 }, '/workspace': { hasTrustDialogAccepted: true } },
      customApiKeyResponses: { approved: ['abcdefghijKLMNOPQRST'], rejected: [] },
    });
    const settings = JSON.parse(readFileSync(join(directory, 'settings.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(settings).toEqual({ skipDangerousModePermissionPrompt: true });
    seedClaudeConfig(directory, '/workspace', 'sk-ant-0123456789abcdefghijKLMNOPQRST');
    const again = JSON.parse(readFileSync(join(directory, '.claude.json'), 'utf8')) as {
      customApiKeyResponses: { approved: string[] };
    };
    expect(again.customApiKeyResponses.approved).toHaveLength(1);
  });
});
