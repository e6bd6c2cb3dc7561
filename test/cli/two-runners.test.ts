// Two queues on one data folder (the app and `fieldjobs run`, or two terminals): either may take a
// waiting job, never both. Two real `fieldjobs run --once` processes, started together, drain one
// queue on lab routers, both taking part; each router then holds exactly one trace of each job,
// and the two rounds' summaries add up to the queue.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { startLab, type Lab } from '../../src-main/lab/lab'
import { cli } from '../support/cli-harness'
import { repoRoot } from '../support/repo-root'
import { openTempCore } from '../support/temp-core'
import { useTempDirs } from '../support/temp-dirs'

const run = promisify(execFile)
const tempDir = useTempDirs()
let lab: Lab | undefined
afterEach(async () => {
  await lab?.close()
  lab = undefined
})

const SITES = 4
const JOBS_PER_SITE = 8

describe('two fieldjobs run processes on one data folder', () => {
  it('run every job exactly once between them, and each says what it ran', async () => {
    lab = await startLab({ routers: SITES })
    const dataDir = tempDir('fieldjobs-two-runners-')
    const env = { ...process.env, FIELDJOBS_SECRET_STORE: 'keyfile', FIELDJOBS_DATA_DIR: dataDir }
    for (const [index, router] of lab.routers.entries()) {
      const added = await cli(['site', 'add', '--name', `r${index + 1}`, '--host', router.host, '--port', String(router.port), '--user', router.user, '--password-env', 'PW', '--data-dir', dataDir], {
        env: { PW: router.password, FIELDJOBS_SECRET_STORE: 'keyfile' },
      })
      expect(added.code, added.stderr).toBe(0)
    }
    // Each process runs at most two sites at once, so neither can hold every site: both take part.
    expect((await cli(['settings', 'set', 'concurrency', '2', '--data-dir', dataDir])).code).toBe(0)
    // Each job leaves one address-list entry named after it; a job run twice would leave two.
    const queue = openTempCore({ dataDir })
    const names: string[] = []
    try {
      for (const site of queue.core.siteStore.list()) {
        for (let i = 0; i < JOBS_PER_SITE; i++) {
          const name = `${site.name}-job-${i}`
          names.push(name)
          queue.core.jobs.create({ site_id: site.id, description: name, script: `:delay 150ms\n/ip firewall address-list add list=ran address=10.9.${i}.1 comment=${name}\n`, route: 'lan' })
        }
      }
    } finally {
      await queue.core.close(100)
    }

    const bin = join(repoRoot, 'bin/fieldjobs.js')
    const rounds = await Promise.all([0, 1].map(() => run(process.execPath, [bin, 'run', '--once'], { env, encoding: 'utf8' })))

    // A round ends when nothing is left that it may start now: a job of a site the other process
    // is busy on waits for that process, and is counted as waiting, not as this round's.
    const completed = rounds.map(({ stderr }) => {
      const summary = /^(\d+) completed, 0 failed, \d+ waiting$/m.exec(stderr)
      expect(summary, stderr).not.toBeNull()
      return Number(summary![1])
    })
    expect(completed[0]! + completed[1]!, `completed ${completed.join(' and ')}`).toBe(SITES * JOBS_PER_SITE)
    expect(completed.every((count) => count > 0), `completed ${completed.join(' and ')}`).toBe(true)
    const traces = lab.routers.flatMap(({ router }) => router.menu('/ip/firewall/address-list').items().map((item) => item.values.comment))
    expect(traces.sort()).toEqual([...names].sort())
  }, 60_000)
})
