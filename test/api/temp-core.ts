// A real FieldjobsCore in a fresh temporary folder per test, with an in-memory secret store.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import { MemorySecretStore } from '../../src-main/core/secrets/secret-store'

export interface TempCore {
  core: FieldjobsCore
  dataDir: string
  dispose(): Promise<void>
}

export function openTempCore(): TempCore {
  const dataDir = mkdtempSync(join(tmpdir(), 'fieldjobs-api-'))
  const core = FieldjobsCore.open({ dataDir, secrets: new MemorySecretStore() })
  return {
    core,
    dataDir,
    async dispose() {
      await core.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export const siteInput = (name = 'hq-core') => ({
  name,
  host: '127.0.0.1',
  api_port: 8728,
  username: 'admin',
  password: 'router-password',
})
