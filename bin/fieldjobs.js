#!/usr/bin/env node
// The `fieldjobs` bin. Runs the built CLI (out/cli/fieldjobs.mjs, made by `npm run build` and by
// `npm ci`'s prepare step): plain JavaScript starts in a fraction of the time tsx needs to compile the
// TypeScript. Without a build, or when a source file it was built from changed since (sources.json
// lists them), it runs the TypeScript through tsx and says so in one line on stderr, so an edited
// checkout never runs stale code silently. Where there are no sources (the packaged app), the build is
// all there is.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = new URL('../', import.meta.url)
const bundle = new URL('out/cli/fieldjobs.mjs', root)
// Paths as strings for the checks below: a URL for each of the ~170 sources added half again to the
// stats (measured: 10.2 against 7.0 ms, medians of 20).
const rootPath = fileURLToPath(root)

/** Why the build cannot be used, or undefined when it can. */
function whyNotBuilt() {
  const built = statSync(bundle, { throwIfNoEntry: false })
  if (!built) return 'no built CLI in out/cli'
  let sources
  try {
    sources = JSON.parse(readFileSync(new URL('out/cli/sources.json', root), 'utf8')).sources
  } catch {
    return 'the built CLI in out/cli is incomplete (no sources.json)'
  }
  if (!existsSync(new URL('src-main/cli/entry.ts', root))) return undefined
  for (const source of sources) {
    const changed = statSync(rootPath + source, { throwIfNoEntry: false })
    if (!changed) return `the built CLI in out/cli is older than the sources (${source} is gone)`
    if (changed.mtimeMs > built.mtimeMs) return `the built CLI in out/cli is older than ${source}`
  }
  return undefined
}

const reason = whyNotBuilt()
if (reason === undefined) {
  await import(bundle.href)
} else {
  process.stderr.write(`fieldjobs: ${reason}: running the TypeScript through tsx (slower start); \`npm run build:cli\` builds it\n`)
  const { register } = await import('tsx/esm/api')
  register()
  await import('../src-main/cli/entry.ts')
}
