// Sites are cached per connection (read on every job created and run), so a change must still be
// seen at once: our own updates, and another process's commits (the CLI beside the app).
import { afterEach, describe, expect, it } from 'vitest'
import { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import { MemorySecretStore } from '../../src-main/core/secrets/secret-store'
import { addSite, openTempCore, type TempCore } from '../support/temp-core'

let temp: TempCore
let other: FieldjobsCore | undefined
afterEach(async () => {
  await other?.close()
  other = undefined
  await temp.cleanup()
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
