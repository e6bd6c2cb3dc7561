// The SDX Jobs client against the fake: validation, typed errors, retries, both meanings of 429,
// Retry-After, pacing, time-outs, and the token never shown whole.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { apiPaths, apiUrl } from '../../src-main/core/cloud/api-paths'
import { parseRetryAfter, utf8HeaderValue } from '../../src-main/core/cloud/cloud-client'
import { CloudApiError, CloudResponseError, CloudUnreachableError } from '../../src-main/core/cloud/cloud-errors'
import { RequestPacer } from '../../src-main/core/cloud/request-pacer'
import { maskToken, redactToken } from '../../src-main/core/cloud/token-mask'
import { useCloud } from './harness'

const cloud = useCloud()

const request = (fields: Partial<Parameters<import('../../src-main/core/cloud/cloud-client').CloudClient['createJob']>[1]> = {}) => ({
  idempotency_key: randomUUID(),
  description: 'Add a firewall rule',
  script: '/ip firewall filter add chain=forward action=accept',
  needs_acknowledgement: true,
  should_backup: false,
  express_execute: false,
  ...fields,
})

/** A server that answers every request with the same raw response, for answers the fake never gives. */
async function rawServer(status: number, headers: Record<string, string>, body: string) {
  const server = http.createServer((_request, response) => {
    response.writeHead(status, headers)
    response.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }),
  }
}

describe('paths', () => {
  it('keeps every path in one place and joins a base URL with a path prefix', () => {
    expect(apiPaths.siteJobs('a b')).toBe('/site/a%20b/job')
    expect(apiPaths.siteJob('s', 'j')).toBe('/site/s/job/j')
    expect(apiUrl('https://api.example.com/v2/', '/site/s/job').href).toBe('https://api.example.com/v2/site/s/job')
    expect(apiUrl('https://v1.api.altostrat.io', '/site/s/job').href).toBe('https://v1.api.altostrat.io/site/s/job')
  })
})

describe('create, retrieve, cancel', () => {
  it('creates a job with the spec headers and reads it back, validated', async () => {
    const fake = await cloud.fake()
    const client = cloud.client(fake)
    const siteId = randomUUID()
    const sent = request({ description: 'Règle pare-feu: invités', should_backup: true, express_execute: true, needs_acknowledgement: false })
    const job = await client.createJob(siteId, sent)
    expect(job).toMatchObject({
      site_id: siteId,
      idempotency_key: sent.idempotency_key,
      description: 'Règle pare-feu: invités',
      should_backup: true,
      express_execute: true,
      needs_acknowledgement: false,
      started_at: null,
      script: sent.script,
    })
    expect(await client.retrieveJob(siteId, job.id)).toEqual(job)
    expect(utf8HeaderValue('plain')).toBe('plain')
  })

  it('turns an ErrorResponse into a typed CloudApiError and does not retry a 400', async () => {
    const fake = await cloud.fake()
    const client = cloud.client(fake)
    const error = await client.createJob(randomUUID(), request({ description: 'ab' })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CloudApiError)
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error', code: 'parameter_invalid' })
    expect((error as Error).message).toMatch(/X-Description/)
    expect(fake.counters.requests).toBe(1)
  })

  it('reports 404 as a typed error with a clear message', async () => {
    const fake = await cloud.fake({ sites: [] })
    const client = cloud.client(fake)
    const error = await client.retrieveJob(randomUUID(), randomUUID()).catch((e: unknown) => e)
    expect(error).toMatchObject({ status: 404, code: 'not_found' })
    const refused = await client.createJob(randomUUID(), request()).catch((e: unknown) => e)
    expect(refused).toMatchObject({ status: 404 })
    expect((refused as Error).message).toMatch(/cloud site id/)
  })

  it('cancel: 204 deleted, 404 gone, 429 job_already_started refused (not rate limiting)', async () => {
    const fake = await cloud.fake()
    const client = cloud.client(fake)
    const siteId = randomUUID()
    const pending = await client.createJob(siteId, request())
    expect(await client.cancelJob(siteId, pending.id)).toEqual({ outcome: 'deleted' })
    expect(await client.cancelJob(siteId, pending.id)).toEqual({ outcome: 'gone' })
    const started = await client.createJob(siteId, request())
    fake.deviceControl.start(started.id)
    const before = fake.counters.requests
    const refused = await client.cancelJob(siteId, started.id)
    expect(refused.outcome).toBe('refused')
    if (refused.outcome === 'refused') {
      expect(refused.error.isJobAlreadyStarted).toBe(true)
      expect(refused.error.isRateLimited).toBe(false)
    }
    // Read as a refusal, not as back-pressure: asked once, not retried.
    expect(fake.counters.requests - before).toBe(1)
    expect(client.stats.rateLimited).toBe(0)
  })
})

