// The environment of a worker's Claude, the same for every runtime (Docker containers, Kubernetes pods):
// the hub's own ANTHROPIC_* settings, the launch profile's variables, the hub's URL, a colour terminal, and
// whatever the session asked for last.

export function workerEnvironment(
  hubEnv: NodeJS.ProcessEnv,
  claudeEnv: Record<string, string>,
  hubUrl: string,
  requested: Record<string, string> | undefined,
): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const [key, value] of Object.entries(hubEnv))
    if (value !== undefined && key.startsWith('ANTHROPIC_')) passed[key] = value;
  return {
    ...passed,
    ...claudeEnv,
    SWITCHBOARD_HUB_URL: hubUrl,
    TERM: 'xterm-256color',
    COLORTERM: 'truecolor',
    ...requested,
  };
}
