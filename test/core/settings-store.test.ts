// Settings are cached per connection (every job created reads its default revert window), so a
// change must still be seen at once: our own update, and another process's commit.
import { afterEach, describe, expect, it } from 'vitest'
import { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import { MemorySecretStore } from '../../src-main/core/secrets/secret-store'
import { openTempCore, type TempCore } from '../support/temp-core'

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
