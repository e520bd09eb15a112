import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Many tests start Node processes (tsx scripts, the packaged function), which take seconds on
    // a busy shared machine: a slow machine must not fail them, only a hang.
    testTimeout: 60_000,
    globalSetup: ['test/support/scf-node-setup.ts'],
  },
});
