// A job's progress lines (connected, backup saved, script sent) are kept with the job, so its detail
// (the window's, and `job show`) shows after a restart what `run` printed live.
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
      // The backup's number first, as `backup diff` takes it.
      expect(messages).toContainEqual(expect.stringMatching(/^backup 1 saved: [\w-]+\/\d+\.rsc$/))
      expect(messages.some((message) => message.startsWith('script sent'))).toBe(true)
    } finally {
      await later.core.close(100)
    }

    // `job show` in a later process says the same lines, in order, as the window's detail does.
    const printed = run.stdout.split('\n').filter((line) => line.startsWith(`  ${job.token}  `)).map((line) => line.slice(job.token.length + 4))
    const shown = await cli(['job', 'show', job.token, ...common])
    const section = shown.stdout.split('progress:\n')[1]?.split(/^\S/m)[0] ?? ''
    expect(section.trimEnd().split('\n').map((line) => line.replace(/^ {2}\S+ {2}/, ''))).toEqual(printed)
    expect(section).toMatch(/^ {2}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z {2}connected to /)
    const json = (await cli(['job', 'show', job.token, '--json', ...common])).json<{ progress: Array<{ message: string; at: string }> }>()
    expect(json.progress.map((line) => line.message)).toEqual(printed)
  })
})
