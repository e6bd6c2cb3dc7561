// Scheduled backups (backup_interval_h): the runtime takes a backup of every site whose newest one is
// older than the interval, judged by the core's Clock (a ManualClock here, so hours pass at once);
// `fieldjobs run --once` takes what is due; 0 turns it off; the setting's range is checked.
import { afterEach, describe, expect, it } from 'vitest'
import { createApiHandlers } from '../../src-main/api/api-handlers'
import { startRuntime } from '../../src-main/core/app/runtime'
import { startLab, type Lab } from '../../src-main/lab/lab'
import { cli } from '../support/cli-harness'
import { ManualClock, openTempCore, type TempCore } from '../support/temp-core'
import { addLabSite } from '../lan/lab-site'
import { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import { MemorySecretStore } from '../support/memory-secret-store'
import { useTempDirs } from '../support/temp-dirs'

let lab: Lab | undefined
let temp: TempCore | undefined
const tempDir = useTempDirs()
afterEach(async () => {
  await temp?.cleanup()
  await lab?.close()
  lab = temp = undefined
})

describe('scheduled backups', () => {
  it('the runtime backs up every site when its interval has passed, by the core clock; the setting is range-checked', async () => {
    lab = await startLab({ routers: 2 })
    const clock = new ManualClock()
    temp = openTempCore({ clock })
    const { core } = temp
    for (const router of lab.routers) addLabSite(core, router)
    const api = createApiHandlers({ core })
    await expect(api['settings:update']({ backup_interval_h: 721 })).rejects.toThrow(/at most 720 hours/)
    await expect(api['settings:update']({ backup_interval_h: 1.5 })).rejects.toThrow(/whole hours/)
    expect((await api['settings:update']({ backup_interval_h: 6 })).backup_interval_h).toBe(6)
    const runtime = startRuntime(core, { cloud: false, probeIntervalS: 0 })
    try {
      // Started: nothing backed up yet, so every site is due at once.
      const first = await runtime.backupSchedule.runDue()
      expect(first.map((result) => result.error ?? result.backup.changed)).toEqual([true, true])
      clock.advance(5 * 3_600_000)
      expect(await runtime.backupSchedule.runDue()).toEqual([])
      clock.advance(3_600_000)
      const due = await runtime.backupSchedule.runDue()
      expect(due.map((result) => result.error ?? result.backup.changed)).toEqual([false, false])
      expect(core.backups.list()).toHaveLength(4)
    } finally {
      await runtime.stop()
    }
  })

  it('run --once takes the due backups; 0 is off', async () => {
    lab = await startLab({ routers: 1 })
    const dataDir = tempDir()
    const core = FieldjobsCore.open({ dataDir, secrets: new MemorySecretStore() })
    await core.close()
    const common = ['--data-dir', dataDir]
    const router = lab.routers[0]!
    const added = await cli(['site', 'add', '--name', 'office', '--host', router.host, '--port', String(router.port), '--user', router.user, '--password-env', 'PW', ...common], {
      env: { PW: router.password },
    })
    expect(added.code, added.stderr).toBe(0)

    const off = await cli(['run', '--once', ...common])
    expect(off.stdout).not.toContain('backup office')

    const settingsCore = FieldjobsCore.open({ dataDir, secrets: new MemorySecretStore() })
    try {
      expect(() => settingsCore.settings.update({ backup_interval_h: 24 })).not.toThrow()
    } finally {
      await settingsCore.close()
    }
    const first = await cli(['run', '--once', ...common])
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toMatch(/^backup office: changed 1 \S+\.rsc$/m)
    // Within the interval: nothing is due.
    const again = await cli(['run', '--once', ...common])
    expect(again.stdout).not.toContain('backup office')
  })
})
