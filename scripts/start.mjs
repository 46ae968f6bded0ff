#!/usr/bin/env node
// `npm start`: the desktop app when an Electron binary is installed; otherwise the hub with the web UI,
// with a one-time login link printed (and opened where a browser exists).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { electronBinary } from './electronBinary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const electron = electronBinary(root);
if ('binary' in electron) {
  run(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'preview']);
} else {
  process.stderr.write(
    `No Electron binary is installed (${electron.missing}).\n` +
      'Starting the hub with the web UI instead; install Electron (npm ci without ELECTRON_SKIP_BINARY_DOWNLOAD) for the desktop app.\n\n',
  );
  run(process.execPath, [join(root, 'bin', 'switchboard'), 'hub', '--open', ...process.argv.slice(2)]);
}
