#!/usr/bin/env node
// `npm run dist`: package the desktop app with electron-builder (AppImage and deb on Linux, dmg on macOS,
// nsis on Windows) from the installed Electron binary. Where none is installed, say so and stop.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { electronBinary } from './electronBinary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const targets = { linux: ['--linux', 'AppImage', 'deb'], darwin: ['--mac', 'dmg'], win32: ['--win', 'nsis'] };
const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');

if (args.includes('--help')) {
  process.stdout.write(
    'Usage: npm run dist [-- --dry-run]\n\n' +
      'Builds the desktop app (npm run build:desktop) and packages it with electron-builder into release/:\n' +
      'AppImage and deb on Linux, dmg on macOS, nsis on Windows, from the Electron binary in node_modules\n' +
      '(nothing is downloaded for Electron itself). --dry-run prints the steps without running them.\n',
  );
  process.exit(0);
}

const electron = electronBinary(root);
if (!('binary' in electron)) {
  process.stdout.write(
    `Nothing packaged: no Electron binary is installed (${electron.missing}).\n` +
      'Install it (npm ci without ELECTRON_SKIP_BINARY_DOWNLOAD=1) on a machine that can download it, then run npm run dist again.\n',
  );
  process.exit(0);
}
const platformTargets = targets[process.platform];
if (!platformTargets) {
  process.stdout.write(
    `Nothing packaged: electron-builder has no target configured for ${process.platform}.\n`,
  );
  process.exit(0);
}

const version = JSON.parse(
  readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8'),
).version;
const steps = [
  ['npm', ['run', 'build:desktop']],
  [
    process.execPath,
    [
      join(root, 'node_modules', 'electron-builder', 'cli.js'),
      ...platformTargets,
      '--config',
      'electron-builder.yml',
      `-c.electronDist=${electron.dist}`,
      `-c.electronVersion=${version}`,
      '--publish',
      'never',
    ],
  ],
];
for (const [command, commandArgs] of steps) {
  process.stdout.write(`$ ${[command, ...commandArgs].join(' ')}\n`);
  if (dryRun) continue;
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`Packaging stopped: ${command} exited with ${result.status ?? result.signal}.\n`);
    process.exit(1);
  }
}
if (!dryRun) process.stdout.write('Packages are in release/.\n');
