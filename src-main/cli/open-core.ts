// Opening the core for a command: its data folder, and the secret store chosen for CLI mode.
import type { FieldjobsCore } from '../core/app/fieldjobs-core'
import type { FieldjobsStores } from '../core/app/fieldjobs-stores'
import { resolveDataDir } from '../core/app/data-dir'
import { openSecretStoreOnFirstUse } from '../core/secrets/choose-secret-store'
import type { CliIo } from './io'

/**
 * Opens the core for the length of `use`, and closes it however `use` ends. The OS keyring when one
 * works, else the key file (FIELDJOBS_SECRET_STORE forces one).
 */
export async function withCore<T>(dataDirFlag: string | undefined, io: CliIo, use: (core: FieldjobsCore) => T | Promise<T>): Promise<T> {
  // Loaded here, not at the top: a command that only reads (withStores) never loads the services.
  const { FieldjobsCore } = await import('../core/app/fieldjobs-core')
  return using(FieldjobsCore.open(coreOptions(dataDirFlag, io)), use)
}

/** withCore for a command that only reads: the stores without the services, which load zod (fieldjobs-stores.ts). */
export async function withStores<T>(
  dataDirFlag: string | undefined,
  io: CliIo,
  use: (stores: FieldjobsStores) => T | Promise<T>,
): Promise<T> {
  const { FieldjobsStores } = await import('../core/app/fieldjobs-stores')
  return using(FieldjobsStores.open(coreOptions(dataDirFlag, io)), use)
}

function coreOptions(dataDirFlag: string | undefined, io: CliIo) {
  const dataDir = resolveDataDir(dataDirFlag, io.env)
  return { dataDir, secrets: openSecretStoreOnFirstUse({ dataDir, env: io.env }) }
}

async function using<S extends FieldjobsStores, T>(opened: S, use: (opened: S) => T | Promise<T>): Promise<T> {
  try {
    return await use(opened)
  } finally {
    await opened.close()
  }
}
