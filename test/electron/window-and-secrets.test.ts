import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { openSecretStore } from '../../src-main/core/secrets/choose-secret-store'
import { KeyFileSecretStore } from '../../src-main/core/secrets/key-file-secret-store'
import { fakeKeyring } from '../support/fake-keyring'
import { useTempDirs } from '../support/temp-dirs'
import {
  chooseSecretStore,
  type SafeStorageLike,
  SafeStorageSecretStore,
} from '../../src-main/electron/safe-storage-secret-store'
import { mainWindowOptions } from '../../src-main/electron/window-options'

describe('mainWindowOptions', () => {
  it('isolates and sandboxes the page, with no Node in it', () => {
    const { webPreferences } = mainWindowOptions('/app/out/preload/index.cjs')
    expect(webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
  })
})

/** safeStorage as the OS would behave: reversible, and not the plain text. */
class FakeSafeStorage implements SafeStorageLike {
  constructor(
    private readonly available = true,
    private readonly backend = 'gnome_libsecret',
  ) {}
  isEncryptionAvailable() {
    return this.available
  }
  encryptString(plainText: string) {
    return Buffer.from(`sealed:${Buffer.from(plainText).toString('hex')}`)
  }
  decryptString(encrypted: Buffer) {
    const text = encrypted.toString()
    if (!text.startsWith('sealed:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.')
    return Buffer.from(text.slice(7), 'hex').toString()
  }
  getSelectedStorageBackend() {
    return this.backend
  }
}

describe('SafeStorageSecretStore', () => {
  const tempDir = useTempDirs()
  let dataDir: string
  beforeEach(() => {
    dataDir = tempDir('fieldjobs-secrets-')
  })

  it('seals secrets with safeStorage in a 0600 file, never in plain text', () => {
    const store = new SafeStorageSecretStore(new FakeSafeStorage(), dataDir)
    store.set('site:1', 'p@ssw0rd')
    expect(store.get('site:1')).toBe('p@ssw0rd')
    const file = join(dataDir, 'secrets.safe-storage.json')
    expect(readFileSync(file, 'utf8')).not.toContain('p@ssw0rd')
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
    store.delete('site:1')
    expect(store.get('site:1')).toBeUndefined()
    // A new instance reads what the old one wrote.
    store.set('site:2', 'second')
    expect(new SafeStorageSecretStore(new FakeSafeStorage(), dataDir).get('site:2')).toBe('second')
  })

  it('reads secrets the CLI stored in the key file, and takes them over when they change', () => {
    const keyFile = new KeyFileSecretStore(dataDir)
    keyFile.set('site:cli', 'from-the-cli')
    const store = new SafeStorageSecretStore(new FakeSafeStorage(), dataDir, keyFile)
    expect(store.get('site:cli')).toBe('from-the-cli')
    store.set('site:cli', 'changed-in-app')
    expect(store.get('site:cli')).toBe('changed-in-app')
    expect(keyFile.get('site:cli')).toBeUndefined()
    keyFile.set('site:gone', 'x')
    store.delete('site:gone')
    expect(store.get('site:gone')).toBeUndefined()
  })

  it('says what to do when the OS store cannot unseal a secret', () => {
    const store = new SafeStorageSecretStore(new FakeSafeStorage(), dataDir)
    store.set('site:1', 'x')
    const broken = new SafeStorageSecretStore({ isEncryptionAvailable: () => true, encryptString: () => Buffer.from(''), decryptString: () => { throw new Error('bad') } }, dataDir)
    expect(() => broken.get('site:1')).toThrow(/set it again/)
  })

  it('chooses safeStorage only when the OS really protects the key', () => {
    const noKeyring = {}
    expect(chooseSecretStore(new FakeSafeStorage(true, 'gnome_libsecret'), dataDir, 'linux', noKeyring)).toBeInstanceOf(SafeStorageSecretStore)
    expect(chooseSecretStore(new FakeSafeStorage(true, 'basic_text'), dataDir, 'linux', noKeyring)).toBeInstanceOf(KeyFileSecretStore)
    expect(chooseSecretStore(new FakeSafeStorage(false), dataDir, 'darwin', { PATH: '' })).toBeInstanceOf(KeyFileSecretStore)
    expect(chooseSecretStore(new FakeSafeStorage(true, 'unknown'), dataDir, 'win32', noKeyring)).toBeInstanceOf(SafeStorageSecretStore)
  })

  it('reads a password the CLI kept in the OS keyring (a site added from the CLI works in the app)', () => {
    const keyring = fakeKeyring('secret-tool', tempDir)
    const cli = openSecretStore({ dataDir, env: keyring.env, platform: 'linux' })
    expect(cli.description).toMatch(/OS keyring/)
    cli.set('site:from-cli', 'pw-kept-by-the-cli')
    const app = chooseSecretStore(new FakeSafeStorage(true, 'gnome_libsecret'), dataDir, 'linux', keyring.env)
    expect(app).toBeInstanceOf(SafeStorageSecretStore)
    expect(app.get('site:from-cli')).toBe('pw-kept-by-the-cli')
    // A change made in the app lives in one place: the keyring's older copy goes.
    app.set('site:from-cli', 'changed-in-the-app')
    expect(cli.get('site:from-cli')).toBeUndefined()
    expect(app.get('site:from-cli')).toBe('changed-in-the-app')
  })
})
