// A stateful HTTP fake of the SDX Jobs API (../shared/spec/altostrat-jobs.yaml) on 127.0.0.1, for
// tests, the benchmark and manual runs (start.ts). It validates requests as the spec does, keeps
// jobs per site, honours idempotency keys, simulates the device that starts and finishes jobs,
// rate-limits like SDX (429 + Retry-After), and injects faults on demand: 500s, connection resets,
// slow answers, HTML, truncated JSON, and "commit, then drop the response". Counters let tests and
// the benchmark check that no job was created twice and none was lost.
//
// Control from another process: GET /__fake/counters, POST /__fake/config (JSON: faults, rate
// limit, device), GET /__fake/jobs. These need no token and do not count as API requests.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { seededRandom } from '../../src-main/lab/router/random'

export interface FakeJob {
  id: string
  token: string
  site_id: string
  idempotency_key: string
  description: string
  express_execute: boolean
  needs_acknowledgement: boolean
  should_backup: boolean
  associated_backup: string | null
  started_at: string | null
  completed_at: string | null
  failed_at: string | null
  created_at: string
  log_url: string
  script: string
}

export interface FakeRateLimit {
  requests: number
  windowMs: number
}

export interface FakeDeviceOptions {
  /** ms after creation until the device starts the job; null: only when a test says (device.start). */
  startAfterMs: number | null
  /** ms after the start until it finishes. */
  finishAfterMs: number
  /** How a job ends; default: fails when the script contains ":error", else completes. */
  outcome?: (job: FakeJob) => 'completed' | 'failed'
}

export interface FakeFaults {
  /** Fractions of API requests (0..1) that meet each fault, drawn from a seeded random. */
  serverErrorRate?: number
  resetRate?: number
  /** Of successful creates: the job is committed, then the socket is destroyed before the answer. */
  dropAfterCommitRate?: number
  seed?: number
}

export interface CloudFakeOptions {
  port?: number
  token?: string
  /** Known site ids; others get 404. Default: every well-formed site id exists. */
  sites?: string[]
  device?: Partial<FakeDeviceOptions>
  rateLimit?: FakeRateLimit | null
  faults?: FakeFaults
}

export interface FakeCounters {
  requests: number
  byMethod: Record<string, number>
  byStatus: Record<string, number>
  /** Jobs created per idempotency key: every value must be 1. */
  createdByKey: Record<string, number>
  jobsCreated: number
  replays: number
  rateLimited: number
  resets: number
  dropsAfterCommit: number
  serverErrors: number
}

type OneShotFault =
  | { kind: 'status'; status: number }
  | { kind: 'reset' }
  | { kind: 'drop_after_commit' }
  | { kind: 'slow'; ms: number }
  | { kind: 'html' }
  | { kind: 'truncated' }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const TOKEN_ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'

export class CloudFake extends EventEmitter {
  readonly token: string
  private server: http.Server
  private readonly sockets = new Set<Socket>()
  private port = 0
  private readonly jobsById = new Map<string, FakeJob>()
  private readonly deleted = new Set<string>()
  private readonly keys = new Map<string, { hash: string; jobId: string }>()
  private readonly inFlightKeys = new Set<string>()
  private readonly sites: Set<string> | null
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly oneShots: OneShotFault[] = []
  private readonly admitted: number[] = []
  private random: () => number
  private parked: { promise: Promise<void>; resolve: () => void } | undefined
  device: FakeDeviceOptions
  rateLimit: FakeRateLimit | null
  faults: FakeFaults
  counters: FakeCounters = CloudFake.emptyCounters()

  private constructor(options: CloudFakeOptions) {
    super()
    this.token = options.token ?? `sdx_test_${randomBytes(16).toString('hex')}`
    this.sites = options.sites ? new Set(options.sites) : null
    this.device = { startAfterMs: null, finishAfterMs: 0, ...options.device }
    this.rateLimit = options.rateLimit ?? null
    this.faults = options.faults ?? {}
    this.random = seededRandom(this.faults.seed ?? 1)
    this.server = this.createServer()
  }

