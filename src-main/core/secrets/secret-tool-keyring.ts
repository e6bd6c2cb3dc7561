// Linux: the Secret Service (GNOME Keyring, KWallet) through libsecret's `secret-tool`.
//   store --label=L attr value ...   reads the secret from standard input
//   lookup attr value ...            prints it (exit 1, nothing printed, when there is none)
//   clear attr value ...
// Attributes name the application, the data folder (two data folders never share a password) and
// the reference; none of them is secret.
import { resolve } from 'node:path'
import { FieldjobsError } from '../errors'
import type { KeyringBackend } from './keyring-secret-store'
import { type KeyringCommandResult, type KeyringRunner, keyringFailureReason } from './keyring-command'

export class SecretToolKeyring implements KeyringBackend {
  readonly description = 'OS keyring (Secret Service, via secret-tool)'
  private readonly dataDir: string

  constructor(
    private readonly run: KeyringRunner,
    dataDir: string,
  ) {
    this.dataDir = resolve(dataDir)
  }

  lookup(ref: string): string | undefined {
    const result = this.run(['lookup', ...this.attributes(ref)])
    if (result.status === 0) return result.stdout
    if (result.status === 1 && result.stderr.trim() === '') return undefined
    throw this.failure('read', ref, result)
  }

  store(ref: string, secret: string): void {
    const result = this.run(['store', `--label=Fieldjobs ${ref}`, ...this.attributes(ref)], secret)
    if (result.status !== 0) throw this.failure('save', ref, result)
  }

  clear(ref: string): void {
    const result = this.run(['clear', ...this.attributes(ref)])
    // Clearing what is not there is not an error (secret-tool exits 1 with nothing on stderr).
    if (result.status !== 0 && result.stderr.trim() !== '') throw this.failure('remove', ref, result)
  }

  private attributes(ref: string): string[] {
    return ['application', 'fieldjobs', 'data-dir', this.dataDir, 'ref', ref]
  }

  private failure(what: string, ref: string, result: KeyringCommandResult): FieldjobsError {
    const why = keyringFailureReason(result, 'secret-tool', 'keyring')
    return new FieldjobsError(
      'internal',
      `cannot ${what} the secret ${ref} in the OS keyring: ${why}. Unlock the keyring, or set FIELDJOBS_SECRET_STORE=keyfile`,
    )
  }
}