describe('answers that are not the API', () => {
  it('HTML instead of JSON is a clear CloudResponseError', async () => {
    const fake = await cloud.fake()
    const client = cloud.client(fake)
    fake.htmlNext()
    const error = await client.retrieveJob(randomUUID(), randomUUID()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CloudResponseError)
    expect((error as Error).message).toMatch(/HTML page/)
  })

  it('a Job without a valid id is refused by the schema', async () => {
    const server = await rawServer(200, { 'Content-Type': 'application/json' }, JSON.stringify({ id: 42, started_at: 'soon' }))
    try {
      const client = cloud.client({ url: server.url, token: 'token-for-a-raw-server' })
      const error = await client.retrieveJob(randomUUID(), randomUUID()).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(CloudResponseError)
      expect((error as Error).message).toMatch(/id: id must be a UUID/)
      expect((error as Error).message).toMatch(/started_at/)
    } finally {
      await server.close()
    }
  })

  it('truncated JSON says it was cut off (and is retried: the second answer is whole)', async () => {
    const fake = await cloud.fake()
    const client = cloud.client(fake, { retry: { ...cloudRetry, maxAttempts: 1 } })
    const siteId = randomUUID()
    const job = await client.createJob(siteId, request())
    fake.truncateNext()
    const error = await client.retrieveJob(siteId, job.id).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CloudResponseError)
    expect((error as Error).message).toMatch(/cut off/)
    const retrying = cloud.client(fake)
    fake.truncateNext()
    expect((await retrying.retrieveJob(siteId, job.id)).id).toBe(job.id)
  })

  it('a 502 HTML page from a proxy is a retryable CloudApiError that says so', async () => {
    const server = await rawServer(502, { 'Content-Type': 'text/html' }, '<html>Bad gateway</html>')
    try {
      const client = cloud.client({ url: server.url, token: 'token-for-a-raw-server' })
      const error = await client.retrieveJob(randomUUID(), randomUUID()).catch((e: unknown) => e)
      expect(error).toMatchObject({ status: 502, code: 'http_502' })
      expect((error as Error).message).toMatch(/HTML page/)
      expect(client.stats.retries).toBe(3)
    } finally {
      await server.close()
    }
  })
})

const cloudRetry = { baseMs: 2, capMs: 20 }

describe('retries', () => {
  it('retries 5xx and connection resets, then succeeds', async () => {
    const fake = await cloud.fake()
    const client = cloud.client(fake)
    fake.failNext(2, 503)
    fake.resetNext(1)
    const job = await client.createJob(randomUUID(), request())
    expect(job.id).toBeTruthy()
    expect(fake.counters.requests).toBe(4)
    expect(client.stats.retries).toBe(3)
  })

  it('gives up after maxAttempts with the last error', async () => {
    const fake = await cloud.fake()
    const client = cloud.client(fake, { retry: { ...cloudRetry, maxAttempts: 3 } })
    fake.failNext(5, 500)
    const error = await client.createJob(randomUUID(), request()).catch((e: unknown) => e)
    expect(error).toMatchObject({ status: 500, code: 'internal_server_error' })
    expect(fake.counters.requests).toBe(3)
  })

  it('a connection refused is an unreachable error that was never sent', async () => {
    const fake = await cloud.fake()
    const client = cloud.client(fake, { retry: { ...cloudRetry, maxAttempts: 2 } })
    await fake.goOffline()
    const error = await client.retrieveJob(randomUUID(), randomUUID()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CloudUnreachableError)
    expect(error).toMatchObject({ sent: 'no', reason: 'ECONNREFUSED' })
  })

  it('a commit-then-drop create retried with the same key returns the same job, created once', async () => {
    const fake = await cloud.fake()
    const client = cloud.client(fake)
    const sent = request()
    fake.dropAfterCommitNext()
    const job = await client.createJob(randomUUID(), sent)
    expect(fake.counters.dropsAfterCommit).toBe(1)
    expect(fake.counters.createdByKey[sent.idempotency_key]).toBe(1)
    expect(fake.jobByKey(sent.idempotency_key)?.id).toBe(job.id)
  })
})

