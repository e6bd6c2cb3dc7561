// macOS: the login keychain through `security`. Reading is `find-generic-password -w` (the secret
// on standard output). Saving goes through `security -i`, which reads its command from standard
// input: `add-generic-password -w SECRET` would put the secret in argv. The secret is passed as hex
// (`-X`), so no quoting of what the user typed is ever needed.
// Not exercised on a Mac in CI; the protocol is the one `man security` documents.
import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import { FieldjobsError } from '../errors'
import { type KeyringCommandResult, type KeyringRunner, keyringFailureReason } from './keyring-command'
import type { KeyringBackend } from './keyring-secret-store'

const SERVICE = 'fieldjobs'
/** `security` exits 44 when no such item exists. */
const NOT_FOUND = 44

export class MacKeychain implements KeyringBackend {
  readonly description = 'macOS keychain (via security)'
  private readonly folder: string

  constructor(
    private readonly run: KeyringRunner,
    dataDir: string,
  ) {
    // The account names the data folder by hash: a path may hold spaces or quotes.
    this.folder = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16)
  }

  lookup(ref: string): string | undefined {
    const result = this.run(['find-generic-password', '-s', SERVICE, '-a', this.account(ref), '-w'])
    if (result.status === 0) return result.stdout.replace(/\n$/, '')
    if (result.status === NOT_FOUND) return undefined
    throw this.failure('read', ref, result)
  }

  store(ref: string, secret: string): void {
    const hex = Buffer.from(secret, 'utf8').toString('hex')
    const result = this.run(['-i'], `add-generic-password -U -s ${SERVICE} -a ${this.account(ref)} -X ${hex}\n`)
    if (result.status !== 0 || /error/i.test(result.stderr)) throw this.failure('save', ref, result)
  }

  clear(ref: string): void {
    const result = this.run(['delete-generic-password', '-s', SERVICE, '-a', this.account(ref)])
    if (result.status !== 0 && result.status !== NOT_FOUND) throw this.failure('remove', ref, result)
  }

  private account(ref: string): string {
    return `${ref}@${this.folder}`
  }

  private failure(what: string, ref: string, result: KeyringCommandResult): FieldjobsError {
    const why = keyringFailureReason(result, 'security', 'keychain')
    return new FieldjobsError('internal', `cannot ${what} the secret ${ref} in the keychain: ${why}. Set FIELDJOBS_SECRET_STORE=keyfile to use the key file`)
  }
}
