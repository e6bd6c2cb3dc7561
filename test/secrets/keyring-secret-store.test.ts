// The OS keyring store against fake `secret-tool` and `security` executables put first on the PATH:
// the real protocol (argv, secret on stdin, exit codes) is exercised, and the fallback to the key
// file when there is no working keyring. The fakes keep secrets in a temp folder and log their argv.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openSecretStore } from '../../src-main/core/secrets/choose-secret-store'
import { KeyFileSecretStore } from '../../src-main/core/secrets/key-file-secret-store'
import { cli } from '../support/cli-harness'
import { fakeKeyring as installFakeKeyring } from '../support/fake-keyring'
import { useTempDirs } from '../support/temp-dirs'

const temp = useTempDirs()

const fakeKeyring = (tool: 'secret-tool' | 'security') => installFakeKeyring(tool, temp)

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

  it('the CLI uses it: site add stores the password in the keyring, and site list says where without probing again', async () => {
    const keyring = fakeKeyring('secret-tool')
    const dataDir = temp('fieldjobs-data-')
    const env = { ...keyring.env, P: 'cli-secret-1234' }
    const added = await cli(['site', 'add', '--no-check', '--name', 'depot', '--host', '10.0.0.1', '--user', 'admin', '--password-env', 'P', '--data-dir', dataDir], { env })
    expect(added.code, added.stderr).toBe(0)
    expect(keyring.stored()).toContain('cli-secret-1234')
    expect(existsSync(join(dataDir, 'secrets.json'))).toBe(false)
    const calls = () => keyring.argv().trim().split('\n').map((line) => JSON.parse(line) as string[])
    // The probe (store, lookup, clear of fieldjobs:probe), then the site's password.
    expect(calls().filter((args) => args.includes('fieldjobs:probe'))).toHaveLength(3)
    const siteRef = calls().at(-1)!.at(-1)! // the last call stored the site's password: store ... ref site:<id>
    const before = calls().length
    const listed = await cli(['site', 'list', '--data-dir', dataDir], { env })
    expect(listed.stdout).toContain('passwords are kept in: OS keyring (Secret Service, via secret-tool)')
    // The data folder remembers the keyring that passed: site list ran no tool at all.
    expect(calls()).toHaveLength(before)
    // A command that needs the password reads it without probing first.
    expect(openSecretStore({ dataDir, env: keyring.env, platform: 'linux' }).get(siteRef)).toBe('cli-secret-1234')
    expect(calls().filter((args) => args.includes('fieldjobs:probe'))).toHaveLength(3)
    // Without a keyring (the harness's default environment), the key file, and it says so.
    const plain = await cli(['site', 'list', '--data-dir', temp('fieldjobs-data-')])
    expect(plain.stdout).toMatch(/passwords are kept in: key file .*secret\.key \(0600\); no OS keyring/)
  })

  it('a remembered keyring that stops working: the call goes on with the key file, and the next open probes again', () => {
    const keyring = fakeKeyring('secret-tool')
    const dataDir = temp('fieldjobs-data-')
    openSecretStore({ dataDir, env: keyring.env, platform: 'linux' })
    const broken = { ...keyring.env, FAKE_KEYRING_BROKEN: '1' }
    const store = openSecretStore({ dataDir, env: broken, platform: 'linux' })
    expect(store.description).toMatch(/OS keyring/) // remembered: nothing has failed yet
    store.set('site:1', SECRET)
    expect(store.description).toMatch(/^key file .*; no OS keyring: cannot save the secret site:1 in the OS keyring/)
    expect(store.get('site:1')).toBe(SECRET)
    expect(readFileSync(join(dataDir, 'secret.key')).length).toBe(32)
    const probes = () => keyring.argv().split('\n').filter((line) => line.includes('fieldjobs:probe')).length
    const probed = probes()
    expect(openSecretStore({ dataDir, env: broken, platform: 'linux' })).toBeInstanceOf(KeyFileSecretStore)
    expect(probes()).toBeGreaterThan(probed)
    // Forced to the keyring, a failure is an error, never a quiet move to the key file.
    openSecretStore({ dataDir, env: keyring.env, platform: 'linux' })
    const strict = openSecretStore({ dataDir, env: { ...broken, FIELDJOBS_SECRET_STORE: 'keyring' }, platform: 'linux' })
    expect(() => strict.set('site:2', SECRET)).toThrow(/cannot save the secret site:2 in the OS keyring/)
  })

  it('commands that need no secret never run the keyring tool (no probe, no test secret written)', async () => {
    const keyring = fakeKeyring('secret-tool')
    const dataDir = temp('fieldjobs-data-')
    for (const args of [['job', 'list'], ['site', 'trust', 'nowhere']]) await cli([...args, '--data-dir', dataDir], { env: keyring.env })
    expect(keyring.argv()).toBe('')
    await cli(['site', 'list', '--data-dir', dataDir], { env: keyring.env })
    expect(keyring.argv()).toContain('store')
    // A bad choice is still refused at once, before anything runs.
    const bad = await cli(['job', 'list', '--data-dir', dataDir], { env: { ...keyring.env, FIELDJOBS_SECRET_STORE: 'vault' } })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('FIELDJOBS_SECRET_STORE must be one of auto, keyring, keyfile')
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
