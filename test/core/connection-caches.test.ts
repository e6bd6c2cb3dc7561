// Settings and sites are cached per connection (every job created reads the settings' revert window
// and its site; every run reads the site), so a change must still be seen at once: this connection's
// own updates, and another process's commits (the CLI beside the app).
import { afterEach, describe, expect, it } from 'vitest'
import { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import { MemorySecretStore } from '../support/memory-secret-store'
import { addSite, openTempCore, type TempCore } from '../support/temp-core'

let temp: TempCore
let other: FieldjobsCore | undefined
afterEach(async () => {
  await other?.close()
  other = undefined
  await temp.cleanup()
})

describe('settings store', () => {
  it('sees its own updates and another connection’s commits at once', () => {
    temp = openTempCore()
    expect(temp.core.settings.get().default_revert_after_s).toBeNull()
    temp.core.settings.update({ default_revert_after_s: 60 })
    expect(temp.core.settings.get().default_revert_after_s).toBe(60)

    // A second connection on the same data folder, as the CLI is beside the running app.
    other = FieldjobsCore.open({ dataDir: temp.dataDir, secrets: new MemorySecretStore() })
    other.settings.update({ default_revert_after_s: 300, concurrency: 3 })
    expect(temp.core.settings.get()).toMatchObject({ default_revert_after_s: 300, concurrency: 3 })
  })

  it('hands out copies: changing a returned object changes nothing stored', () => {
    temp = openTempCore()
    const values = temp.core.settings.get()
    values.concurrency = 99
    expect(temp.core.settings.get().concurrency).toBe(16)
  })
})

describe('site store', () => {
  it('sees its own updates and another connection’s commits at once', () => {
    temp = openTempCore()
    const site = addSite(temp.core, 'office')
    expect(temp.core.siteStore.get(site.id).host).toBe(site.host)
    temp.core.updateSite({ id: site.id, host: '10.0.0.2' })
    expect(temp.core.siteStore.get(site.id).host).toBe('10.0.0.2')

    other = FieldjobsCore.open({ dataDir: temp.dataDir, secrets: new MemorySecretStore() })
    other.updateSite({ id: site.id, host: '10.0.0.3', name: 'office-2' })
    expect(temp.core.siteStore.get(site.id)).toMatchObject({ host: '10.0.0.3', name: 'office-2' })
    other.removeSite(site.id)
    expect(() => temp.core.siteStore.get(site.id)).toThrow(/no site with id/)
  })

  it('hands out sites nobody can change in place', () => {
    temp = openTempCore()
    const site = temp.core.siteStore.get(addSite(temp.core).id)
    expect(() => {
      ;(site as { host: string }).host = 'elsewhere'
    }).toThrow(TypeError)
    expect(temp.core.siteStore.get(site.id).host).not.toBe('elsewhere')
  })
})
