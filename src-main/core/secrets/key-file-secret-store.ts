// Secrets sealed with AES-256-GCM under a random key kept in `<data-dir>/secret.key` (mode 0600),
// in `<data-dir>/secrets.json`. It keeps secrets out of the database, its WAL, logs and backups of
// the database; it does not protect against someone who can read the user's files, which is why
// the app prefers safeStorage or the OS keyring when they exist.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { FieldjobsError } from '../errors'
import { PrivateJsonFile } from './private-json-file'
import type { SecretStore } from './secret-store'

interface SealedSecret {
  iv: string
  tag: string
  data: string
}

export class KeyFileSecretStore implements SecretStore {
  readonly description: string
  private readonly keyFile: string
  private readonly secretsFile: PrivateJsonFile<SealedSecret>
  private key: Buffer | undefined

  /** `why`: the reason the key file was chosen over a keyring, shown in the description. */
  constructor(dataDir: string, why?: string) {
    this.keyFile = join(dataDir, 'secret.key')
    this.secretsFile = new PrivateJsonFile(join(dataDir, 'secrets.json'))
    this.description = `key file ${this.keyFile} (0600)${why ? `; ${why}` : ''}`
  }

  get(ref: string): string | undefined {
    const sealed = this.secretsFile.read()[ref]
    if (!sealed) return undefined
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.loadKey(), Buffer.from(sealed.iv, 'base64'))
      decipher.setAAD(Buffer.from(ref))
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'))
      return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8')
    } catch {
      throw new FieldjobsError(
        'internal',
        `the secret ${ref} cannot be unsealed with ${this.keyFile}: was the key file replaced? Set the password again.`,
      )
    }
  }

  set(ref: string, secret: string): void {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.loadKey(), iv)
    // The reference is authenticated too, so a sealed secret cannot be moved to another site.
    cipher.setAAD(Buffer.from(ref))
    const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()])
    const all = this.secretsFile.read()
    all[ref] = { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') }
    this.secretsFile.write(all)
  }

  delete(ref: string): void {
    const all = this.secretsFile.read()
    if (!(ref in all)) return
    delete all[ref]
    this.secretsFile.write(all)
  }

  private loadKey(): Buffer {
    if (this.key) return this.key
    if (existsSync(this.keyFile)) {
      this.key = readFileSync(this.keyFile)
      if (this.key.length !== 32) {
        throw new FieldjobsError('internal', `${this.keyFile} is not a Fieldjobs key file (expected 32 bytes)`)
      }
    } else {
      this.key = randomBytes(32)
      writeFileSync(this.keyFile, this.key, { mode: 0o600, flag: 'wx' })
    }
    return this.key
  }
}
