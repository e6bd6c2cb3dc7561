// Router passwords and the cloud token sealed with Electron's safeStorage (Keychain on macOS, DPAPI on
// Windows, libsecret/kwallet on Linux), kept in `<userData>/secrets.safe-storage.json` as base64.
// Takes safeStorage as a port so it is tested in Node with a fake.
//
// The CLI (`fieldjobs run`, `serve`) has no safeStorage: it keeps secrets in the OS keyring when one
// works, else in the key file (core/secrets/choose-secret-store.ts). Reads here fall back to that same
// store, so a site added from the CLI works in the app. A secret set in the app is readable by the
// app only; the CLI then says the site has no stored password.
import { join } from 'node:path'
import { FieldjobsError } from '../core/errors'
import { openSecretStoreOnFirstUse } from '../core/secrets/choose-secret-store'
import { PrivateJsonFile } from '../core/secrets/private-json-file'
import type { SecretStore } from '../core/secrets/secret-store'

/** The part of Electron's safeStorage used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plainText: string): Buffer
  decryptString(encrypted: Buffer): string
  getSelectedStorageBackend?(): string
}

export class SafeStorageSecretStore implements SecretStore {
  readonly description: string
  private readonly file: PrivateJsonFile<string>

  constructor(
    private readonly safeStorage: SafeStorageLike,
    dataDir: string,
    private readonly fallback?: SecretStore,
  ) {
    this.file = new PrivateJsonFile(join(dataDir, 'secrets.safe-storage.json'))
    this.description = `the operating system's key store (Electron safeStorage), in ${this.file.path}`
  }

  get(ref: string): string | undefined {
    const sealed = this.file.read()[ref]
    if (sealed === undefined) return this.fallback?.get(ref)
    try {
      return this.safeStorage.decryptString(Buffer.from(sealed, 'base64'))
    } catch {
      throw new FieldjobsError('internal', `the secret ${ref} cannot be unsealed by the OS key store (was it reset?): set it again`)
    }
  }

  set(ref: string, secret: string): void {
    const all = this.file.read()
    all[ref] = this.safeStorage.encryptString(secret).toString('base64')
    this.file.write(all)
    // One home per secret: an older copy in the key file must not outlive a change made here.
    this.fallback?.delete(ref)
  }

  delete(ref: string): void {
    const all = this.file.read()
    if (ref in all) {
      delete all[ref]
      this.file.write(all)
    }
    this.fallback?.delete(ref)
  }

}

/**
 * The app's secret store. safeStorage when the OS really protects the key; on Linux without a
 * keyring Chromium falls back to `basic_text`, a key built into every Chromium, which is weaker than
 * our random 0600 key file: there, and when encryption is unavailable, the app uses what the CLI
 * uses (the OS keyring if one works, else the key file).
 */
export function chooseSecretStore(
  safeStorage: SafeStorageLike,
  dataDir: string,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): SecretStore {
  // Probing a keyring at every start, before the window shows, for secrets most starts never read,
  // is slow: the CLI's store opens on first use.
  const cliStore = () => openSecretStoreOnFirstUse({ dataDir, env, platform })
  if (!safeStorage.isEncryptionAvailable()) return cliStore()
  // getSelectedStorageBackend exists on Linux only.
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') return cliStore()
  return new SafeStorageSecretStore(safeStorage, dataDir, cliStore())
}
