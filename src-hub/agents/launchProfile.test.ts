// The launch profile: flags per session, hooks only through --settings, tokens only through the environment.
import { describe, expect, it } from 'vitest';
import { resolveAgentConfig } from './config.js';
import { buildClaudeLaunch, HTTP_HOOK_EVENTS } from './launchProfile.js';
import { profileFor, SUPPORTED_VERSIONS } from './version.js';

const launch = (config = resolveAgentConfig({}, {})) =>
  buildClaudeLaunch({
    hubUrl: 'http://127.0.0.1:7317',
    claudeSessionId: '11111111-2222-4333-8444-555555555555',
    token: 'sbs_secret',
    config,
    profile: profileFor('2.1.331'),
    nodePath: '/usr/bin/node',
  });

const valueOf = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('buildClaudeLaunch', () => {
  it('passes session id, the hub MCP server named switchboard, hooks, system prompt and allowed tools', () => {
    const { command, args, env } = launch();
    expect(command).toBe('claude');
    expect(valueOf(args, '--session-id')).toBe('11111111-2222-4333-8444-555555555555');
    const mcp = JSON.parse(valueOf(args, '--mcp-config')!) as {
      mcpServers: Record<string, { url: string; headers: Record<string, string> }>;
    };
    expect(mcp.mcpServers.switchboard).toEqual({
      type: 'http',
      url: 'http://127.0.0.1:7317/mcp',
      headers: { Authorization: 'Bearer ${SWITCHBOARD_SESSION_TOKEN}' },
    });
    const settings = JSON.parse(valueOf(args, '--settings')!) as {
      hooks: Record<string, Array<{ hooks: Array<{ type: string; url?: string }> }>>;
    };
    for (const event of HTTP_HOOK_EVENTS)
      expect(settings.hooks[event]![0]!.hooks[0]).toMatchObject({
        type: 'http',
        url: 'http://127.0.0.1:7317/hooks',
      });
    expect(settings.hooks.SessionStart![0]!.hooks[0]!.type).toBe('command'); // HTTP hooks are skipped there
    expect(valueOf(args, '--append-system-prompt')).toContain('report_result');
    expect(valueOf(args, '--allowedTools')).toBe('mcp__switchboard');
    expect(env).toMatchObject({
      SWITCHBOARD_SESSION_TOKEN: 'sbs_secret',
      SWITCHBOARD_HOOK_URL: 'http://127.0.0.1:7317/hooks',
    });
    expect(args.join(' ')).not.toContain('sbs_secret'); // never on the command line, where `ps` shows it
  });

  it('issue 9: ends with no prompt: the first input is typed in, never shown in `ps`', () => {
    const { args } = launch();
    expect(args).not.toContain('--');
    expect(args.at(-1)).toBe('mcp__switchboard');
  });

  it("a worker tree's allowed tools join the hub's under one --allowedTools, one argument per rule", () => {
    const { args } = buildClaudeLaunch({
      hubUrl: 'http://127.0.0.1:7317',
      claudeSessionId: 'x',
      token: 't',
      config: resolveAgentConfig({}, {}),
      profile: profileFor('2.1.331'),
      nodePath: 'node',
      allowedTools: ['Bash(npm test)', 'Edit'],
    });
    expect(args.filter((arg) => arg === '--allowedTools')).toHaveLength(1);
    expect(args.slice(args.indexOf('--allowedTools'))).toEqual([
      '--allowedTools',
      'mcp__switchboard',
      'Bash(npm test)',
      'Edit',
    ]);
  });

  it('honours configuration: extra args first, no allowed tools, a permission mode per profile', () => {
    const config = resolveAgentConfig(
      {},
      {
        SWITCHBOARD_CLAUDE_BIN: '/opt/claude',
        SWITCHBOARD_CLAUDE_ARGS: '["--model","sonnet"]',
        SWITCHBOARD_CLAUDE_ALLOW_HUB_TOOLS: '0',
        SWITCHBOARD_PERMISSION_MODE: 'manual',
      },
    );
    const { command, args } = launch(config);
    expect(command).toBe('/opt/claude');
    expect(args.slice(0, 2)).toEqual(['--model', 'sonnet']);
    expect(args).not.toContain('--allowedTools');
    expect(valueOf(args, '--permission-mode')).toBe('manual');
    const legacy = buildClaudeLaunch({
      hubUrl: 'http://h:1',
      claudeSessionId: 'x',
      token: 't',
      config,
      profile: profileFor('2.1.197'),
      nodePath: 'node',
    });
    expect(valueOf(legacy.args, '--permission-mode')).toBe('default');
  });
});

describe('version profiles', () => {
  it('supports 2.1.197 and 2.1.331, and names the supported range otherwise', () => {
    expect(profileFor('2.1.197').manualMode).toBe('default');
    expect(profileFor('2.1.331 (Claude Code)').manualMode).toBe('manual');
    expect(() => profileFor('2.0.5')).toThrow(SUPPORTED_VERSIONS);
    expect(() => profileFor('3.0.0')).toThrow(/supports 2\.1\.197/);
  });
});
