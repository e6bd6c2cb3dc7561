// api-ssl trust on first use, through the CLI as an engineer runs it, against the lab's TLS modes:
// the first connection pins the certificate, the same one passes, another one (the router "re-keyed",
// or someone in the middle) is refused with a message naming the site, both fingerprints and the
// command to re-trust; the job fails once (not retried forever) and nothing stored is lost.
// Anonymous DH is refused unless the site allows it, and warned about when it does.
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import net from 'node:net'
import tls from 'node:tls'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Job } from '../../src-main/contract/job-schema'
import type { Site } from '../../src-main/contract/site-schema'
import { FieldjobsCore } from '../../src-main/core/app/fieldjobs-core'
import { startRuntime } from '../../src-main/core/app/runtime'
import { ANONYMOUS_DH_WARNING } from '../../src-main/core/routeros/site-trust'
import { JobProgressStore } from '../../src-main/core/store/job-progress-store'
import { startLab, type Lab } from '../../src-main/lab/lab'
import { LAB_TLS_CERT } from '../../src-main/lab/wire/lab-cert'
import { cli } from '../support/cli-harness'
import { useTempDirs } from '../support/temp-dirs'
import { OTHER_TLS_CERT, OTHER_TLS_KEY } from './other-router-cert'

const tempDir = useTempDirs()
const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

async function lab(options: { routers: number; tls?: boolean | 'anonymous-dh'; password?: string }): Promise<Lab> {
  const started = await startLab(options)
  closers.push(() => started.close())
  return started
}

/** A router with another certificate on `port`: TLS ends here, the API behind is a plain lab router.
 * It opens the connection to the router only when the client sends something (a login). */
async function reKeyedRouter(port: number, backend: { host: string; port: number }) {
  const state = { backendConnections: 0 }
  const sockets = new Set<net.Socket>()
  const server = tls.createServer({ key: OTHER_TLS_KEY, cert: OTHER_TLS_CERT }, (clear) => {
    sockets.add(clear)
    clear.on('error', () => {})
    clear.once('data', (first) => {
      state.backendConnections++
      const upstream = net.connect(backend.port, backend.host)
      sockets.add(upstream)
      upstream.on('error', () => clear.destroy())
      upstream.write(first)
      clear.pipe(upstream)
      upstream.pipe(clear)
    })
  })
  server.on('tlsClientError', () => {})
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  )
  return state
}

const fingerprintOf = (pem: string) => new X509Certificate(pem).fingerprint256

function workspace(password: string) {
  const dataDir = tempDir('fieldjobs-tls-')
  const env = { ROUTER_PASSWORD: password }
  const run = (args: string[], stdin?: string) => cli([...args, '--data-dir', dataDir], { env, stdin })
  const site = async (name: string) => (await run(['site', 'list', '--json'])).json<Site[]>().find((s) => s.name === name) as Site
  const job = async (siteName: string, script: string) => {
    const created = await run(['job', 'create', '--site', siteName, '--description', script, '--script', '-', '--json'], script)
    expect(created.code, created.stderr).toBe(0)
    return created.json<Job>()
  }
  const show = async (token: string) => (await run(['job', 'show', token, '--json'])).json<Job>()
  return { dataDir, run, site, job, show }
}

