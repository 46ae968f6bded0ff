// A worker tree's policy (issue 11): the tools its Claude sessions run without asking, passed to Claude Code
// as `--allowedTools`; everything else asks through the hub's inbox. The tree's root sets it; a child
// inherits its parent's, and may narrow it but never widen it (a worker cannot allow itself more).
import { HubError } from '../../src-protocol/index.js';

/**
 * The tools a new worker may run without asking. `inherited` is the parent worker's list (undefined for a
 * new tree, started by the owner or a session on the hub's machine); `asked` is what the start request names.
 */
export function treeAllowedTools(
  inherited: string[] | undefined,
  asked: string[] | undefined,
  isChild: boolean,
): string[] | undefined {
  if (!isChild) return asked && asked.length > 0 ? [...new Set(asked)] : undefined;
  if (!asked) return inherited;
  const beyond = asked.filter((tool) => !inherited?.includes(tool));
  if (beyond.length > 0)
    throw new HubError(
      'not_allowed',
      `A worker may only narrow its tree's allowed tools, and ${beyond.map((tool) => `"${tool}"`).join(', ')} ` +
        `${beyond.length === 1 ? 'is' : 'are'} not among them (${inherited?.map((tool) => `"${tool}"`).join(', ') || 'none'}); ` +
        'leave allowed_tools out to inherit them, or ask the owner to start the tree with more.',
    );
  return [...new Set(asked)];
}
