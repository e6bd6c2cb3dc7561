// One lab router added as site `lab1` in a fresh data folder, through the CLI as an engineer adds
// it, and a slow job queued on it: the set-up of the tests that run `fieldjobs run` against a lab.
import { afterEach, expect } from 'vitest'
import type { Job } from '../../src-main/contract/job-schema'
import { startLab, type Lab } from '../../src-main/lab/lab'
import { cli } from './cli-harness'
import { useTempDirs } from './temp-dirs'

/**
 * Call at the top of the test file: the lab closes, and its folder goes, after each test. Hooks the
 * file adds later run before these (vitest runs them last-first), so what they stop stops first.
 */
export function useLabSite() {
  const tempDir = useTempDirs()
  let lab: Lab | undefined
  afterEach(async () => {
    await lab?.close()
    lab = undefined
  })

  /** A data folder with one lab router added as site `lab1`. */
  async function labSite(prefix: string) {
    lab = await startLab({ routers: 1 })
    const router = lab.routers[0]!
    const dataDir = tempDir(prefix)
    const env = { FIELDJOBS_SECRET_STORE: 'keyfile', LAB_PASSWORD: router.password }
    const common = ['--data-dir', dataDir]
    const added = await cli(['site', 'add', '--name', 'lab1', '--host', router.host, '--port', String(router.port), '--user', router.user, '--password-env', 'LAB_PASSWORD', ...common], { env })
    expect(added.code, added.stderr).toBe(0)
    return { router, dataDir, env, common }
  }

  /** A data folder with one lab site and one job whose script waits `delay` (e.g. `2s`) first. */
  async function queuedSlowJob(prefix: string, delay: string) {
    const { router, dataDir, env, common } = await labSite(prefix)
    const created = await cli(['job', 'create', '--site', 'lab1', '--description', 'slow change', '--script', '-', '--json', ...common], {
      env,
      stdin: `:delay ${delay}\n/system identity set name=after-the-delay\n`,
    })
    expect(created.code, created.stderr).toBe(0)
    return { router, dataDir, env, common, job: created.json<Job>() }
  }

  /** tempDir: a folder of the test's own, removed after it, as useTempDirs gives. */
  return { labSite, queuedSlowJob, tempDir }
}