  static async start(options: CloudFakeOptions = {}): Promise<CloudFake> {
    const fake = new CloudFake(options)
    await fake.listen(options.port ?? 0)
    return fake
  }

  static emptyCounters(): FakeCounters {
    return {
      requests: 0,
      byMethod: {},
      byStatus: {},
      createdByKey: {},
      jobsCreated: 0,
      replays: 0,
      rateLimited: 0,
      resets: 0,
      dropsAfterCommit: 0,
      serverErrors: 0,
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** Keys for which more than one job was created (must be empty). */
  duplicates(): string[] {
    return Object.entries(this.counters.createdByKey)
      .filter(([, count]) => count > 1)
      .map(([key]) => key)
  }

  jobs(siteId?: string): FakeJob[] {
    return [...this.jobsById.values()].filter((job) => !siteId || job.site_id === siteId)
  }

  jobByKey(idempotencyKey: string): FakeJob | undefined {
    const entry = this.keys.get(idempotencyKey)
    return entry && this.jobsById.get(entry.jobId)
  }

  /** Queues faults for the next API requests, in order. */
  failNext(count: number, status = 500): void {
    for (let i = 0; i < count; i++) this.oneShots.push({ kind: 'status', status })
  }
  resetNext(count = 1): void {
    for (let i = 0; i < count; i++) this.oneShots.push({ kind: 'reset' })
  }
  dropAfterCommitNext(count = 1): void {
    for (let i = 0; i < count; i++) this.oneShots.push({ kind: 'drop_after_commit' })
  }
  slowNext(ms: number, count = 1): void {
    for (let i = 0; i < count; i++) this.oneShots.push({ kind: 'slow', ms })
  }
  htmlNext(count = 1): void {
    for (let i = 0; i < count; i++) this.oneShots.push({ kind: 'html' })
  }
  truncateNext(count = 1): void {
    for (let i = 0; i < count; i++) this.oneShots.push({ kind: 'truncated' })
  }

  setFaults(faults: FakeFaults): void {
    this.faults = faults
    this.random = seededRandom(faults.seed ?? 1)
  }

  resetCounters(): void {
    this.counters = CloudFake.emptyCounters()
  }

  /** The device side: a test moves a job along by hand when startAfterMs is null. */
  readonly deviceControl = {
    start: (jobId: string) => this.deviceStep(jobId, 'start'),
    complete: (jobId: string) => this.deviceStep(jobId, 'completed'),
    fail: (jobId: string) => this.deviceStep(jobId, 'failed'),
  }

  /** From now on, answers are held back (after any commit) until resumeAnswers(). */
  pauseAnswers(): void {
    if (this.parked) return
    let resolve!: () => void
    const promise = new Promise<void>((done) => (resolve = done))
    this.parked = { promise, resolve }
  }

  resumeAnswers(): void {
    const parked = this.parked
    this.parked = undefined
    parked?.resolve()
  }

  /** Stops listening and drops every connection: clients now meet "connection refused". */
  async goOffline(): Promise<void> {
    await this.closeServer()
    this.emit('offline')
  }

  /** Listens again on the same port. */
  async goOnline(): Promise<void> {
    this.server = this.createServer()
    await this.listen(this.port)
    this.emit('online')
  }

  async close(): Promise<void> {
    this.resumeAnswers()
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    await this.closeServer()
  }

  private createServer(): http.Server {
    const server = http.createServer((request, response) => {
      this.handle(request, response).catch((error) => {
        if (!response.headersSent) this.sendError(response, 500, 'api_error', 'internal_server_error', String(error))
      })
    })
    server.keepAliveTimeout = 30_000
    server.on('connection', (socket) => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
    return server
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject)
        this.port = (this.server.address() as AddressInfo).port
        resolve()
      })
    })
  }

  private closeServer(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve())
      for (const socket of this.sockets) socket.destroy()
      this.sockets.clear()
    })
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const body = await readBody(request)
    const url = new URL(request.url ?? '/', 'http://fake')
    if (url.pathname.startsWith('/__fake/')) return this.handleControl(url.pathname, request.method ?? 'GET', body, response)

    const method = request.method ?? 'GET'
    this.counters.requests++
    this.counters.byMethod[method] = (this.counters.byMethod[method] ?? 0) + 1
    const count = (status: number) => (this.counters.byStatus[status] = (this.counters.byStatus[status] ?? 0) + 1)
    response.on('finish', () => {
      count(response.statusCode)
      this.emit('answer', { method, path: url.pathname, status: response.statusCode })
    })

    this.emit('request', { method, path: url.pathname })
    const oneShot = this.oneShots.shift()
    if (oneShot?.kind === 'reset' || this.chance(this.faults.resetRate)) {
      this.counters.resets++
      request.socket.destroy()
      return
    }
    if (oneShot?.kind === 'slow') await this.delay(oneShot.ms)

    if (request.headers.authorization !== `Bearer ${this.token}`) {
      return this.sendError(response, 401, 'authentication_error', 'invalid_token', 'missing or invalid bearer token')
    }
    const retryAfterS = this.admit()
    if (retryAfterS !== null) {
      this.counters.rateLimited++
      response.setHeader('Retry-After', String(retryAfterS))
      return this.sendError(response, 429, 'rate_limit_error', 'rate_limited', 'Too many requests: 60 per minute per token')
    }
    if (oneShot?.kind === 'status' || this.chance(this.faults.serverErrorRate)) {
      this.counters.serverErrors++
      const status = oneShot?.kind === 'status' ? oneShot.status : 500
      return this.sendError(response, status, 'api_error', 'internal_server_error', 'An internal server error occurred. Please try again later.')
    }
    if (oneShot?.kind === 'html') {
      response.writeHead(200, { 'Content-Type': 'text/html' })
      response.end('<!doctype html><html><body>Please log in to the Wi-Fi</body></html>')
      return
    }

    const jobsMatch = /^\/site\/([^/]+)\/job$/.exec(url.pathname)
    const jobMatch = /^\/site\/([^/]+)\/job\/([^/]+)$/.exec(url.pathname)
    let answer: { status: number; json?: unknown; committed?: boolean }
    if (jobsMatch && method === 'POST') answer = this.create(decodeURIComponent(jobsMatch[1] as string), request, body)
    else if (jobsMatch && method === 'GET') answer = this.list(decodeURIComponent(jobsMatch[1] as string))
    else if (jobMatch && method === 'GET') answer = this.retrieve(decodeURIComponent(jobMatch[1] as string), decodeURIComponent(jobMatch[2] as string))
    else if (jobMatch && method === 'DELETE') answer = this.remove(decodeURIComponent(jobMatch[1] as string), decodeURIComponent(jobMatch[2] as string))
    else answer = { status: 404 }

    // Parked answers wait here (the crash test kills the client while its job is committed unanswered).
    while (this.parked) await this.parked.promise
    if (answer.committed && (oneShot?.kind === 'drop_after_commit' || this.chance(this.faults.dropAfterCommitRate))) {
      // The job exists now; the client never hears so. Only its retry with the same key can learn it.
      this.counters.dropsAfterCommit++
      request.socket.destroy()
      return
    }
    if (oneShot?.kind === 'truncated' && answer.json !== undefined) {
      const text = JSON.stringify(answer.json)
      response.writeHead(answer.status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) })
      response.write(text.slice(0, Math.floor(text.length / 2)))
      // Let the half reach the client before the connection goes.
      setImmediate(() => request.socket.destroy())
      return
    }
    if (answer.json === undefined) {
      response.writeHead(answer.status)
      response.end()
    } else {
      this.sendJson(response, answer.status, answer.json)
    }
  }

  private create(siteId: string, request: http.IncomingMessage, script: string): { status: number; json?: unknown; committed?: boolean } {
    const invalid = (message: string) => ({ status: 400, json: errorBody('invalid_request_error', 'parameter_invalid', message) })
    if (!UUID.test(siteId)) return invalid('siteId must be a UUID')
    if (this.sites && !this.sites.has(siteId)) return { status: 404 }
    const header = (name: string) => {
      const value = request.headers[name.toLowerCase()]
      // Header bytes arrive as Latin-1 text; the client sends UTF-8 bytes.
      return typeof value === 'string' ? Buffer.from(value, 'latin1').toString('utf8') : undefined
    }
    const key = header('X-Idempotency-Key')
    if (!key) return invalid('The X-Idempotency-Key header is required.')
    if (!UUID.test(key)) return invalid('The X-Idempotency-Key header must be a UUID.')
    const description = header('X-Description')
    if (description === undefined) return invalid('The X-Description header is required.')
    const length = [...description].length
    if (length < 3 || length > 100) return invalid('The X-Description header must be between 3 and 100 characters.')
    const flags: Record<string, boolean> = {}
    for (const [name, fallback] of [['X-Needs-Ack', true], ['X-Backup', false], ['X-Express-Execute', false]] as const) {
      const value = header(name)
      if (value !== undefined && value !== 'true' && value !== 'false') return invalid(`The ${name} header must be true or false.`)
      flags[name] = value === undefined ? fallback : value === 'true'
    }
    if (!/^text\/plain\b/i.test(request.headers['content-type'] ?? '')) return invalid('The body must be text/plain: the RouterOS script.')
    if (script.trim() === '') return invalid('The body must contain the RouterOS script.')

    const hash = createHash('sha256')
      .update(JSON.stringify([siteId, description, flags, script]))
      .digest('hex')
    const known = this.keys.get(key)
    if (known) {
      if (known.hash !== hash) {
        return {
          status: 422,
          json: errorBody('idempotency_error', 'idempotency_key_reused', 'This idempotency key was used with a different request.'),
        }
      }
      // The IETF draft: the original result is replayed, never a second job. The spec knows only 201.
      this.counters.replays++
      const original = this.jobsById.get(known.jobId)
      return { status: 201, json: original ?? this.tombstone(known.jobId, siteId, key), committed: true }
    }
    if (this.inFlightKeys.has(key)) {
      return { status: 409, json: errorBody('idempotency_error', 'idempotency_key_in_use', 'A request with this key is in progress.') }
    }
    const now = new Date()
    const token = Array.from(randomBytes(10), (byte) => TOKEN_ALPHABET[byte % TOKEN_ALPHABET.length]).join('')
    const job: FakeJob = {
      id: randomUUID(),
      token,
      site_id: siteId,
      idempotency_key: key,
      description,
      express_execute: flags['X-Express-Execute'] as boolean,
      needs_acknowledgement: flags['X-Needs-Ack'] as boolean,
      should_backup: flags['X-Backup'] as boolean,
      associated_backup: null,
      started_at: null,
      completed_at: null,
      failed_at: null,
      created_at: isoSeconds(now),
      log_url: `logs?group=sites&streams=${siteId}&filter={$.message=*${token}*}`,
      script,
    }
    this.jobsById.set(job.id, job)
    this.keys.set(key, { hash, jobId: job.id })
    this.counters.jobsCreated++
    this.counters.createdByKey[key] = (this.counters.createdByKey[key] ?? 0) + 1
    this.emit('created', job)
    if (this.device.startAfterMs !== null) {
      this.after(this.device.startAfterMs, () => {
        // Canceled (deleted) before the device picked it up: a real router never sees it. Without this
        // the timer threw "the fake has no job" into whatever test ran next (seen once in the crash
        // harness, whose rounds cancel jobs at random moments).
        if (!this.jobsById.has(job.id)) return
        this.deviceStep(job.id, 'start')
        this.after(this.device.finishAfterMs, () => {
          const outcome = (this.device.outcome ?? defaultOutcome)(job)
          this.deviceStep(job.id, outcome)
        })
      })
    }
    return { status: 201, json: job, committed: true }
  }

  private list(siteId: string) {
    if (!UUID.test(siteId)) return { status: 400, json: errorBody('invalid_request_error', 'parameter_invalid', 'siteId must be a UUID') }
    return { status: 200, json: this.jobs(siteId).reverse() }
  }

  private retrieve(siteId: string, jobId: string) {
    const job = this.jobsById.get(jobId)
    if (!job || job.site_id !== siteId) return { status: 404 }
    return { status: 200, json: job }
  }

  private remove(siteId: string, jobId: string) {
    const job = this.jobsById.get(jobId)
    if (!job || job.site_id !== siteId) return { status: 404 }
    if (job.started_at !== null) {
      return {
        status: 429,
        json: errorBody('invalid_request_error', 'job_already_started', 'Cannot delete a job that has already started.'),
      }
    }
    this.jobsById.delete(jobId)
    this.deleted.add(jobId)
    this.emit('deleted', job)
    return { status: 204 }
  }

  /** A replay of a create whose job was deleted since: the original answer, as the draft says. */
  private tombstone(jobId: string, siteId: string, key: string) {
    return { id: jobId, site_id: siteId, idempotency_key: key }
  }

  private deviceStep(jobId: string, step: 'start' | 'completed' | 'failed'): FakeJob {
    const job = this.jobsById.get(jobId)
    if (!job) throw new Error(`the fake has no job ${jobId}`)
    const now = isoSeconds(new Date())
    if (step === 'start') job.started_at ??= now
    else {
      job.started_at ??= now
      if (step === 'completed') job.completed_at = now
      else job.failed_at = now
      if (job.should_backup) job.associated_backup ??= `${job.site_id}/${Math.floor(Date.now() / 1000)}.rsc`
    }
    this.emit('device', { job, step })
    return job
  }

  /** Sliding-log rate limit per token: returns null when admitted, else Retry-After in seconds. */
  private admit(): number | null {
    const limit = this.rateLimit
    if (!limit) return null
    const now = Date.now()
    while (this.admitted.length > 0 && (this.admitted[0] as number) <= now - limit.windowMs) this.admitted.shift()
    if (this.admitted.length >= limit.requests) {
      const waitMs = (this.admitted[0] as number) + limit.windowMs - now
      return Math.max(1, Math.ceil(waitMs / 1000))
    }
    this.admitted.push(now)
    return null
  }

  private handleControl(path: string, method: string, body: string, response: http.ServerResponse): void {
    if (path === '/__fake/counters') return this.sendJson(response, 200, { ...this.counters, duplicates: this.duplicates() })
    if (path === '/__fake/jobs') return this.sendJson(response, 200, this.jobs())
    if (path === '/__fake/config' && method === 'POST') {
      const config = JSON.parse(body || '{}') as CloudFakeOptions & { resetCounters?: boolean }
      if (config.faults) this.setFaults(config.faults)
      if (config.rateLimit !== undefined) {
        this.rateLimit = config.rateLimit
        this.admitted.length = 0
      }
      if (config.device) this.device = { ...this.device, ...config.device }
      if (config.resetCounters) this.resetCounters()
      return this.sendJson(response, 200, { ok: true })
    }
    this.sendJson(response, 404, errorBody('invalid_request_error', 'not_found', `no control endpoint ${path}`))
  }

  private sendError(response: http.ServerResponse, status: number, type: string, code: string, message: string): void {
    this.sendJson(response, status, errorBody(type, code, message))
  }

  private sendJson(response: http.ServerResponse, status: number, json: unknown): void {
    const text = JSON.stringify(json)
    response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) })
    response.end(text)
  }

  private chance(rate: number | undefined): boolean {
    return rate !== undefined && rate > 0 && this.random() < rate
  }

  private after(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      run()
    }, ms)
    this.timers.add(timer)
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, resolve))
  }
}

const defaultOutcome = (job: FakeJob): 'completed' | 'failed' => (job.script.includes(':error') ? 'failed' : 'completed')

const errorBody = (type: string, code: string, message: string) => ({
  type,
  code,
  message,
  doc_url: `https://docs.altostrat.io/errors/${code}`,
})

/** SDX writes timestamps like 2025-10-29T12:05:10Z. */
const isoSeconds = (date: Date) => `${date.toISOString().slice(0, 19)}Z`

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}
