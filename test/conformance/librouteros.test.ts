// The lab checked by a client we did not write: Debian's python3-librouteros drives lab routers
// through the cases in conformance-cases.ts, then our own client runs the same cases, so both sides
// meet in the middle. `.ci/run` installs python3-librouteros; without it this fails, never skips.
import { execFile, execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLab, type Lab } from '../../src-main/lab/lab'
import { conformanceCases, type LabTarget, oursExpected } from './conformance-cases'

const PYTHON = '/usr/bin/python3'
const DRIVER = join(__dirname, 'python', 'librouteros_cases.py')
const run = promisify(execFile)

const labs: Partial<Record<'7.18' | '7.17' | 'tls', { lab: Lab; target: LabTarget }>> = {}

beforeAll(async () => {
  try {
    execFileSync(PYTHON, ['-c', 'import librouteros'], { stdio: 'pipe' })
  } catch {
    throw new Error('python3-librouteros is missing: install it with `apt-get install python3-librouteros` (.ci/run does)')
  }
  const start = async (name: '7.18' | '7.17' | 'tls', version: string, tls: boolean) => {
    const lab = await startLab({ routers: 1, version, tls })
    const router = lab.routers[0]!
    labs[name] = { lab, target: { host: router.host, port: router.port, user: router.user, password: router.password, tls, version } }
  }
  await Promise.all([start('7.18', '7.18.2', false), start('7.17', '7.17', false), start('tls', '7.18.2', true)])
})
afterAll(async () => {
  await Promise.all(Object.values(labs).map((entry) => entry?.lab.close()))
})

/** Runs the python driver for some cases on one lab; what librouteros observed, per case. */
async function librouteros(lab: '7.18' | '7.17' | 'tls', cases: string[]) {
  const target = labs[lab]!.target
  const { stdout } = await run(PYTHON, [DRIVER, JSON.stringify({ ...target, cases })], { timeout: 60_000 })
  return JSON.parse(stdout) as Record<string, { ok: boolean; observed?: unknown; error?: string; trace?: string }>
}

describe('librouteros against the lab', () => {
  for (const lab of ['7.18', '7.17', 'tls'] as const) {
    const cases = conformanceCases.filter((entry) => entry.lab === lab)
    it(`${lab}: ${cases.map((entry) => entry.name).join(', ')}`, async () => {
      const observed = await librouteros(lab, cases.map((entry) => entry.name))
      for (const entry of cases) {
        const result = observed[entry.name]!
        expect(result.ok, `${entry.name}: ${result.error}\n${result.trace ?? ''}`).toBe(true)
        expect(result.observed, `${entry.name} (${entry.source})`).toEqual(entry.expected)
      }
    }, 90_000)
  }
})

describe('our client on the same cases', () => {
  for (const entry of conformanceCases.filter((candidate) => candidate.ours)) {
    it(`${entry.lab}: ${entry.name}`, async () => {
      const observed = await entry.ours!(labs[entry.lab]!.target)
      expect(observed, entry.source).toEqual(oursExpected[entry.name] ?? entry.expected)
    })
  }
})
