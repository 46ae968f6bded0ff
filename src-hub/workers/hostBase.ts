// A worker base image assembled from this machine, for hosts that cannot pull `node:…` (air-gapped, behind
// a firewall): this Node, a POSIX shell and bash, a few coreutils, optionally Claude Code's native binary, and the
// shared libraries `ldd` lists for them, imported with `docker import` (nothing is downloaded).
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  closeSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type Docker from 'dockerode';
import { HubError } from '../../src-protocol/index.js';
import { dockerFailure } from './docker.js';

/**
 * The tools the worker image's Dockerfile and agent use (`RUN mkdir … && chown …`, `sh -c`), and bash:
 * Claude Code's Bash tool refuses to run without bash or zsh ("No suitable shell found").
 */
const TOOLS = [
  'sh',
  'bash',
  'touch',
  'mkdir',
  'chown',
  'chmod',
  'cat',
  'ls',
  'rm',
  'cp',
  'ln',
  'id',
  'env',
  'sleep',
  'echo',
  'true',
];

export interface HostBaseOptions {
  /** The image to create, e.g. `switchboard-base:host-node20.19.0`. */
  tag: string;
  /** Bake Claude Code's native binary in at /usr/local/bin/claude (tests mount it instead). */
  withClaude: boolean;
  /** Where that binary is; `claude` on PATH by default. */
  claudeBinary?: string;
  /** Binaries mounted at run time instead (a development Claude): their shared libraries go in too. */
  librariesFor?: string[];
  onProgress?(line: string): void;
}

export interface HostBaseSummary {
  tag: string;
  node: string;
  claude: { path: string; version: string } | undefined;
  files: number;
  bytes: number;
}

const which = (tool: string): string | undefined => {
  try {
    const found = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
    return found.startsWith('/') ? found : undefined;
  } catch {
    return undefined;
  }
};

const librariesOf = (binary: string): string[] =>
  [...execFileSync('ldd', [binary], { encoding: 'utf8' }).matchAll(/(\/\S+)/g)].map((match) => match[1]!);

const isElf = (path: string): boolean => {
  const descriptor = openSync(path, 'r');
  try {
    const magic = Buffer.alloc(4);
    readSync(descriptor, magic, 0, 4, 0);
    return magic.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  } finally {
    closeSync(descriptor);
  }
};

/**
 * Claude Code's native binary: the given path, else `claude` on PATH, links followed. A script (an older
 * npm install whose `claude` is JavaScript) cannot be carried alone, so it is refused with what to do.
 */
export function findClaudeBinary(given?: string): { path: string; version: string } {
  const candidate = given ?? which('claude');
  if (!candidate)
    throw new HubError(
      'command_not_found',
      'No `claude` on PATH to put in the worker base; install Claude Code or pass --claude-binary PATH.',
    );
  const path = realpathSync(candidate);
  if (!isElf(path))
    throw new HubError(
      'command_not_found',
      `${path} is not Claude Code's native binary (a script cannot be carried into the image alone); ` +
        'pass --claude-binary with the native one (…/@anthropic-ai/claude-code-linux-x64/claude), or use --base.',
    );
  const version = execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000 })
    .trim()
    .split(' ')[0]!;
  return { path, version };
}

/** Copies `source` into `root` at `target` (links followed: ldd names links, the image needs files). */
function place(root: string, source: string, target = source): number {
  mkdirSync(join(root, dirname(target)), { recursive: true });
  copyFileSync(source, join(root, target));
  chmodSync(join(root, target), statSync(source).mode & 0o777);
  return statSync(source).size;
}

/** Lays out the root file system in `root`; returns how many files and bytes it holds. */
function layOut(
  root: string,
  claude: string | undefined,
  librariesFor: string[],
  progress: (line: string) => void,
) {
  let files = 0;
  let bytes = 0;
  const add = (source: string, target?: string) => {
    bytes += place(root, source, target);
    files++;
  };
  progress(`node ${process.version}: ${process.execPath}`);
  add(process.execPath, '/usr/local/bin/node');
  const tools = TOOLS.map((tool) => [tool, which(tool)] as const).filter(
    (entry): entry is readonly [string, string] => entry[1] !== undefined,
  );
  for (const [tool, path] of tools) add(path, `/bin/${tool}`);
  progress(`shell and tools: ${tools.map(([tool]) => tool).join(', ')}`);
  if (claude) {
    progress(`Claude Code: ${claude}`);
    add(claude, '/usr/local/bin/claude');
  }
  const binaries = [
    process.execPath,
    ...tools.map(([, path]) => path),
    ...(claude ? [claude] : []),
    ...librariesFor,
  ];
  const libraries = new Set(binaries.flatMap(librariesOf));
  for (const library of libraries) add(library);
  progress(`shared libraries: ${libraries.size}`);
  mkdirSync(join(root, 'etc'), { recursive: true });
  writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\n');
  for (const directory of ['tmp', 'root', 'usr/bin']) mkdirSync(join(root, directory), { recursive: true });
  chmodSync(join(root, 'tmp'), 0o1777);
  return { files, bytes };
}

/** Builds the base image from this machine's files and imports it under `options.tag`. */
export async function buildHostBase(docker: Docker, options: HostBaseOptions): Promise<HostBaseSummary> {
  const progress = (line: string) => options.onProgress?.(line);
  const claude = options.withClaude ? findClaudeBinary(options.claudeBinary) : undefined;
  const work = mkdtempSync(join(tmpdir(), 'switchboard-rootfs-'));
  try {
    const root = join(work, 'rootfs');
    const { files, bytes } = layOut(root, claude?.path, options.librariesFor ?? [], progress);
    const tarball = join(work, 'rootfs.tar');
    progress(`packing ${files} files (${(bytes / 1024 / 1024).toFixed(0)} MiB)`);
    execFileSync('tar', ['-C', root, '-cf', tarball, '.']);
    const [repo, tag = 'latest'] = options.tag.split(':');
    progress(`importing ${options.tag}`);
    const stream = await docker
      .importImage(tarball, { repo, tag, changes: ['ENV PATH=/usr/local/bin:/usr/bin:/bin'] })
      .catch((error: unknown) => {
        throw dockerFailure(error, 'importing the base image');
      });
    await new Promise((resolveImport, reject) =>
      docker.modem.followProgress(stream, (error: Error | null) =>
        error ? reject(dockerFailure(error, 'importing the base image')) : resolveImport(undefined),
      ),
    );
    return { tag: options.tag, node: process.version, claude, files, bytes };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
