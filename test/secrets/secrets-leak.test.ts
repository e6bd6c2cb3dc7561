// The product promise: a router password or the cloud token never appears in plain text in the
// SQLite file, its WAL, the logs, exported job history or any message the CLI prints. Real work end
// to end with a known unique secret as the lab router's password and as the cloud token: successful
// and refused logins, a failing script, a cloud push and a cloud error. Then every artefact is
// searched for the secret as UTF-8, UTF-16 and base64. The search is proven able to find it first.
import { randomBytes, randomUUID } from 'node:crypto'
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import type { Job } from '../../src-main/contract/job-schema'
import type { Site } from '../../src-main/contract/site-schema'
import { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import { KeyFileSecretStore } from '../../src-main/core/secrets/key-file-secret-store'
import { CLOUD_TOKEN_REF } from '../../src-main/core/settings/settings-store'
import { startLab } from '../../src-main/lab/lab'
import { CloudFake } from '../cloud-fake/cloud-fake'
import { cli, type CliRun } from '../support/cli-harness'
import { tempDataDir } from '../support/temp-core'

const closers: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

/** The byte patterns a secret may take: UTF-8, UTF-16LE, and base64 at each of the 3 alignments. */
function patternsOf(secret: string): Array<{ encoding: string; bytes: Buffer }> {
  const raw = Buffer.from(secret, 'utf8')
  const patterns = [
    { encoding: 'utf-8', bytes: raw },
    { encoding: 'utf-16le', bytes: Buffer.from(secret, 'utf16le') },
  ]
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), raw]).toString('base64')
    // Drop the blocks whose characters depend on the bytes around the secret.
    const stable = encoded.slice(offset === 0 ? 0 : 4, -4)
    patterns.push({ encoding: `base64+${offset}`, bytes: Buffer.from(stable, 'latin1') })
  }
  return patterns
}

/** Where (which artefact, which encoding) each secret appears. */
function findSecrets(secrets: string[], artefacts: Map<string, Buffer>): string[] {
  const found: string[] = []
  for (const secret of secrets) {
    for (const { encoding, bytes } of patternsOf(secret)) {
      for (const [name, content] of artefacts) if (content.includes(bytes)) found.push(`${name} (${encoding})`)
    }
  }
  return found
}

