// Secrets in the OS keyring (CLI and browser mode), through a platform's backend. Passwords saved
// earlier in the key file (before a keyring was available) are still found, and move to the keyring
// the first time they are read, so turning a keyring on never loses a site's password.
import type { SecretStore } from './secret-store'

/** One platform's keyring, addressed by Fieldjobs's secret reference (`site:<id>`, the cloud token). */
export interface KeyringBackend {
  /** In words, for SecretStore.description. */
  readonly description: string
  lookup(ref: string): string | undefined
  store(ref: string, secret: string): void
  clear(ref: string): void
}

const PROBE_REF = 'fieldjobs:probe'

/**
 * True when the keyring really stores and returns a secret: a tool that exists but has no Secret
 * Service behind it, or a locked keyring, fails here and Fieldjobs uses the key file instead.
 */
export function keyringWorks(backend: KeyringBackend): boolean {
  const probe = `probe-${process.pid}-${Date.now()}`
  try {
    backend.store(PROBE_REF, probe)
    const read = backend.lookup(PROBE_REF)
    backend.clear(PROBE_REF)
    return read === probe
  } catch {
    return false
  }
}

export class KeyringSecretStore implements SecretStore {
  readonly description: string

  constructor(
    private readonly backend: KeyringBackend,
    /** Where secrets were kept before (the data folder's key file), read and migrated on demand. */
    private readonly previous?: SecretStore,
  ) {
    this.description = backend.description
  }

  get(ref: string): string | undefined {
    const secret = this.backend.lookup(ref)
    if (secret !== undefined || !this.previous) return secret
    const earlier = this.previous.get(ref)
    if (earlier === undefined) return undefined
    this.backend.store(ref, earlier)
    this.previous.delete(ref)
    return earlier
  }

  set(ref: string, secret: string): void {
    this.backend.store(ref, secret)
    this.previous?.delete(ref)
  }

  delete(ref: string): void {
    this.backend.clear(ref)
    this.previous?.delete(ref)
  }
}
