import { rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import { MemorySecretStore } from '../support/memory-secret-store'
import { addSite, ManualClock, tempDataDir } from '../support/temp-core'

/** Counts reads: with the OS keyring each one is a blocking secret-tool or security process. */
class CountingSecretStore extends MemorySecretStore {
  reads = 0
  override get(ref: string) {
    this.reads++
    return super.get(ref)
  }
}

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

function open(dataDir: string, secrets: CountingSecretStore, clock: ManualClock): FieldjobsCore {
  const core = FieldjobsCore.open({ dataDir, secrets, clock })
  cleanups.push(() => core.close(100))
  return core
}

describe('site passwords', () => {
  it('reads the secret store once per password set, and returns a password changed here or by another process', () => {
    const dataDir = tempDataDir()
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }))
    const secrets = new CountingSecretStore()
    // A clock that never moves: the row's updated_at alone cannot show the password changed here.
    const clock = new ManualClock()
    const core = open(dataDir, secrets, clock)
    const site = addSite(core, 'office', { password: 'first-pw' })

    expect(core.sitePassword(site)).toBe('first-pw')
    expect(core.sitePassword(core.siteStore.get(site.id))).toBe('first-pw')
    expect(secrets.reads).toBe(1)

    core.updateSite({ id: site.id, password: 'second-pw' })
    expect(core.sitePassword(core.siteStore.get(site.id))).toBe('second-pw')
    expect(secrets.reads).toBe(2)

    // The CLI beside the app, sharing the keyring, sets it a second later.
    const cliClock = new ManualClock(clock.now() + 1000)
    open(dataDir, secrets, cliClock).updateSite({ id: site.id, password: 'third-pw' })
    expect(core.sitePassword(core.siteStore.get(site.id))).toBe('third-pw')
    expect(core.sitePassword(core.siteStore.get(site.id))).toBe('third-pw')
    expect(secrets.reads).toBe(3)
  })
})
