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
