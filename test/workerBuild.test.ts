// Ring 6, issue 16 #9: `switchboard worker build --base-from-host` builds a worker image with no registry:
// the base from this machine's Node, shell and Claude Code binary, the real Dockerfile on top; progress and
// a summary are printed, and the image runs the pinned Claude Code and Node.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CLAUDE_BINARY, dockerOrReason, REPO_ROOT } from './docker/testImages.js';

const run = promisify(execFile);
const TAG = 'switchboard-test-hostbuild:latest';
const BASE = `switchboard-test-hostbuild-base:host-node${process.versions.node}`;
const available = await dockerOrReason();
const docker = 'docker' in available ? available.docker : undefined;

describe.skipIf(!docker)('worker build --base-from-host (ring 6)', () => {
  afterAll(async () => {
    for (const image of [TAG, BASE])
      await docker!
        .getImage(image)
        .remove({ force: true })
        .catch(() => undefined);
  });

  it('builds a working worker image from this machine alone, saying what it took', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        resolve(REPO_ROOT, 'bin/switchboard'),
        'worker',
        'build',
        '--base-from-host',
        '--claude-binary',
        CLAUDE_BINARY,
        '--tag',
        TAG,
      ],
      { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024, timeout: 280_000 },
    );
    expect(stdout).toContain('Assembling a worker base from this machine');
    expect(stdout).toMatch(/shared libraries: \d+/);
    expect(stdout).toContain(`Built ${TAG}`);
    expect(stdout).toContain(`Its base ${BASE} was assembled from this machine: node ${process.version}`);
    expect(stdout).toContain('Claude Code 2.1.331');
    const inImage = async (entrypoint: string, args: string[]) =>
      (await run('docker', ['run', '--rm', '--network', 'none', '--entrypoint', entrypoint, TAG, ...args]))
        .stdout;
    expect(await inImage('claude', ['--version'])).toContain('2.1.331');
    expect((await inImage('node', ['--version'])).trim()).toBe(process.version);
    const labels = (await docker!.getImage(TAG).inspect()).Config.Labels ?? {};
    expect(labels['switchboard.claude-version']).toBe('2.1.331');
  }, 300_000);

  it('refuses --base and --base-from-host together, before touching Docker', async () => {
    const failed = await run(
      process.execPath,
      [
        resolve(REPO_ROOT, 'bin/switchboard'),
        'worker',
        'build',
        '--base-from-host',
        '--base',
        'x',
        '--tag',
        TAG,
      ],
      { cwd: REPO_ROOT },
    ).catch((error: { stderr: string; code: number }) => error);
    expect((failed as { code: number }).code).not.toBe(0);
    expect((failed as { stderr: string }).stderr).toContain('--base or --base-from-host, not both');
  });
});
