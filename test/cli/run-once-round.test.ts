// `run --once` from cron beside the app: the round's summary and exit code are the jobs this run
// ran. The app on the same data folder runs (and may fail) jobs of its own meanwhile; `run` prints
// them and what they say as it hears of them, but a job the app failed is not a failure of this round.
import { afterEach, describe, expect, it } from 'vitest'
import { JobProgressStore } from '../../src-main/core/store/job-progress-store'
import { startCli } from '../support/cli-harness'
import { useLabSite } from '../support/lab-site'
import { openTempCore, type TempCore } from '../support/temp-core'

const { queuedSlowJob } = useLabSite()
let app: TempCore | undefined
afterEach(async () => {
  await app?.cleanup()
  app = undefined
})

describe('run --once beside another process', () => {
  it("counts only its own jobs: a job the app fails meanwhile is printed, not this round's failure", async () => {
    const { dataDir, env, common, job: created } = await queuedSlowJob('fieldjobs-round-', '3s')
    const { token } = created

    const run = startCli(['run', '--once', ...common], { env, until: (stdout) => (stdout.includes(`${token}\t`) ? true : undefined) })
    await run.printed // Its job has started: three seconds of script to go.
    // Meanwhile the app (another connection on the folder) takes a job of its own and fails it.
    app = openTempCore({ dataDir })
    const site = app.core.siteStore.list()[0]!
    const { job } = app.core.jobs.create({ site_id: site.id, description: "the app's job", script: ':put 1', route: 'lan' })
    const now = Date.now()
    app.core.jobStore.transition(job.id, 'in_progress', { lease_owner: 'the-app', lease_expires_at: now + 30_000, started_at: new Date(now).toISOString() })
    // `run` hears of it while it runs (its watch of the folder looks every 500 ms), then of what it
    // said and of its failure.
    await new Promise((resolve) => setTimeout(resolve, 800))
    const stopRecording = new JobProgressStore(app.core.db).record((listener) => app!.core.events.subscribe(listener))
    app.core.events.publish({ type: 'job.progress', job_id: job.id, message: 'connected to the app router', at: new Date().toISOString() })
    stopRecording()
    app.core.jobStore.transition(
      job.id,
      'failed',
      { lease_owner: null, lease_expires_at: null, failed_at: new Date(now).toISOString(), error: { message: 'no such item', category: 'script', line: 1, column: 1 } },
      { leaseOwner: 'the-app' },
    )

    expect(await run.exited, run.output().stderr).toBe(0)
    const { stdout, stderr } = run.output()
    expect(stderr).toContain('1 completed, 0 failed, 0 waiting')
    // Heard of and printed all the same: `run` shows every job on the folder as it changes.
    expect(stdout).toMatch(new RegExp(`${job.token}\\t.*failed`))
    // Named by its token, as this run's own jobs are.
    expect(stdout).toContain(`  ${job.token}  connected to the app router\n`)
  }, 30_000)
})
