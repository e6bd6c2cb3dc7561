// `npm run bench` runs every benchmark; `npm run bench -- queue` (or fanout, sync, ui, cli) runs one.
// Each benchmark module in bench/<name>.ts exports `run(): Promise<Record<string, unknown>>`; the
// figures it returns are written to bench/out/<name>.json and printed.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const benchmarks = ['queue', 'fanout', 'sync', 'ui', 'cli', 'discover', 'fleet'] as const
type BenchmarkName = (typeof benchmarks)[number]

const here = dirname(fileURLToPath(import.meta.url))
const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'))
const unknown = requested.filter((name) => !benchmarks.includes(name as BenchmarkName))
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}: choose from ${benchmarks.join(', ')}`)
  process.exit(2)
}
const selected = (requested.length > 0 ? requested : benchmarks) as BenchmarkName[]
mkdirSync(join(here, 'out'), { recursive: true })

let failed = false
for (const name of selected) {
  const started = Date.now()
  console.log(`# ${name}`)
  try {
    const module = (await import(`./${name}.ts`)) as { run(): Promise<Record<string, unknown>> }
    const figures = await module.run()
    const file = join(here, 'out', `${name}.json`)
    writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`)
    console.log(JSON.stringify(figures, null, 2))
    console.log(`wrote ${file} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  } catch (error) {
    failed = true
    console.error(`benchmark ${name} failed:`, error)
  }
}
process.exit(failed ? 1 : 0)
