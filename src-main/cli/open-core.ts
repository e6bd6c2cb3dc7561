// Opening the core for a command: its data folder, and the secret store chosen for CLI mode.
import { FieldjobsCore } from '../core/app/fieldjobs-core'
import { resolveDataDir } from '../core/app/data-dir'
import { openSecretStoreOnFirstUse } from '../core/secrets/choose-secret-store'
import type { CliIo } from './io'

/** Opens the core with the OS keyring when one works, else the key file (FIELDJOBS_SECRET_STORE forces). */
export function openCore(dataDirFlag: string | undefined, io: CliIo): FieldjobsCore {
  const dataDir = resolveDataDir(dataDirFlag, io.env)
  return FieldjobsCore.open({ dataDir, secrets: openSecretStoreOnFirstUse({ dataDir, env: io.env }) })
}

/** Opens the core for the length of `use`, and closes it however `use` ends. */
export async function withCore<T>(dataDirFlag: string | undefined, io: CliIo, use: (core: FieldjobsCore) => T | Promise<T>): Promise<T> {
  const core = openCore(dataDirFlag, io)
  try {
    return await use(core)
  } finally {
    await core.close()
  }
}
