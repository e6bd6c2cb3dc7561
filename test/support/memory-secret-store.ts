// A secret store in memory only, for tests of parts that need a store but not its durability.
import type { SecretStore } from '../../src-main/core/secrets/secret-store'

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
