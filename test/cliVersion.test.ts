// `switchboard --version` is answered by bin/switchboard before the CLI bundle loads (issue 12): it must
// print what the CLI itself would, and anything more than the bare flag still goes to the CLI.
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { HUB_VERSION } from '../src-hub/version.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'switchboard');
/** Prints, at exit, whether the process loaded zlib: `ws` does, so the CLI bundle did. */
const REPORT_ZLIB =
  'data:text/javascript,process.on("exit",()=>process._rawDebug("zlib:"+process.moduleLoadList.includes("NativeModule zlib")))';
const run = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', REPORT_ZLIB, BIN, ...args], {
    env: { ...process.env, SWITCHBOARD_HOME: join(ROOT, 'no-such-state-dir') },
  });

describe('switchboard --version', () => {
  it('prints the version, as the long and the short flag, without loading the CLI', async () => {
    for (const flag of ['--version', '-V']) {
      const { stdout, stderr } = await run(flag);
      expect(stdout).toBe(`${HUB_VERSION}\n`);
      expect(stderr).toBe('zlib:false\n');
    }
  });

  it('leaves everything else to the CLI: help, and an unknown option refused with its usage', async () => {
    const help = await run('--help');
    expect(help.stdout).toContain('Usage: switchboard');
    expect(help.stderr).toBe('zlib:true\n'); // the check above would see the bundle load
    await expect(run('--no-such-flag')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("unknown option '--no-such-flag'") as unknown,
    });
  });
});
