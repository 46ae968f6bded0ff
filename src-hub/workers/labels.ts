// The labels a worker container carries: enough to find this hub's containers, rebuild each worker's place
// in its tree after a hub restart, and recognise its session token (by hash) again.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkerInfo } from '../../src-protocol/index.js';

export const LABEL = {
  hub: 'switchboard.hub',
  session: 'switchboard.session',
  name: 'switchboard.name',
  task: 'switchboard.task',
  parent: 'switchboard.parent',
  root: 'switchboard.root',
  depth: 'switchboard.depth',
  ordinal: 'switchboard.ordinal',
  deadline: 'switchboard.deadline',
  repo: 'switchboard.repo',
  tokenHash: 'switchboard.token-sha256',
  cols: 'switchboard.cols',
  rows: 'switchboard.rows',
  allowedTools: 'switchboard.allowed-tools',
} as const;

/** Set on the worker image by its Dockerfile: which Claude Code it carries. */
export const IMAGE_LABEL = {
  worker: 'switchboard.worker-image',
  claudeVersion: 'switchboard.claude-version',
};

export interface WorkerRecord extends WorkerInfo {
  session: string;
  name: string;
  /** The n-th worker of its tree (1 for the root): restores the tree's count after a restart. */
  ordinal: number;
  deadlineAt: number;
  tokenHash: string;
  cols: number;
  rows: number;
}

/** The hub id kept in a state directory, if a hub has run there. */
export function readHubId(stateDir: string): string | undefined {
  try {
    return readFileSync(join(stateDir, 'hub-id'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** A stable id for this hub, kept in its state directory: containers say which hub started them. */
export function hubId(stateDir: string): string {
  const path = join(stateDir, 'hub-id');
  const existing = readHubId(stateDir);
  if (existing) return existing;
  const id = randomUUID();
  writeFileSync(path, `${id}\n`, { mode: 0o600 });
  return id;
}

export function labelsFor(hub: string, record: WorkerRecord): Record<string, string> {
  return {
    [LABEL.hub]: hub,
    [LABEL.session]: record.session,
    [LABEL.name]: record.name,
    [LABEL.task]: record.task ?? '',
    [LABEL.parent]: record.parent ?? '',
    [LABEL.root]: record.root,
    [LABEL.depth]: String(record.depth),
    [LABEL.ordinal]: String(record.ordinal),
    [LABEL.deadline]: new Date(record.deadlineAt).toISOString(),
    [LABEL.repo]: record.repo,
    [LABEL.tokenHash]: record.tokenHash,
    [LABEL.cols]: String(record.cols),
    [LABEL.rows]: String(record.rows),
    ...(record.allowedTools ? { [LABEL.allowedTools]: JSON.stringify(record.allowedTools) } : {}),
  };
}

/** The tree's auto-allowed tools from their label; a label that is not a list of strings allows none. */
function allowedToolsFrom(label: string | undefined): string[] | undefined {
  if (!label) return undefined;
  try {
    const tools: unknown = JSON.parse(label);
    return Array.isArray(tools) && tools.length > 0 && tools.every((tool) => typeof tool === 'string')
      ? tools
      : undefined;
  } catch {
    return undefined;
  }
}

/** The record a container's labels describe, or undefined when they are not a complete worker's. */
export function recordFromLabels(
  container: string,
  image: string,
  labels: Record<string, string>,
): WorkerRecord | undefined {
  const session = labels[LABEL.session];
  const root = labels[LABEL.root];
  const depth = Number(labels[LABEL.depth]);
  const deadlineAt = Date.parse(labels[LABEL.deadline] ?? '');
  if (!session || !root || !Number.isInteger(depth) || depth < 1 || Number.isNaN(deadlineAt))
    return undefined;
  return {
    session,
    name: labels[LABEL.name] || `worker-${session.slice(0, 8)}`,
    container,
    image,
    repo: labels[LABEL.repo] ?? '',
    root,
    parent: labels[LABEL.parent] || null,
    depth,
    task: labels[LABEL.task] || null,
    ordinal: Number(labels[LABEL.ordinal]) || 1,
    deadlineAt,
    tokenHash: labels[LABEL.tokenHash] ?? '',
    cols: Number(labels[LABEL.cols]) || 120,
    rows: Number(labels[LABEL.rows]) || 32,
    ...((tools) => (tools ? { allowedTools: tools } : {}))(allowedToolsFrom(labels[LABEL.allowedTools])),
  };
}

export const infoOf = (record: WorkerRecord): WorkerInfo => ({
  container: record.container,
  image: record.image,
  repo: record.repo,
  root: record.root,
  parent: record.parent,
  depth: record.depth,
  task: record.task,
  ...(record.allowedTools ? { allowedTools: record.allowedTools } : {}),
});
