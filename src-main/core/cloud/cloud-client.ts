// A typed client for the SDX Jobs API: create, retrieve, cancel. Every answer is validated (zod
// schemas checked against the generated OpenAPI types); errors come back typed (cloud-errors.ts).
// Network errors and 5xx are retried with capped decorrelated-jitter backoff; other 4xx are not.
// A 429 is read before it is obeyed: `job_already_started` is a refused cancel, anything else is
// rate limiting, which pauses every request until Retry-After. The pacer keeps us below the limit
// in the first place.
import type { ZodType } from 'zod'
import { type Clock, systemClock } from '../clock'
import { type BackoffPolicy, decorrelatedJitterDelay } from '../queue/backoff'
import { abortableDelay } from '../abortable-delay'
import { apiPaths, apiUrl } from './api-paths'
import { CloudApiError, CloudResponseError, CloudUnreachableError, isTransient } from './cloud-errors'
import { CloudErrorBody, CloudJob, type CreateJobHeaders } from './cloud-schemas'
import { HttpTransport, type HttpAnswer } from './http-transport'
import { type RateLimit, RequestPacer, SDX_RATE_LIMIT } from './request-pacer'
import { maskToken, redactToken } from './token-mask'

export interface CloudClientOptions {
  baseUrl: string
  token: string
  /** Per request, from sending to the last byte of the answer. */
  timeoutMs?: number
  /** Retries of network errors, 5xx and unreadable answers. */
  retry?: BackoffPolicy & { maxAttempts: number }
  /** How many rate-limit 429s one call sits out before giving up. */
  maxRateLimitWaits?: number
  /** The rate to pace at; null turns pacing off. Default: SDX's 60 a minute. */
  rateLimit?: RateLimit | null
  /** Share one pacer between clients that use the same token. */
  pacer?: RequestPacer
  /** Connections kept per origin. Default 16. */
  maxSockets?: number
  clock?: Clock
  random?: () => number
  /** Called for each request; never given the token. */
  log?: (line: string) => void
  /** Sees each answer's status and headers (the contract test reads Prism's `sl-violations`). */
  onAnswer?: (answer: { method: string; path: string; status: number; headers: HttpAnswer['headers'] }) => void
}

/** What a job needs on the cloud: the spec's headers and the script. */
export interface CloudJobRequest {
  idempotency_key: string
  description: string
  script: string
  needs_acknowledgement: boolean
  should_backup: boolean
  express_execute: boolean
}

export type CancelOutcome =
  | { outcome: 'deleted' }
  /** 404: the cloud has no such job (deleted already, or never created). */
  | { outcome: 'gone' }
  /** 429 job_already_started: the router has it; the cloud cannot stop it. */
  | { outcome: 'refused'; error: CloudApiError }

export interface CloudClientStats {
  requests: number
  retries: number
  rateLimited: number
}

export const defaultClientRetry = { baseMs: 250, capMs: 5_000, maxAttempts: 4 }

export class CloudClient {
  readonly stats: CloudClientStats = { requests: 0, retries: 0, rateLimited: 0 }
  readonly pacer: RequestPacer
  private readonly transport: HttpTransport
  private readonly clock: Clock
  private readonly random: () => number
  private readonly retry: BackoffPolicy & { maxAttempts: number }

  constructor(private readonly options: CloudClientOptions) {
    if (!options.token) throw new CloudApiError(401, 'authentication_error', 'no_token', 'no cloud token is set')
    try {
      new URL(options.baseUrl)
    } catch {
      throw new CloudApiError(0, 'configuration_error', 'bad_url', `the cloud API URL "${options.baseUrl}" is not a URL`)
    }
    this.clock = options.clock ?? systemClock
    this.random = options.random ?? Math.random
    this.retry = options.retry ?? defaultClientRetry
    this.pacer =
      options.pacer ?? new RequestPacer({ limit: options.rateLimit === undefined ? SDX_RATE_LIMIT : options.rateLimit, clock: this.clock })
    this.transport = new HttpTransport(options.maxSockets ?? 16)
  }

  /** The token as it may be shown: its last four characters. */
  get tokenHint(): string {
    return maskToken(this.options.token)
  }

  get baseUrl(): string {
    return this.options.baseUrl
  }

