// The OS keyring store against fake `secret-tool` and `security` executables put first on the PATH:
// the real protocol (argv, secret on stdin, exit codes) is exercised, and the fallback to the key
// file when there is no working keyring. The fakes keep secrets in a temp folder and log their argv.
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openSecretStore } from '../../src-main/core/secrets/choose-secret-store'
import { KeyFileSecretStore } from '../../src-main/core/secrets/key-file-secret-store'
import { cli } from '../support/cli-harness'

const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})
const temp = (prefix: string) => {
  const folder = mkdtempSync(join(tmpdir(), prefix))
  folders.push(folder)
  return folder
}

// secret-tool as libsecret documents it: store --label=L attrs... (secret on stdin), lookup attrs...
// (secret on stdout, exit 1 when absent), clear attrs.... FAKE_KEYRING_BROKEN imitates a session
// without a Secret Service.
const FAKE_SECRET_TOOL = `#!${process.execPath}
const fs = require('node:fs'), path = require('node:path'), crypto = require('node:crypto')
const dir = process.env.FAKE_KEYRING_DIR
fs.appendFileSync(path.join(dir, 'argv.log'), JSON.stringify(process.argv.slice(2)) + '\\n')
if (process.env.FAKE_KEYRING_BROKEN) { process.stderr.write('Cannot autolaunch D-Bus without X11 $DISPLAY\\n'); process.exit(1) }
const [command, ...rest] = process.argv.slice(2)
if (command === 'store' && !/^--label=./.test(rest[0] || '')) { process.stderr.write('usage: secret-tool store --label=...\\n'); process.exit(2) }
const attributes = command === 'store' ? rest.slice(1) : rest
if (attributes.length === 0 || attributes.length % 2 !== 0) { process.stderr.write('must specify attribute and value pairs\\n'); process.exit(2) }
const file = path.join(dir, crypto.createHash('sha256').update(attributes.join('\\0')).digest('hex') + '.secret')
if (command === 'store') fs.writeFileSync(file, fs.readFileSync(0))
else if (command === 'lookup') { if (!fs.existsSync(file)) process.exit(1); process.stdout.write(fs.readFileSync(file)) }
else if (command === 'clear') { if (!fs.existsSync(file)) process.exit(1); fs.rmSync(file) }
else { process.stderr.write('unknown command\\n'); process.exit(2) }
`

// security as macOS documents it: find-generic-password -s S -a A -w (exit 44 when absent),
// delete-generic-password -s S -a A, and -i reading "add-generic-password -U -s S -a A -X HEX".
const FAKE_SECURITY = `#!${process.execPath}
const fs = require('node:fs'), path = require('node:path')
const dir = process.env.FAKE_KEYRING_DIR
const argv = process.argv.slice(2)
fs.appendFileSync(path.join(dir, 'argv.log'), JSON.stringify(argv) + '\\n')
const option = (words, flag) => words[words.indexOf(flag) + 1]
const fileOf = (words) => path.join(dir, option(words, '-s') + '--' + option(words, '-a') + '.secret')
if (argv[0] === '-i') {
  for (const line of fs.readFileSync(0, 'utf8').split('\\n').filter(Boolean)) {
    const words = line.trim().split(/\\s+/)
    if (words[0] !== 'add-generic-password' || !words.includes('-X')) { process.stderr.write('security: unknown command\\n'); process.exit(1) }
    fs.writeFileSync(fileOf(words), Buffer.from(option(words, '-X'), 'hex'))
  }
} else if (argv[0] === 'find-generic-password') {
  if (!fs.existsSync(fileOf(argv))) { process.stderr.write('security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain.\\n'); process.exit(44) }
  process.stdout.write(fs.readFileSync(fileOf(argv), 'utf8') + '\\n')
} else if (argv[0] === 'delete-generic-password') {
  if (!fs.existsSync(fileOf(argv))) process.exit(44)
  fs.rmSync(fileOf(argv))
} else process.exit(2)
`

function fakeKeyring(tool: 'secret-tool' | 'security') {
  const bin = temp('fieldjobs-fake-bin-')
  const store = temp('fieldjobs-fake-keyring-')
  writeFileSync(join(bin, tool), tool === 'secret-tool' ? FAKE_SECRET_TOOL : FAKE_SECURITY)
  chmodSync(join(bin, tool), 0o755)
  const env: Record<string, string> = {
    PATH: `${bin}:/usr/bin:/bin`,
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus',
    FAKE_KEYRING_DIR: store,
  }
  const argv = () => (existsSync(join(store, 'argv.log')) ? readFileSync(join(store, 'argv.log'), 'utf8') : '')
  const stored = () =>
    readdirSync(store)
      .filter((name) => name.endsWith('.secret'))
      .map((name) => readFileSync(join(store, name), 'utf8'))
  return { env, argv, stored }
}

const SECRET = 'router pw "with" spaces, ünïcode\nand a newline'

