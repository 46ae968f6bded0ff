// Test runner configuration: unit tests sit next to the code, integration tests in test/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-*/**/*.test.ts', 'test/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests spawn ptys and hubs; two cores cannot run many of them at once.
    maxWorkers: 2,
    pool: 'forks',
    // expect.poll waits for something the hub or a browser does; on a loaded 2-core CI machine that
    // can take seconds (starting a session runs `claude --version` first), not the default 1 s.
    expect: { poll: { timeout: 10_000 } },
  },
});
