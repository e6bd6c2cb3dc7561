// The contract holds: our client's requests and the fake's answers pass through Prism's validating
// proxy (../shared/spec/altostrat-jobs.yaml) without a violation. Prism checks the request (path,
// security, the X-* headers' formats, the text/plain body and its Content-Type) and the answer
// (status documented for the operation, body against the Job / ErrorResponse schemas with formats).
// One Prism per file: it takes seconds to start.
import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CloudClient } from '../../src-main/core/cloud/cloud-client'
import { CloudApiError } from '../../src-main/core/cloud/cloud-errors'
import { CloudFake } from '../cloud-fake/cloud-fake'
import { freePort } from '../support/free-port'
import { repoRoot } from '../support/repo-root'

const specPath = resolve(repoRoot, '../shared/spec/altostrat-jobs.yaml')

interface Seen {
  method: string
  path: string
  status: number
  violations: string | undefined
}

let fake: CloudFake
let prism: ChildProcess
let prismUrl: string
let prismLog = ''

beforeAll(async () => {
  fake = await CloudFake.start()
  const port = await freePort()
  prism = spawn(
    resolve(repoRoot, 'node_modules/.bin/prism'),
    ['proxy', '--errors', specPath, fake.url, '--port', String(port), '--host', '127.0.0.1'],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  // Wait for Prism to say it listens (it prints its address once the spec is loaded).
  await new Promise<void>((ready, failed) => {
    const read = (chunk: Buffer) => {
      prismLog += chunk.toString('utf8')
      if (prismLog.includes(`127.0.0.1:${port}`)) ready()
    }
    prism.stdout?.on('data', read)
    prism.stderr?.on('data', read)
    prism.once('exit', (code) => failed(new Error(`prism exited with ${code}:\n${prismLog}`)))
  })
  prismUrl = `http://127.0.0.1:${port}`
}, 60_000)

afterAll(async () => {
  for (const made of clients) made.close()
  prism?.kill('SIGTERM')
  await fake?.close()
})

const clients: CloudClient[] = []

function client(seen: Seen[], token = fake.token): CloudClient {
  const made = new CloudClient({
    baseUrl: prismUrl,
    token,
    rateLimit: null,
    retry: { baseMs: 2, capMs: 20, maxAttempts: 1 },
    onAnswer: ({ method, path, status, headers }) =>
      seen.push({ method, path, status, violations: headers['sl-violations'] as string | undefined }),
  })
  clients.push(made)
  return made
}

const request = (fields: Record<string, unknown> = {}) => ({
  idempotency_key: randomUUID(),
  description: 'Add a firewall rule for guests',
  script: '/ip firewall filter add chain=forward action=accept src-address-list=guests',
  needs_acknowledgement: true,
  should_backup: true,
  express_execute: false,
  ...fields,
})

describe('through Prism, against the spec', () => {
  it('create, retrieve, cancel (204), 404s and 429 job_already_started: no violation', async () => {
    const seen: Seen[] = []
    const api = client(seen)
    const siteId = randomUUID()
    const sent = request()
    const job = await api.createJob(siteId, sent)
    expect(job.idempotency_key).toBe(sent.idempotency_key)
    // The same key again: the fake replays the original 201.
    expect((await api.createJob(siteId, sent)).id).toBe(job.id)
    expect((await api.retrieveJob(siteId, job.id)).id).toBe(job.id)
    fake.deviceControl.complete(job.id)
    expect((await api.retrieveJob(siteId, job.id)).completed_at).not.toBeNull()

    const other = await api.createJob(siteId, request({ needs_acknowledgement: false, express_execute: true }))
    expect(await api.cancelJob(siteId, other.id)).toEqual({ outcome: 'deleted' })
    expect(await api.cancelJob(siteId, other.id)).toEqual({ outcome: 'gone' })
    await expect(api.retrieveJob(siteId, other.id)).rejects.toMatchObject({ status: 404 })

    const started = await api.createJob(siteId, request())
    fake.deviceControl.start(started.id)
    const refused = await api.cancelJob(siteId, started.id)
    expect(refused.outcome).toBe('refused')

    expect(seen.map((s) => `${s.method} ${s.status}`)).toEqual([
      'POST 201', 'POST 201', 'GET 200', 'GET 200', 'POST 201', 'DELETE 204', 'DELETE 404', 'GET 404', 'POST 201', 'DELETE 429',
    ])
    expect(seen.filter((s) => s.violations !== undefined)).toEqual([])
    // With --errors a violation would have become a Prism error answer (422 or 500), never a pass.
    expect(prismLog).not.toMatch(/Violation/)
  })

  it('a request the spec forbids is caught by Prism, not by luck (the check is live)', async () => {
    const seen: Seen[] = []
    const api = client(seen)
    const error = await api.createJob(randomUUID(), request({ description: 'no' })).catch((e: unknown) => e)
    // Prism answers before the fake sees it: X-Description is shorter than the spec's minLength 3.
    expect(error).toBeInstanceOf(CloudApiError)
    expect((error as CloudApiError).status).toBe(422)
  })

  it('spec gaps, documented: rate-limit 429 and 500 on GET are real SDX answers the spec does not list', async () => {
    const seen: Seen[] = []
    const api = client(seen)
    const siteId = randomUUID()
    const job = await api.createJob(siteId, request())
    fake.failNext(1, 500)
    await expect(api.retrieveJob(siteId, job.id)).rejects.toMatchObject({ status: 500 })
    expect((seen.at(-1) as Seen).violations).toMatch(/Unable to match the returned status code/)

    fake.rateLimit = { requests: 1, windowMs: 60_000 }
    try {
      const impatient = new CloudClient({ baseUrl: prismUrl, token: fake.token, rateLimit: null, maxRateLimitWaits: 0,
        onAnswer: ({ method, path, status, headers }) =>
          seen.push({ method, path, status, violations: headers['sl-violations'] as string | undefined }) })
      await impatient.retrieveJob(siteId, job.id)
      await expect(impatient.retrieveJob(siteId, job.id)).rejects.toMatchObject({ status: 429, code: 'rate_limited' })
      impatient.close()
    } finally {
      fake.rateLimit = null
    }
    expect((seen.at(-1) as Seen).violations).toMatch(/Unable to match the returned status code/)
  })
})
