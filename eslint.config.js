// ESLint flat config: type-checked TypeScript rules, and the layering fence of ARCHITECTURE.md §2.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const fence = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const hubFence = [
  {
    group: ['electron', 'electron/*'],
    message: 'The hub is plain Node; if it wants Electron, the design is wrong.',
  },
  {
    group: ['**/src-renderer/**', '**/src-main/**', '**/src-preload/**', '**/src-cli/**'],
    message: 'The hub does not import its clients.',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', 'bin/*'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['src-protocol/**/*.ts'],
    rules: {
      'no-console': 'error',
      ...fence([
        {
          group: ['node:*', 'fs', 'path', 'os', 'net', 'http', 'crypto'],
          message: 'src-protocol is runtime-neutral: no Node modules.',
        },
        {
          group: ['electron', 'ws', 'react', 'node-pty', '@xterm/*'],
          message: 'src-protocol depends on zod only.',
        },
        { group: ['../src-*', '../../src-*'], message: 'src-protocol imports nothing from other layers.' },
      ]),
    },
  },
  {
    files: ['src-hub/**/*.ts'],
    rules: { 'no-console': 'error', ...fence(hubFence) },
  },
  {
    files: ['src-hub/**/*.ts'],
    ignores: ['src-hub/sessions/ptyHost.ts'],
    rules: fence([
      ...hubFence,
      { group: ['node-pty'], message: 'Only sessions/ptyHost.ts imports node-pty.' },
    ]),
  },
  {
    files: ['src-worker/**/*.ts'],
    ignores: ['src-worker/**/*.test.ts'],
    rules: fence([
      {
        group: ['*', '!node:*'],
        message: 'The worker agent is copied into the image alone: Node built-ins only.',
      },
    ]),
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: fence([
      {
        group: ['node:*', 'electron', 'node-pty'],
        message: 'The renderer runs in a browser too: no Node or Electron.',
      },
      {
        group: ['**/src-hub/**', '**/src-main/**', '**/src-cli/**'],
        message: 'The renderer talks to the hub only through src-protocol.',
      },
    ]),
  },
  {
    files: ['src-preload/**/*.ts'],
    rules: fence([
      { group: ['**/src-hub/**', 'node-pty'], message: 'The preload is a minimal typed bridge.' },
    ]),
  },
);