  /** POST /site/{siteId}/job. Safe to repeat: the idempotency key makes a repeat return the same job. */
  async createJob(siteId: string, job: CloudJobRequest, signal?: AbortSignal): Promise<CloudJob> {
    const headers: Record<keyof CreateJobHeaders, string> = {
      'X-Idempotency-Key': job.idempotency_key,
      // Header values travel as bytes: non-ASCII text goes as its UTF-8 bytes (what a server reading
      // raw header bytes, as PHP does, decodes back), never squeezed into Latin-1 and mangled.
      'X-Description': utf8HeaderValue(job.description),
      'X-Needs-Ack': String(job.needs_acknowledgement),
      'X-Backup': String(job.should_backup),
      'X-Express-Execute': String(job.express_execute),
    }
    const answer = await this.call('POST', apiPaths.siteJobs(siteId), signal, {
      headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' },
      body: job.script,
    })
    if (answer.status === 201 || answer.status === 200) return this.parse(answer, CloudJob, 'POST')
    throw this.errorFrom(answer, 'the site is not known to the cloud: check the site\'s cloud site id')
  }

  /** GET /site/{siteId}/job/{jobId}. A 404 throws a CloudApiError with status 404. */
  async retrieveJob(siteId: string, jobId: string, signal?: AbortSignal): Promise<CloudJob> {
    const answer = await this.call('GET', apiPaths.siteJob(siteId, jobId), signal)
    if (answer.status === 200) return this.parse(answer, CloudJob, 'GET')
    throw this.errorFrom(answer, 'the cloud has no such job or site')
  }

  /** DELETE /site/{siteId}/job/{jobId}: removes a job that has not started. */
  async cancelJob(siteId: string, jobId: string, signal?: AbortSignal): Promise<CancelOutcome> {
    try {
      const answer = await this.call('DELETE', apiPaths.siteJob(siteId, jobId), signal)
      if (answer.status === 204 || answer.status === 200) return { outcome: 'deleted' }
      throw this.errorFrom(answer, 'the cloud has no such job or site')
    } catch (error) {
      if (error instanceof CloudApiError && error.status === 404) return { outcome: 'gone' }
      if (error instanceof CloudApiError && error.isJobAlreadyStarted) return { outcome: 'refused', error }
      throw error
    }
  }

  close(): void {
    this.transport.close()
  }

  /**
   * Sends one request, retrying what a later attempt may fix. Returns the answer for any status the
   * caller must interpret (2xx, 4xx); throws for what stays wrong after the retries.
   */
  private async call(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    signal: AbortSignal | undefined,
    extra: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<HttpAnswer> {
    const url = apiUrl(this.options.baseUrl, path)
    let failures = 0
    let rateLimitWaits = 0
    let delay = this.retry.baseMs
    for (;;) {
      await this.pacer.acquire(signal)
      this.stats.requests++
      let outcome: HttpAnswer | Error
      try {
        outcome = await this.transport.exchange({
          method,
          url,
          headers: { Accept: 'application/json', Authorization: `Bearer ${this.options.token}`, ...extra.headers },
          body: extra.body,
          timeoutMs: this.options.timeoutMs ?? 15_000,
          signal,
        })
      } catch (error) {
        if (signal?.aborted) throw signal.reason
        if (!(error instanceof CloudUnreachableError)) throw error
        outcome = new CloudUnreachableError(redactToken(error.message, this.options.token), error.sent, error.reason)
      }
      if (!(outcome instanceof Error)) {
        this.options.onAnswer?.({ method, path, status: outcome.status, headers: outcome.headers })
        this.options.log?.(`${method} ${path} -> ${outcome.status} (token ${this.tokenHint})`)
        if (outcome.status < 400 && !outcome.truncated) return outcome
        if (outcome.status >= 400 && outcome.status < 500 && outcome.status !== 409 && outcome.status !== 429) return outcome
        const error = outcome.status >= 400 ? this.errorFrom(outcome, '') : this.unreadable(outcome, method)
        if (error instanceof CloudApiError && error.isJobAlreadyStarted) return outcome
        if (error instanceof CloudApiError && error.isRateLimited) {
          this.stats.rateLimited++
          if (++rateLimitWaits > (this.options.maxRateLimitWaits ?? 5)) throw error
          const wait = error.retryAfterMs ?? decorrelatedJitterDelay(delay, this.retry, this.random)
          this.pacer.holdUntil(this.clock.now() + wait)
          this.options.log?.(`rate limited by the cloud: waiting ${Math.ceil(wait / 1000)} s`)
          continue
        }
        outcome = error
      } else {
        this.options.log?.(`${method} ${path} -> ${outcome.message}`)
      }
      if (!isTransient(outcome) || ++failures >= this.retry.maxAttempts) throw outcome
      this.stats.retries++
      delay = decorrelatedJitterDelay(delay, this.retry, this.random)
      await abortableDelay(delay, signal)
    }
  }

  private parse<T>(answer: HttpAnswer, schema: ZodType<T>, method: string): T {
    const json = this.readJson(answer, method)
    const parsed = schema.safeParse(json)
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ')
      throw new CloudResponseError(answer.status, `the cloud's answer to ${method} is not a valid Job (${issues})`)
    }
    return parsed.data
  }

