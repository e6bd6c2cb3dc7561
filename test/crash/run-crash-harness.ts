// `npx tsx test/crash/run-crash-harness.ts [--rounds 200] [--seed S] [--quiet]`: the crash harness at
// full length. Prints each round and the report, writes the report to bench/out/crash.json, and
// exits 1 when anything was lost, created twice on the cloud, run twice on a router, or left in a
// state that does not tell the truth.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { repoRoot } from '../support/repo-root'
import { runCrashHarness } from './crash-harness'

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '200' },
    seed: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
  strict: true,
})

function wholeNumber(text: string | undefined, name: string, min: number): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number >= ${min}, not "${text}"`)
  return value
}

const rounds = wholeNumber(values.rounds, 'rounds', 1) as number
const seed = wholeNumber(values.seed, 'seed', 0)
const report = await runCrashHarness({ rounds, seed, log: values.quiet ? undefined : (line) => console.log(line) })

const out = join(repoRoot, 'bench/out/crash.json')
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`)
const { problems, ...summary } = report
console.log(JSON.stringify(summary, null, 2))
for (const problem of problems) console.log(`PROBLEM job ${problem.n} (${problem.kind}, ${problem.status}, ${problem.id}): ${problem.problem}`)
if (problems.length > 0) console.log(`replay with: npx tsx test/crash/run-crash-harness.ts --rounds ${rounds} --seed ${report.seed}`)
console.log(`report written to ${out}`)
process.exitCode = problems.length > 0 || report.lost > 0 || report.duplicates > 0 || report.re_runs > 0 ? 1 : 0
