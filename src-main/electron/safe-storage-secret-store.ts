// Router passwords and the cloud token sealed with Electron's safeStorage (Keychain on macOS, DPAPI on
// Windows, libsecret/kwallet on Linux), kept in `<userData>/secrets.safe-storage.json` as base64.
// Takes safeStorage as a port so it is tested in Node with a fake.
//
// The CLI (`fieldjobs run`, `serve`) has no safeStorage: it keeps secrets in the OS keyring when one
// works, else in the key file (core/secrets/choose-secret-store.ts). Reads here fall back to that same
// store, so a site added from the CLI works in the app. A secret set in the app is readable by the
// app only; the CLI then says the site has no stored password.
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { FieldjobsError } from '../core/errors'
import { openSecretStore } from '../core/secrets/choose-secret-store'
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
  private readonly file: string

  constructor(
    private readonly safeStorage: SafeStorageLike,
    dataDir: string,
    private readonly fallback?: SecretStore,
  ) {
    this.file = join(dataDir, 'secrets.safe-storage.json')
    this.description = `the operating system's key store (Electron safeStorage), in ${this.file}`
  }

  get(ref: string): string | undefined {
    const sealed = this.readAll()[ref]
    if (sealed === undefined) return this.fallback?.get(ref)
    try {
      return this.safeStorage.decryptString(Buffer.from(sealed, 'base64'))
    } catch {
      throw new FieldjobsError('internal', `the secret ${ref} cannot be unsealed by the OS key store (was it reset?): set it again`)
    }
  }

  set(ref: string, secret: string): void {
    const all = this.readAll()
    all[ref] = this.safeStorage.encryptString(secret).toString('base64')
    this.writeAll(all)
    // One home per secret: an older copy in the key file must not outlive a change made here.
    this.fallback?.delete(ref)
  }

  delete(ref: string): void {
    const all = this.readAll()
    if (ref in all) {
      delete all[ref]
      this.writeAll(all)
    }
    this.fallback?.delete(ref)
  }

  private readAll(): Record<string, string> {
    if (!existsSync(this.file)) return {}
    return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>
  }

  private writeAll(all: Record<string, string>): void {
    // Write-then-rename: a crash leaves the old file, never half of one.
    const temporary = `${this.file}.tmp`
    writeFileSync(temporary, JSON.stringify(all, null, 2), { mode: 0o600 })
    chmodSync(temporary, 0o600)
    renameSync(temporary, this.file)
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
  const cliStore = openSecretStore({ dataDir, env, platform })
  if (!safeStorage.isEncryptionAvailable()) return cliStore
  // getSelectedStorageBackend exists on Linux only.
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') return cliStore
  return new SafeStorageSecretStore(safeStorage, dataDir, cliStore)
}