  private readJson(answer: HttpAnswer, method: string): unknown {
    const type = String(answer.headers['content-type'] ?? '')
    if (answer.truncated || !/json/i.test(type) || /^\s*</.test(answer.body)) throw this.unreadable(answer, method)
    try {
      return JSON.parse(answer.body)
    } catch {
      throw new CloudResponseError(
        answer.status,
        `the cloud's answer to ${method} is not valid JSON (cut off?): ${snippet(answer.body)}`,
      )
    }
  }

  private unreadable(answer: HttpAnswer, method: string): CloudResponseError {
    const type = String(answer.headers['content-type'] ?? 'no content type')
    if (answer.truncated) {
      return new CloudResponseError(answer.status, `the cloud's answer to ${method} was cut off after ${answer.body.length} characters`)
    }
    const html = /html/i.test(type) || /^\s*</.test(answer.body)
    return new CloudResponseError(
      answer.status,
      html
        ? `the cloud answered ${method} with an HTML page (HTTP ${answer.status}), not the API's JSON: ` +
            `a proxy, a captive portal or a wrong API URL (${this.options.baseUrl})?`
        : `the cloud answered ${method} with ${type} (HTTP ${answer.status}), not JSON: ${snippet(answer.body)}`,
    )
  }

  /** An error status as a CloudApiError: the ErrorResponse when there is one, else a clear default. */
  private errorFrom(answer: HttpAnswer, notFoundMessage: string): CloudApiError {
    const retryAfterMs = parseRetryAfter(answer.headers['retry-after'], this.clock.now())
    let body: CloudErrorBody = {}
    if (/json/i.test(String(answer.headers['content-type'] ?? '')) && !answer.truncated) {
      try {
        const parsed = CloudErrorBody.safeParse(JSON.parse(answer.body))
        if (parsed.success) body = parsed.data
      } catch {
        // An unreadable error body: the status still says what happened.
      }
    }
    const fallback =
      answer.status === 404 && notFoundMessage
        ? notFoundMessage
        : answer.status === 401 || answer.status === 403
          ? `the cloud refused the token ${this.tokenHint}: set a valid one`
          : answer.status === 429
            ? 'too many requests'
            : /html/i.test(String(answer.headers['content-type'] ?? ''))
              ? `HTTP ${answer.status} with an HTML page, not the API's JSON (a proxy in between?)`
              : `HTTP ${answer.status}`
    return new CloudApiError(
      answer.status,
      body.type ?? (answer.status >= 500 ? 'api_error' : 'invalid_request_error'),
      body.code ?? (answer.status === 404 ? 'not_found' : answer.status === 429 ? 'rate_limited' : `http_${answer.status}`),
      redactToken(body.message ?? fallback, this.options.token),
      body.doc_url ?? null,
      retryAfterMs,
    )
  }
}

/** Retry-After is seconds or an HTTP date (RFC 9110). */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | null {
  const text = Array.isArray(value) ? value[0] : value
  if (!text) return null
  if (/^\s*\d+(\.\d+)?\s*$/.test(text)) return Math.round(Number(text) * 1000)
  const at = Date.parse(text)
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs)
}

const snippet = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text)

/** Node writes header strings as Latin-1: giving it the UTF-8 bytes as Latin-1 sends exactly those bytes. */
export function utf8HeaderValue(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : Buffer.from(text, 'utf8').toString('latin1')
}
