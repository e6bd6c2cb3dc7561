// The crash harness at CI size: the real `fieldjobs run` killed with SIGKILL 25 times at random
// points and restarted, LAN jobs on lab routers and cloud jobs on the fake. Nothing lost, nothing
// created twice on the cloud, nothing run twice on a router, every state truthful. The seed is
// printed on failure: `npx tsx test/crash/run-crash-harness.ts --rounds 25 --seed S` replays it.
import { expect, it } from 'vitest'
import { runCrashHarness } from './crash-harness'

const ROUNDS = 25

it(`the queue survives ${ROUNDS} kill -9s: no job lost, no cloud duplicate, no LAN re-run, every state truthful`, async () => {
  const lines: string[] = []
  const report = await runCrashHarness({ rounds: ROUNDS, log: (line) => lines.push(line) })
  const { problems, ...summary } = report
  const replay = `seed ${report.seed} (replay: npx tsx test/crash/run-crash-harness.ts --rounds ${ROUNDS} --seed ${report.seed})`
  const explained = [replay, JSON.stringify(summary), ...problems.map((p) => `job ${p.n} (${p.kind}, ${p.status}, ${p.id}): ${p.problem}`), ...lines].join('\n')

  // The numbers the release note quotes (rounds, kills, jobs, lost, duplicates, re-runs).
  console.info(`crash harness: ${JSON.stringify(summary)}`)
  expect(problems, explained).toEqual([])
  expect(report.lost, explained).toBe(0)
  expect(report.duplicates, explained).toBe(0)
  expect(report.re_runs, explained).toBe(0)
  // The run really crashed mid-work: most rounds ended in a kill, and some kills caught jobs running.
  expect(report.kills, explained).toBeGreaterThanOrEqual(ROUNDS / 2)
  expect(report.unknown, explained).toBeGreaterThan(0)
  expect(report.by_status.completed ?? 0, explained).toBeGreaterThan(0)
  expect(report.jobs, explained).toBe(Object.values(report.by_status).reduce((sum, count) => sum + count, 0))
}, 180_000)
