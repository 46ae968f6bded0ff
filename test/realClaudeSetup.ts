// What ring-3 tests with the pinned Claude Code need: a seeded, isolated CLAUDE_CONFIG_DIR (reference §8)
// and the environment that points Claude Code at the scripted model on 127.0.0.1.
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CLAUDE = resolve('node_modules/.bin/claude');
export const API_KEY = 'sk-ant-scripted-0123456789abcdefghij';

export function requireClaude(): void {
  if (!existsSync(CLAUDE)) throw new Error(`Claude Code is not installed at ${CLAUDE}; run npm ci.`);
}

/** Onboarding done, the given directories trusted, the API key approved: no first-run dialog. */
export function seedClaudeConfig(
  directory: string,
  trusted: string[],
  extra: Record<string, unknown> = {},
): void {
  const projects = Object.fromEntries(trusted.map((path) => [path, { hasTrustDialogAccepted: true }]));
  writeFileSync(
    join(directory, '.claude.json'),
    JSON.stringify({
      hasCompletedOnboarding: true,
      projects,
      customApiKeyResponses: { approved: [API_KEY.slice(-20)], rejected: [] },
      ...extra,
    }),
  );
}

export const scriptedClaudeEnv = (modelUrl: string, configDir: string) => ({
  ANTHROPIC_BASE_URL: modelUrl,
  ANTHROPIC_API_KEY: API_KEY,
  CLAUDE_CONFIG_DIR: configDir,
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  DISABLE_AUTOUPDATER: '1',
});