describe('the OS keyring store (Linux, secret-tool)', () => {
  it('is chosen when the probe round-trips, keeps secrets there, and never puts one in argv', () => {
    const keyring = fakeKeyring('secret-tool')
    const dataDir = temp('fieldjobs-data-')
    const store = openSecretStore({ dataDir, env: keyring.env, platform: 'linux' })
    expect(store.description).toMatch(/OS keyring \(Secret Service, via secret-tool\)/)

    store.set('site:1', SECRET)
    expect(store.get('site:1')).toBe(SECRET)
    expect(keyring.stored()).toContain(SECRET)
    expect(store.get('site:2')).toBeUndefined()
    store.delete('site:1')
    expect(store.get('site:1')).toBeUndefined()
    expect(keyring.stored()).not.toContain(SECRET)

    const calls = keyring.argv().trim().split('\n').map((line) => JSON.parse(line) as string[])
    expect(calls.some((args) => args[0] === 'store' && args.includes('site:1') && args.includes(dataDir))).toBe(true)
    expect(keyring.argv()).not.toContain('router pw')
    // Nothing in the data folder: no key file, no secrets file.
    expect(existsSync(join(dataDir, 'secrets.json'))).toBe(false)
    expect(existsSync(join(dataDir, 'secret.key'))).toBe(false)
  })

  it('falls back to the key file when the keyring does not work, and says why', () => {
    const keyring = fakeKeyring('secret-tool')
    const dataDir = temp('fieldjobs-data-')
    const broken = openSecretStore({ dataDir, env: { ...keyring.env, FAKE_KEYRING_BROKEN: '1' }, platform: 'linux' })
    expect(broken).toBeInstanceOf(KeyFileSecretStore)
    expect(broken.description).toMatch(/^key file .*secret\.key \(0600\); no OS keyring: .*did not keep a test secret/)
    broken.set('site:1', SECRET)
    expect(broken.get('site:1')).toBe(SECRET)
    expect((readFileSync(join(dataDir, 'secret.key')).length)).toBe(32)

    const noBus = openSecretStore({ dataDir, env: { ...keyring.env, DBUS_SESSION_BUS_ADDRESS: '' }, platform: 'linux' })
    expect(noBus.description).toMatch(/no D-Bus session/)
    const noTool = openSecretStore({ dataDir, env: { ...keyring.env, PATH: '/nonexistent' }, platform: 'linux' })
    expect(noTool.description).toMatch(/secret-tool is not installed/)
    expect(openSecretStore({ dataDir, env: keyring.env, platform: 'win32' }).description).toMatch(/no OS keyring adapter for win32/)
  })

  it('FIELDJOBS_SECRET_STORE forces a store: keyfile never runs the tool, keyring fails loudly without one', () => {
    const keyring = fakeKeyring('secret-tool')
    const dataDir = temp('fieldjobs-data-')
    const forced = openSecretStore({ dataDir, env: { ...keyring.env, FIELDJOBS_SECRET_STORE: 'keyfile' }, platform: 'linux' })
    expect(forced).toBeInstanceOf(KeyFileSecretStore)
    expect(keyring.argv()).toBe('')
    expect(() =>
      openSecretStore({ dataDir, env: { ...keyring.env, FAKE_KEYRING_BROKEN: '1', FIELDJOBS_SECRET_STORE: 'keyring' }, platform: 'linux' }),
    ).toThrow(/FIELDJOBS_SECRET_STORE=keyring, but the OS keyring cannot be used: .*Unset it to use the key file/)
    expect(() => openSecretStore({ dataDir, env: { FIELDJOBS_SECRET_STORE: 'vault' } })).toThrow(
      /FIELDJOBS_SECRET_STORE must be one of auto, keyring, keyfile, not "vault"/,
    )
  })

  it('moves a password saved earlier in the key file into the keyring when it is first read', () => {
    const keyring = fakeKeyring('secret-tool')
    const dataDir = temp('fieldjobs-data-')
    new KeyFileSecretStore(dataDir).set('site:old', SECRET)
    const store = openSecretStore({ dataDir, env: keyring.env, platform: 'linux' })
    expect(store.get('site:old')).toBe(SECRET)
    expect(keyring.stored()).toContain(SECRET)
    expect(new KeyFileSecretStore(dataDir).get('site:old')).toBeUndefined()
    expect(store.get('site:old')).toBe(SECRET)
  })

  it('the CLI uses it: site add stores the password in the keyring and site list says where', async () => {
    const keyring = fakeKeyring('secret-tool')
    const dataDir = temp('fieldjobs-data-')
    const env = { ...keyring.env, P: 'cli-secret-1234' }
    const added = await cli(['site', 'add', '--name', 'depot', '--host', '10.0.0.1', '--user', 'admin', '--password-env', 'P', '--data-dir', dataDir], { env })
    expect(added.code, added.stderr).toBe(0)
    expect(keyring.stored()).toContain('cli-secret-1234')
    expect(existsSync(join(dataDir, 'secrets.json'))).toBe(false)
    const listed = await cli(['site', 'list', '--data-dir', dataDir], { env })
    expect(listed.stdout).toContain('passwords are kept in: OS keyring (Secret Service, via secret-tool)')
    // Without a keyring (the harness's default environment), the key file, and it says so.
    const plain = await cli(['site', 'list', '--data-dir', temp('fieldjobs-data-')])
    expect(plain.stdout).toMatch(/passwords are kept in: key file .*secret\.key \(0600\); no OS keyring/)
  })
})

describe('the OS keyring store (macOS, security)', () => {
  it('saves through `security -i` on stdin (hex), reads with find-generic-password -w, deletes', () => {
    const keychain = fakeKeyring('security')
    const dataDir = temp('fieldjobs-data-')
    const store = openSecretStore({ dataDir, env: keychain.env, platform: 'darwin' })
    expect(store.description).toBe('macOS keychain (via security)')
    store.set('cloud:token', SECRET)
    expect(store.get('cloud:token')).toBe(SECRET)
    expect(keychain.stored()).toContain(SECRET)
    store.delete('cloud:token')
    expect(store.get('cloud:token')).toBeUndefined()
    expect(keychain.argv()).not.toContain('router pw')
    expect(keychain.argv()).not.toContain(Buffer.from(SECRET).toString('hex'))
  })
})
