// A job's progress lines (connected, backup saved, script sent) are kept with the job, so its detail
// shows after a restart what `run` printed live.
import { afterEach, describe, expect, it } from 'vitest'
import { createApiHandlers } from '../../src-main/api/api-handlers'
import { dispatch } from '../../src-main/api/dispatch'
import type { Job } from '../../src-main/contract/job-schema'
import { startLab, type Lab } from '../../src-main/lab/lab'
import { cli } from '../support/cli-harness'
import { openTempCore } from '../support/temp-core'
import { useTempDirs } from '../support/temp-dirs'

const tempDir = useTempDirs()
let lab: Lab | undefined
afterEach(async () => {
  await lab?.close()
  lab = undefined
})

describe('job progress lines', () => {
  it('are stored as run announces them and read back by jobs:progress in a later process', async () => {
    lab = await startLab({ routers: 1 })
    const router = lab.routers[0]!
    const dataDir = tempDir()
    const common = ['--data-dir', dataDir]
    await cli(['site', 'add', '--name', 'r1', '--host', router.host, '--port', String(router.port), '--user', router.user, '--password-env', 'PW', ...common], { env: { PW: router.password } })
    const created = await cli(['job', 'create', '--site', 'r1', '--description', 'with a backup', '--script', '-', '--backup', '--json', ...common], { stdin: '/system identity set name=progress\n' })
    const job = created.json<Job>()
    const run = await cli(['run', '--once', ...common])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('script sent')

    const later = openTempCore({ dataDir })
    try {
      const answer = await dispatch(createApiHandlers({ core: later.core }), 'jobs:progress', { id: job.token })
      expect(answer.ok).toBe(true)
      const messages = (answer as { value: Array<{ message: string }> }).value.map((line) => line.message)
      expect(messages[0]).toMatch(/^connected to /)
      expect(messages.some((message) => message.startsWith('backup saved as'))).toBe(true)
      expect(messages.some((message) => message.startsWith('script sent'))).toBe(true)
    } finally {
      await later.core.close(100)
    }
  })
})
