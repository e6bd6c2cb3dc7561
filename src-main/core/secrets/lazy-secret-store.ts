// Opens the real secret store the first time a secret (or its description) is asked for. Choosing
// the OS keyring probes it (store, read back and clear a test secret: three runs of secret-tool or
// security, each allowed 10 s when a locked keyring waits for an unlock nobody sees) unless a probe
// passed before in this data folder (remembered-keyring.ts), and most commands (`job list`,
// `job show`, `site trust`) and the app's fallback store never need a secret.
import type { SecretStore } from './secret-store'

export class LazySecretStore implements SecretStore {
  private store: SecretStore | undefined

  constructor(private readonly open: () => SecretStore) {}

  get description(): string {
    return this.opened().description
  }

  get(ref: string): string | undefined {
    return this.opened().get(ref)
  }

  set(ref: string, secret: string): void {
    this.opened().set(ref, secret)
  }

  delete(ref: string): void {
    this.opened().delete(ref)
  }

  private opened(): SecretStore {
    this.store ??= this.open()
    return this.store
  }
}
