// `fieldjobs job create --revert-after`: absent takes the settings' default, 0 says no revert.
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Job } from '../../src-main/contract/job-schema'
import { cli } from '../support/cli-harness'
import { addSite, openTempCore, type TempCore } from '../support/temp-core'

let temp: TempCore
beforeEach(() => {
  temp = openTempCore()
  addSite(temp.core, 'office', { cloud_site_id: randomUUID() })
})
afterEach(async () => {
  await temp.cleanup()
})

const create = async (...flags: string[]) => {
  const run = await cli(
    ['job', 'create', '--site', 'office', '--description', 'set the identity', '--script', '-', '--data-dir', temp.dataDir, '--json', ...flags],
    { stdin: '/system identity set name=x\n' },
  )
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  return run.json<Job>().revert_after_s
}

describe('job create --revert-after', () => {
  it('absent: the settings default; 0: no revert; S: S seconds', async () => {
    expect(await create()).toBeNull()
    temp.core.settings.update({ default_revert_after_s: 120 })
    expect(await create()).toBe(120)
    expect(await create('--revert-after', '0')).toBeNull()
    expect(await create('--revert-after', '45')).toBe(45)
    expect(await create('--route', 'cloud')).toBeNull()
  })

  it('a window under 30 s is refused with what to change', async () => {
    const run = await cli(['job', 'create', '--site', 'office', '--description', 'set the identity', '--script', '-', '--data-dir', temp.dataDir, '--revert-after', '10'], {
      stdin: '/log info x\n',
    })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--revert-after')
    expect(run.stderr).toContain('at least 30 seconds')
  })
})