describe('secrets never leak', () => {
  it('the search finds a planted secret in every encoding (so a clean result means something)', () => {
    const secret = `Pl4nt${randomBytes(6).toString('hex')}`
    const artefacts = new Map<string, Buffer>([
      ['utf8', Buffer.from(`x${secret}y`)],
      ['utf16', Buffer.from(`ab${secret}cd`, 'utf16le')],
      ['b64a', Buffer.from(Buffer.from(`${secret}!`).toString('base64'))],
      ['b64b', Buffer.from(Buffer.from(`z${secret}!!`).toString('base64'))],
      ['b64c', Buffer.from(Buffer.from(`zz${secret}!!!`).toString('base64'))],
      ['clean', Buffer.from('nothing here')],
    ])
    const found = findSecrets([secret], artefacts)
    for (const name of ['utf8', 'utf16', 'b64a', 'b64b', 'b64c']) expect(found.some((where) => where.startsWith(name))).toBe(true)
    expect(found.some((where) => where.startsWith('clean'))).toBe(false)
  })

  it('router passwords and the cloud token are not in the database, its WAL, the logs, JSON output or errors', async () => {
    const secret = `Lk7${randomBytes(10).toString('hex')}Zq`
    const wrong = `Wr0${randomBytes(10).toString('hex')}Ng`
    const lab = await startLab({ routers: 1, password: secret })
    closers.push(() => lab.close())
    const router = lab.routers[0]!
    const fake = await CloudFake.start({ token: secret, device: { startAfterMs: null, finishAfterMs: 0 } })
    closers.push(() => fake.close())
    const dataDir = tempDataDir('fieldjobs-leak-')
    closers.push(() => rmSync(dataDir, { recursive: true, force: true }))

    const env = { ROUTER_PASSWORD: secret, WRONG_PASSWORD: wrong, FIELDJOBS_SECRET_STORE: 'keyfile' }
    const runs: CliRun[] = []
    const run = async (args: string[], stdin?: string) => {
      const result = await cli([...args, '--data-dir', dataDir], { env, stdin })
      runs.push(result)
      return result
    }
    const addSite = (name: string, passwordEnv: string, extra: string[] = []) =>
      run(['site', 'add', '--no-check', '--name', name, '--host', router.host, '--port', String(router.port), '--user', router.user, '--password-env', passwordEnv, ...extra])
    expect((await addSite('office', 'ROUTER_PASSWORD')).code).toBe(0)
    expect((await addSite('typo', 'WRONG_PASSWORD')).code).toBe(0)
    expect((await addSite('remote', 'ROUTER_PASSWORD', ['--cloud-site-id', randomUUID()])).code).toBe(0)

    // The cloud token saved the way the app saves it: in the secret store, the URL in the settings.
    const setup = FieldjobsCore.open({ dataDir, secrets: new KeyFileSecretStore(dataDir) })
    setup.secrets.set(CLOUD_TOKEN_REF, secret)
    setup.settings.update({ cloud_api_url: fake.url })
    await setup.close()

    // A reader holds the database open throughout, so the WAL is still there to be searched.
    const reader = new Database(join(dataDir, 'fieldjobs.db'), { readonly: true })
    closers.push(() => void reader.close())
    reader.prepare('SELECT count(*) FROM sites').get()

    const create = async (site: string, script: string, extra: string[] = []) => {
      const created = await run(['job', 'create', '--site', site, '--description', `leak check on ${site}`, '--script', '-', '--json', ...extra], script)
      expect(created.code, created.stderr).toBe(0)
      return created.json<Job>()
    }
    const ok = await create('office', '/system identity set name=leak-ok', ['--backup'])
    const failing = await create('office', ':error "the script stops here"')
    const refused = await create('typo', '/system identity set name=never')
    const pushed = await create('remote', '/ip address print', ['--route', 'cloud'])

    // One job fails on purpose (`:error`), so the round exits 1.
    expect((await run(['run', '--once'])).code).toBe(1)
    // Cloud errors: the fake answers 500 to every try of the next rounds (the runtime's and sync's).
    const cloudTrouble = await create('remote', '/ip route print', ['--route', 'cloud'])
    fake.failNext(20, 500)
    expect((await run(['run', '--once'])).code).toBe(0)
    fake.failNext(20, 500)
    const troubled = await run(['sync', '--once'])
    // Only waiting on the cloud: a round that did what it could exits 0 (for cron).
    expect(troubled.code).toBe(0)
    // And a refused token: the environment's token wins over the stored one and is wrong.
    const badEnv = { ...env, FIELDJOBS_API_TOKEN: `${wrong}-cloud` }
    const badToken = await cli(['sync', '--once', '--data-dir', dataDir], { env: badEnv })
    runs.push(badToken)
    expect(badToken.code).toBe(1)
    runs.push(await cli(['run', '--once', '--data-dir', dataDir], { env: badEnv }))
    const checked = await run(['site', 'check', 'typo'])
    expect(checked.code).toBe(1)

    // The work really happened, with the real secret.
    const show = async (job: Job) => (await run(['job', 'show', job.token, '--json'])).json<Job>()
    expect((await show(ok)).status).toBe('completed')
    expect((await show(failing)).status).toBe('failed')
    const refusedNow = await show(refused)
    expect(refusedNow.status).toBe('failed')
    expect(refusedNow.error?.category).toBe('auth')
    expect((await show(pushed)).cloud_job_id).not.toBeNull()
    expect((await show(cloudTrouble)).cloud_job_id).toBeNull()
    expect(troubled.stdout + troubled.stderr).toMatch(/500|server/i)
    expect(badToken.stdout + badToken.stderr).toMatch(/401|token/i)
    expect(checked.stdout).toMatch(/offline: .*refused the login of "admin"/)
    const sites = (await run(['site', 'list', '--json'])).json<Site[]>()
    const office = sites.find((site) => site.name === 'office')!
    // The secret is really there, sealed: the key file store opens it. Proves the search has a target.
    const sealed = new KeyFileSecretStore(dataDir)
    expect(sealed.get(office.secret_ref)).toBe(secret)
    expect(sealed.get(CLOUD_TOKEN_REF)).toBe(secret)
    await run(['job', 'list', '--json'])
    await run(['job', 'list'])
    for (const job of [ok, failing, refused, pushed, cloudTrouble]) await run(['job', 'show', job.token])

    // Artefacts: the database and its WAL copied while open, every log file, everything printed.
    const snapshot = mkdtempSync(join(tmpdir(), 'fieldjobs-leak-snapshot-'))
    closers.push(() => rmSync(snapshot, { recursive: true, force: true }))
    const artefacts = new Map<string, Buffer>()
    for (const file of ['fieldjobs.db', 'fieldjobs.db-wal']) {
      expect(existsSync(join(dataDir, file)), `${file} exists`).toBe(true)
      copyFileSync(join(dataDir, file), join(snapshot, file))
      artefacts.set(file, readFileSync(join(snapshot, file)))
    }
    expect(artefacts.get('fieldjobs.db-wal')!.length).toBeGreaterThan(0)
    const logDir = join(dataDir, 'logs')
    const logs = readdirSync(logDir)
    expect(logs).toContain('fieldjobs.log')
    for (const file of logs) artefacts.set(`logs/${file}`, readFileSync(join(logDir, file)))
    const log = readFileSync(join(logDir, 'fieldjobs.log'), 'utf8')
    expect(log).toMatch(/"event":"job.transition".*"to":"failed".*"category":"auth"/)
    expect(log).toMatch(/"event":"cloud.sync_error"/)
    runs.forEach((result, index) => artefacts.set(`cli output #${index}`, Buffer.from(result.stdout + result.stderr)))
    // Secrets.json holds them sealed: searched too, it must not hold them in any readable form.
    artefacts.set('secrets.json', readFileSync(join(dataDir, 'secrets.json')))

    // The artefacts are readable text where it matters: what was stored can be found in them.
    const storedText = Buffer.concat([artefacts.get('fieldjobs.db')!, artefacts.get('fieldjobs.db-wal')!])
    expect(storedText.includes('leak check on office')).toBe(true)
    expect(findSecrets([secret, wrong], artefacts)).toEqual([])
    // Self-check on the real artefacts: a planted copy in the copied WAL is found.
    writeFileSync(join(snapshot, 'planted'), Buffer.concat([artefacts.get('fieldjobs.db-wal')!, Buffer.from(secret, 'utf16le')]))
    expect(findSecrets([secret], new Map([['planted', readFileSync(join(snapshot, 'planted'))]]))).toEqual(['planted (utf-16le)'])
  })
})