describe('api-ssl certificate pinning (trust on first use)', () => {
  it('pins on first use, passes the same certificate, refuses another with a clear message and loses nothing', async () => {
    const labTls = await lab({ routers: 1, tls: true })
    const router = labTls.routers[0]!
    const w = workspace(router.password)
    const added = await w.run(['site', 'add', '--no-check', '--name', 'edge', '--host', router.host, '--port', String(router.port), '--tls', '--user', router.user, '--password-env', 'ROUTER_PASSWORD'])
    expect(added.code, added.stderr).toBe(0)
    expect(added.stdout).toMatch(/pinned on first use/)
    expect((await w.site('edge')).tls_fingerprint).toBeNull()

    // First use: the lab's certificate is pinned, the job runs.
    const first = await w.job('edge', '/system identity set name=first')
    expect((await w.run(['run', '--once'])).code).toBe(0)
    expect((await w.show(first.token)).status).toBe('completed')
    const labFingerprint = fingerprintOf(LAB_TLS_CERT)
    expect((await w.site('edge')).tls_fingerprint).toBe(labFingerprint)
    const log = readFileSync(join(w.dataDir, 'logs', 'fieldjobs.log'), 'utf8')
    expect(log).toContain(`"tls_fingerprint":"${labFingerprint}"`)

    // Same certificate: passes, the pin does not change.
    const second = await w.job('edge', '/system identity set name=second')
    await w.run(['run', '--once'])
    expect((await w.show(second.token)).status).toBe('completed')
    expect((await w.site('edge')).tls_fingerprint).toBe(labFingerprint)

    // The router comes back on the same address with another certificate.
    await labTls.close()
    const plain = (await lab({ routers: 1, password: router.password })).routers[0]!
    const reKeyed = await reKeyedRouter(router.port, plain)
    const third = await w.job('edge', '/system identity set name=third')
    const refusedRun = await w.run(['run', '--once'])
    expect(refusedRun.code).toBe(1)
    expect(refusedRun.stderr).toContain('0 completed, 1 failed, 0 waiting')
    const refused = await w.show(third.token)
    expect(refused.status).toBe('failed')
    expect(refused.attempts).toBe(1)
    expect(refused.error?.category).toBe('tls')
    const otherFingerprint = fingerprintOf(OTHER_TLS_CERT)
    expect(refused.error?.message).toContain(`site "edge" (127.0.0.1:${router.port})`)
    expect(refused.error?.message).toContain(`expected ${labFingerprint}, got ${otherFingerprint}`)
    expect(refused.error?.message).toContain('fieldjobs site trust "edge" --reset')
    expect(refusedRun.stdout).toContain(`got ${otherFingerprint}`)
    // Nothing was sent past the handshake; nothing stored was lost or changed.
    expect(reKeyed.backendConnections).toBe(0)
    expect((await w.site('edge')).tls_fingerprint).toBe(labFingerprint)
    expect((await w.show(first.token)).status).toBe('completed')
    expect((await w.show(second.token)).status).toBe('completed')
    const shown = await w.run(['site', 'trust', 'edge'])
    expect(shown.stdout).toContain(`trusts the certificate with SHA-256 ${labFingerprint}`)

    // The engineer checked the router and re-trusts: the next connection pins the new certificate.
    const reset = await w.run(['site', 'trust', 'edge', '--reset'])
    expect(reset.code, reset.stderr).toBe(0)
    expect(reset.stdout).toMatch(/no pinned certificate: the next connection pins/)
    const fourth = await w.job('edge', '/system identity set name=fourth')
    await w.run(['run', '--once'])
    expect((await w.show(fourth.token)).status).toBe('completed')
    expect((await w.site('edge')).tls_fingerprint).toBe(otherFingerprint)
    expect(reKeyed.backendConnections).toBeGreaterThan(0)
  })

  it('site check pins too and says so', async () => {
    const router = (await lab({ routers: 1, tls: true })).routers[0]!
    const w = workspace(router.password)
    await w.run(['site', 'add', '--no-check', '--name', 'edge', '--host', router.host, '--port', String(router.port), '--tls', '--user', router.user, '--password-env', 'ROUTER_PASSWORD'])
    const checked = await w.run(['site', 'check', 'edge'])
    expect(checked.code, checked.stderr).toBe(0)
    expect(checked.stderr).toContain(`pinned the certificate of "edge" on first use: SHA-256 ${fingerprintOf(LAB_TLS_CERT)}`)
    const again = await w.run(['site', 'check', 'edge'])
    expect(again.stderr).not.toContain('pinned')
  })

  it('refuses anonymous DH unless the site allows it, and warns when it does', async () => {
    const router = (await lab({ routers: 1, tls: 'anonymous-dh' })).routers[0]!
    const w = workspace(router.password)
    await w.run(['site', 'add', '--no-check', '--name', 'bare', '--host', router.host, '--port', String(router.port), '--tls', '--user', router.user, '--password-env', 'ROUTER_PASSWORD'])

    const refused = await w.job('bare', '/system identity set name=anon')
    await w.run(['run', '--once'])
    const failed = await w.show(refused.token)
    expect(failed.status).toBe('failed')
    expect(failed.attempts).toBe(1)
    expect(failed.error?.category).toBe('tls')
    expect(failed.error?.message).toMatch(/offers only anonymous DH, which Fieldjobs refuses unless allowed/)
    expect(failed.error?.message).toContain('fieldjobs site trust "bare" --allow-anonymous-dh')

    const allowed = await w.run(['site', 'trust', 'bare', '--allow-anonymous-dh'])
    expect(allowed.code, allowed.stderr).toBe(0)
    expect(allowed.stderr).toMatch(/site "bare": warning: this site allows anonymous DH: .*unauthenticated/)
    const job = await w.job('bare', '/system identity set name=anon')
    const ran = await w.run(['run', '--once'])
    expect((await w.show(job.token)).status).toBe('completed')
    expect(ran.stdout).toMatch(/warning: this site allows anonymous DH/)
    // No certificate, nothing to pin.
    expect((await w.site('bare')).tls_fingerprint).toBeNull()
    const log = readFileSync(join(w.dataDir, 'logs', 'fieldjobs.log'), 'utf8')
    expect(log).toMatch(/"level":"warn","event":"job.progress".*anonymous DH/)

    const off = await w.run(['site', 'trust', 'bare', '--no-anonymous-dh', '--json'])
    expect(off.json()).toMatchObject({ site: 'bare', allow_anonymous_dh: false })
  })

  it('warns about anonymous DH only from the process that runs the job, not from one that hears of its start', async () => {
    const router = (await lab({ routers: 1, tls: 'anonymous-dh' })).routers[0]!
    const w = workspace(router.password)
    await w.run(['site', 'add', '--no-check', '--name', 'bare', '--host', router.host, '--port', String(router.port), '--tls', '--allow-anonymous-dh', '--user', router.user, '--password-env', 'ROUTER_PASSWORD'])
    const job = await w.job('bare', '/system identity set name=anon')
    // The app on the same folder, its queue taking nothing (concurrency 0). `fieldjobs run` in a
    // terminal starts the job: the app hears of it as other-writers announces it, a job.changed.
    const app = FieldjobsCore.open({ dataDir: w.dataDir })
    const appRuntime = startRuntime(app, { concurrency: 0, probeIntervalS: 0, cloud: false, otherWritersMs: 60_000 })
    closers.push(async () => {
      await appRuntime.stop()
      await app.close()
    })
    app.events.publish({ type: 'job.changed', job: { ...job, status: 'in_progress' }, from: 'pending' })
    expect(new JobProgressStore(app.db).list(job.id).map((line) => line.message)).not.toContain(ANONYMOUS_DH_WARNING)
    // The process that runs it says it, once.
    const ran = await w.run(['run', '--once'])
    expect(ran.stdout.split('\n').filter((line) => line.includes('warning: this site allows anonymous DH'))).toHaveLength(1)
    expect(new JobProgressStore(app.db).list(job.id).filter((line) => line.message === ANONYMOUS_DH_WARNING)).toHaveLength(1)
  })

  it('site trust and site add refuse bad input with what to fix', async () => {
    const w = workspace('pw-12345678')
    const anonWithoutTls = await w.run(['site', 'add', '--no-check', '--name', 'x', '--host', '10.0.0.1', '--user', 'a', '--password-env', 'ROUTER_PASSWORD', '--allow-anonymous-dh'])
    expect(anonWithoutTls.code).toBe(2)
    expect(anonWithoutTls.stderr).toContain('--allow-anonymous-dh is for api-ssl: add --tls')
    const added = await w.run(['site', 'add', '--no-check', '--name', 'x', '--host', '10.0.0.1', '--tls', '--allow-anonymous-dh', '--user', 'a', '--password-env', 'ROUTER_PASSWORD'])
    expect(added.code, added.stderr).toBe(0)
    expect(added.stderr).toMatch(/warning: this site allows anonymous DH/)

    const bad = await w.run(['site', 'trust', 'x', '--fingerprint', 'AB:CD'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('64 hex digits, colons optional')
    const both = await w.run(['site', 'trust', 'x', '--reset', '--fingerprint', 'AB'])
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('give --reset or --fingerprint, not both')
    const hex = 'ab'.repeat(32)
    const pinned = await w.run(['site', 'trust', 'x', '--fingerprint', hex, '--json'])
    expect(pinned.code, pinned.stderr).toBe(0)
    expect(pinned.json<{ tls_fingerprint: string }>().tls_fingerprint).toBe(Array(32).fill('AB').join(':'))
    expect((await w.run(['site', 'trust', 'nowhere'])).code).toBe(3)
    const help = await w.run(['site', 'trust', '--help'])
    expect(help.stdout).toContain('site trust NAME --reset')
  })
})