describe('rate limiting', () => {
  it('a rate-limit 429 honours Retry-After and then succeeds', async () => {
    const fake = await cloud.fake({ rateLimit: { requests: 1, windowMs: 1_000 } })
    const client = cloud.client(fake)
    const siteId = randomUUID()
    const job = await client.createJob(siteId, request())
    expect((await client.retrieveJob(siteId, job.id)).id).toBe(job.id)
    expect(fake.counters.rateLimited).toBe(1)
    expect(client.stats.rateLimited).toBe(1)
  })

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3', 0)).toBe(3_000)
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000)
    expect(parseRetryAfter('soon', 0)).toBeNull()
    expect(parseRetryAfter(undefined, 0)).toBeNull()
  })

  it('the pacer keeps any window below the limit', async () => {
    const pacer = new RequestPacer({ limit: { requests: 5, windowMs: 200 }, marginMs: 5 })
    const times: number[] = []
    await Promise.all(
      Array.from({ length: 15 }, async () => {
        await pacer.acquire()
        times.push(Date.now())
      }),
    )
    times.sort((a, b) => a - b)
    for (let i = 5; i < times.length; i++) expect((times[i] as number) - (times[i - 5] as number)).toBeGreaterThanOrEqual(200)
  })

  it('paced requests never bounce off the same limit on the server', async () => {
    const limit = { requests: 4, windowMs: 300 }
    const fake = await cloud.fake({ rateLimit: limit })
    // The margin absorbs the jitter between our send time and the fake's arrival time. The default
    // for this window (20 ms) is below what a loaded test machine adds now and then; SDX's real
    // window gets 1.2 s.
    const client = cloud.client(fake, { pacer: new RequestPacer({ limit, marginMs: 150 }) })
    const siteId = randomUUID()
    await Promise.all(Array.from({ length: 10 }, () => client.createJob(siteId, request())))
    expect(fake.counters.jobsCreated).toBe(10)
    expect(fake.counters.rateLimited).toBe(0)
  })

  it('an aborted wait for the pacer rejects with the reason', async () => {
    const pacer = new RequestPacer({ limit: { requests: 1, windowMs: 60_000 } })
    await pacer.acquire()
    const controller = new AbortController()
    const waiting = pacer.acquire(controller.signal)
    controller.abort(new Error('stop'))
    await expect(waiting).rejects.toThrow('stop')
  })
})

describe('time-outs', () => {
  it('a slow answer times out as an unreachable error', async () => {
    const fake = await cloud.fake()
    const client = cloud.client(fake, { timeoutMs: 100, retry: { ...cloudRetry, maxAttempts: 1 } })
    fake.slowNext(2_000)
    const error = await client.retrieveJob(randomUUID(), randomUUID()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CloudUnreachableError)
    expect(error).toMatchObject({ reason: 'timeout', sent: 'maybe' })
  })

  it("the caller's signal aborts a request in flight with its own reason", async () => {
    const fake = await cloud.fake()
    const client = cloud.client(fake)
    fake.slowNext(2_000)
    const controller = new AbortController()
    const pending = client.retrieveJob(randomUUID(), randomUUID(), controller.signal)
    setImmediate(() => controller.abort(new Error('user canceled')))
    await expect(pending).rejects.toThrow('user canceled')
  })
})

describe('the token', () => {
  it('is masked to its last four characters', () => {
    expect(maskToken('sdx_live_0123456789abcdef')).toBe('****cdef')
    expect(maskToken('short')).toBe('****')
    expect(maskToken(undefined)).toBe('(none)')
    expect(redactToken('Bearer sdx_live_0123456789abcdef failed', 'sdx_live_0123456789abcdef')).toBe('Bearer ****cdef failed')
  })

  it('never appears in logs or error messages, even when the cloud refuses it', async () => {
    const fake = await cloud.fake()
    const lines: string[] = []
    const wrongToken = `sdx_wrong_${randomUUID()}`
    const refused = cloud.client({ url: fake.url, token: wrongToken }, { log: (line) => lines.push(line) })
    const error = (await refused.createJob(randomUUID(), request()).catch((e: unknown) => e)) as CloudApiError
    expect(error.isAuthProblem).toBe(true)
    const good = cloud.client(fake, { log: (line) => lines.push(line) })
    fake.failNext(1)
    fake.resetNext(1)
    await good.createJob(randomUUID(), request())
    await fake.goOffline()
    const offline = (await good.retrieveJob(randomUUID(), randomUUID()).catch((e: unknown) => e)) as Error
    const seen = [...lines, error.message, offline.message, JSON.stringify(error), String(error.stack)].join('\n')
    expect(lines.length).toBeGreaterThan(3)
    expect(seen).not.toContain(wrongToken)
    expect(seen).not.toContain(fake.token)
    expect(seen).toContain(maskToken(fake.token))
  })
})
