// The CLI's start as one bundle (issue 12): loading one file instead of some 200 ES modules is most of
// what makes `switchboard ls` start fast. Our CLI code, zod, commander and ws go in. What `hub`, `mcp` and
// `worker` load when they run stays the compiled files in dist/ (they find the web UI and the worker image
// next to them): the bundle sits beside main.js, so their relative imports hold. It is a CommonJS script,
// not an ES module: bin/switchboard compiles it with V8's code cache, which Node 20 offers for scripts only.
import { defineConfig } from 'rolldown';

const BUNDLED = ['zod', 'commander', 'ws'];
/** The `import()`s of src-cli: each stays a file of its own (src-cli/startupImports.test.ts checks the list). */
export const LAZY =
  /(?:\/hubCommand|\/mcpProxy|\/src-hub\/workers\/docker|\/src-hub\/workers\/hostBase|\/src-hub\/kube\/settings|\/src-hub\/kube\/pods)\.js$/;

export default defineConfig({
  input: 'dist/src-cli/main.js',
  platform: 'node',
  external: (id) =>
    !id.startsWith('.') &&
    !id.startsWith('/') &&
    !BUNDLED.some((name) => id === name || id.startsWith(`${name}/`)),
  plugins: [
    {
      name: 'lazy-commands-stay-outside',
      resolveId: (source) => (LAZY.test(source) ? { id: source, external: true } : null),
    },
  ],
  // The `import()`s above become `require()`s (Node 20.19 requires ES modules): an `import()` inside a script
  // compiled from a code cache loses the loader it needs ("A dynamic import callback was not specified").
  output: {
    dir: 'dist/src-cli',
    entryFileNames: 'bundle.cjs',
    format: 'cjs',
    dynamicImportInCjs: false,
    minify: true,
  },
});
