// Where the installed Electron binary is, found the way the electron package does, but without requiring
// it: requiring `electron` with no binary starts a download, and scripts here must never reach the network.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The binary's path, or `{missing}` saying why there is none. `dist` is the folder that holds the whole
 * Electron distribution (what electron-builder packages instead of downloading one).
 * @param {string} root the checkout
 * @returns {{binary: string, dist: string} | {missing: string}}
 */
export function electronBinary(root) {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile))
    return {
      missing: 'node_modules/electron has no binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1?)',
    };
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(pkg, 'dist');
  const binary = join(dist, readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { binary, dist } : { missing: `${binary} does not exist` };
}
