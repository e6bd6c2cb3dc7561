// Router passwords and the cloud token live here, never in the database: the database holds only a
// reference. The store is a port; the Electron app seals with safeStorage, the CLI and browser mode
// with the OS keyring where there is one, else with the key file below.

export interface SecretStore {
  /** Where secrets are kept, in words, for the README and `fieldjobs doctor`-style output. */
  readonly description: string
  get(ref: string): string | undefined
  set(ref: string, secret: string): void
  delete(ref: string): void
}

/** In memory only, for tests of parts that need a store but not its durability. */
export class MemorySecretStore implements SecretStore {
  readonly description = 'memory (not kept)'
  private readonly secrets = new Map<string, string>()
  get(ref: string) {
    return this.secrets.get(ref)
  }
  set(ref: string, secret: string) {
    this.secrets.set(ref, secret)
  }
  delete(ref: string) {
    this.secrets.delete(ref)
  }
}
