// Probing the OS keyring (store, read back and clear a test secret) costs three runs of secret-tool
// or security on every command that touches a secret, `site list` included, since it says where
// passwords are kept. Once a probe has passed, the data folder remembers it (keyring.json, the
// keyring's name and when), and later commands use that keyring without probing.
//
// Remembering must not change what happens when the keyring stops working (locked, its daemon
// gone): the first keyring call that fails forgets the verdict and the command goes on with the key
// file, as a failed probe would have chosen; the next command probes again.
import { join } from 'node:path'
import { PrivateJsonFile } from './private-json-file'
import type { SecretStore } from './secret-store'

interface Verdict {
  backend: string
  worked_at: string
}

/** The data folder's memory of a keyring that passed its probe. */
export class KeyringVerdict {
  private readonly file: PrivateJsonFile<string>

  constructor(dataDir: string) {
    this.file = new PrivateJsonFile(join(dataDir, 'keyring.json'))
  }

  /** True when `backend` (a keyring's description) passed a probe here and has not failed since. */
  remembers(backend: string): boolean {
    try {
      return (this.file.read() as Partial<Verdict>).backend === backend
    } catch {
      return false // Unreadable or half-written: probe again, which rewrites it.
    }
  }

  remember(backend: string, now = new Date()): void {
    const verdict: Verdict = { backend, worked_at: now.toISOString() }
    try {
      this.file.write({ ...verdict })
    } catch {
      // A read-only data folder only means the next command probes again.
    }
  }

  forget(): void {
    try {
      this.file.write({})
    } catch {
      // As above.
    }
  }
}

/**
 * The keyring's store, which on its first failure forgets the verdict and hands every call from
 * then on (this one included) to the store `fallBack` opens. With `strict` (FIELDJOBS_SECRET_STORE
 * =keyring) the failure is thrown instead: the user asked for the keyring and nothing else.
 */
export class KeyringWithFallback implements SecretStore {
  private fallback: SecretStore | undefined

  constructor(
    private readonly keyring: SecretStore,
    private readonly verdict: KeyringVerdict,
    private readonly fallBack: (why: string) => SecretStore,
    private readonly strict: boolean,
  ) {}

  get description(): string {
    return (this.fallback ?? this.keyring).description
  }

  get(ref: string): string | undefined {
    return this.attempt((store) => store.get(ref))
  }

  set(ref: string, secret: string): void {
    this.attempt((store) => store.set(ref, secret))
  }

  delete(ref: string): void {
    this.attempt((store) => store.delete(ref))
  }

  private attempt<T>(call: (store: SecretStore) => T): T {
    if (this.fallback) return call(this.fallback)
    try {
      return call(this.keyring)
    } catch (error) {
      this.verdict.forget()
      if (this.strict) throw error
      this.fallback = this.fallBack(`no OS keyring: ${(error as Error).message}`)
      return call(this.fallback)
    }
  }
}
