#!/usr/bin/env node
// `npm start`: the desktop app when an Electron binary is installed; otherwise the hub with the web UI,
// with a one-time login link printed (and opened where a browser exists).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The installed Electron binary, found the way the electron package does, but without requiring it:
 * requiring `electron` with no binary starts a download, and this must never reach the network.
 */
function electronBinary() {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile))
    return {
      missing: 'node_modules/electron has no binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1?)',
    };
  const binary = join(
    process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist'),
    readFileSync(pathFile, 'utf8').trim(),
  );
  return existsSync(binary) ? binary : { missing: `${binary} does not exist` };
}

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const electron = electronBinary();
if (typeof electron === 'string') {
  run(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'preview']);
} else {
  process.stderr.write(
    `No Electron binary is installed (${electron.missing}).\n` +
      'Starting the hub with the web UI instead; install Electron (npm ci without ELECTRON_SKIP_BINARY_DOWNLOAD) for the desktop app.\n\n',
  );
  run(process.execPath, [join(root, 'bin', 'switchboard'), 'hub', '--open', ...process.argv.slice(2)]);
}
