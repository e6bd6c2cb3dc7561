// `fieldjobs run` does LAN and cloud work together: the runtime starts the sync beside the queue,
// and an auto job whose router does not answer on the LAN is handed to the cloud and created there.
import { expect, it } from 'vitest'
import { startRuntime } from '../../src-main/core/app/runtime'
import { unreachableRouter } from '../support/temp-core'
import { untilJob, useCloud } from './harness'

const cloud = useCloud()

it('the runtime syncs cloud jobs and takes over auto jobs the LAN cannot deliver', async () => {
  const fake = await cloud.fake()
  const core = cloud.core()
  const site = cloud.site(core)
  const runtime = startRuntime(core, {
    executor: unreachableRouter,
    probeIntervalS: 0,
    cloud: { env: { FIELDJOBS_API_URL: fake.url, FIELDJOBS_API_TOKEN: fake.token }, rateLimit: null },
  })
  try {
    expect(runtime.cloud?.configured).toBe(true)
    const direct = cloud.cloudJob(core, site.id)
    const auto = core.jobs.create({ site_id: site.id, description: 'auto route job', script: '/system identity print' }).job
    const [viaCloud, handedOff] = await Promise.all([
      untilJob(core, direct.id, (job) => job.cloud_job_id !== null),
      untilJob(core, auto.id, (job) => job.cloud_job_id !== null),
    ])
    expect(handedOff.route).toBe('auto')
    expect(handedOff.sync_state).toBe('synced')
    expect(viaCloud.sync_state).toBe('synced')
    expect(fake.counters.jobsCreated).toBe(2)
    // The cancel port is wired: a cancel of a synced job is delivered to the cloud.
    core.jobs.cancel(auto.id)
    await untilJob(core, auto.id, (job) => job.status === 'canceled')
    expect(fake.jobs()).toHaveLength(1)
  } finally {
    await runtime.stop()
  }
})
