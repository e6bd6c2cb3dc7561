// The checkout's root folder. node: modules only, so the benchmarks and the crash harness (plain tsx
// processes) import it without loading vitest.
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
