import { defineConfig } from 'vitest/config'

// Tests run in Node against the real core (temporary SQLite files, lab routers and the cloud fake on
// 127.0.0.1). Component tests opt into happy-dom with a `@vitest-environment happy-dom` comment.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores here: more forks only add contention.
    maxWorkers: 2,
    reporters: ['default'],
  },
})
