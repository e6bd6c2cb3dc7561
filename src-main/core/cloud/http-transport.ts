// One HTTP exchange with the cloud over node:http(s), with keep-alive agents so several requests
// share warm connections. Each exchange has a time-out combined with the caller's signal. It
// reports what happened and classifies failures; it knows nothing of jobs or retries.
import http from 'node:http'
import https from 'node:https'
import { CloudUnreachableError } from './cloud-errors'

export interface HttpExchange {
  method: 'GET' | 'POST' | 'DELETE'
  url: URL
  headers: Record<string, string>
  body?: string
  timeoutMs: number
  signal?: AbortSignal
}

export interface HttpAnswer {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
  /** The connection closed before Content-Length bytes arrived. */
  truncated: boolean
}

/** An answer larger than this is not the Jobs API's (a Job is at most a 64 KB script and a few fields). */
const MAX_BODY_BYTES = 4 * 1024 * 1024

/** Connection errors that prove the request never left: nothing can have been created. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL'])

export class HttpTransport {
  private readonly httpAgent: http.Agent
  private readonly httpsAgent: https.Agent

  constructor(maxSockets: number) {
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets })
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets })
  }

  exchange(request: HttpExchange): Promise<HttpAnswer> {
    const timeout = AbortSignal.timeout(request.timeoutMs)
    const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout
    const secure = request.url.protocol === 'https:'
    // The body goes as a string: Node then sends headers and body in one write, where a Buffer
    // costs a second (writev) system call per request.
    const bodyLength = request.body === undefined ? undefined : Buffer.byteLength(request.body, 'utf8')
    return new Promise<HttpAnswer>((resolve, reject) => {
      let connected = false
      const fail = (error: NodeJS.ErrnoException) => {
        if (request.signal?.aborted) return reject(request.signal.reason)
        if (timeout.aborted) {
          return reject(
            new CloudUnreachableError(
              `the cloud did not answer within ${Math.round(request.timeoutMs / 1000)} s`,
              connected ? 'maybe' : 'no',
              'timeout',
            ),
          )
        }
        const code = error.code ?? 'EUNKNOWN'
        const sent = NEVER_SENT.has(code) ? 'no' : 'maybe'
        reject(new CloudUnreachableError(`cannot reach the cloud at ${request.url.origin}: ${describeNetworkError(code, error)}`, sent, code))
      }
      const outgoing = (secure ? https : http).request(
        request.url,
        {
          method: request.method,
          headers: bodyLength !== undefined ? { ...request.headers, 'Content-Length': String(bodyLength) } : request.headers,
          agent: secure ? this.httpsAgent : this.httpAgent,
          signal,
        },
        (response) => {
          const chunks: Buffer[] = []
          let size = 0
          let truncated = false
          response.on('data', (chunk: Buffer) => {
            size += chunk.byteLength
            if (size > MAX_BODY_BYTES) {
              response.destroy(new Error('answer too large'))
              return
            }
            chunks.push(chunk)
          })
          response.on('aborted', () => (truncated = true))
          const finish = () => {
            const body = Buffer.concat(chunks).toString('utf8')
            const expected = Number(response.headers['content-length'])
            if (Number.isFinite(expected) && Buffer.byteLength(body) < expected) truncated = true
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body, truncated })
          }
          response.on('end', finish)
          response.on('error', (error: NodeJS.ErrnoException) => {
            // The status line arrived but the body was cut: report it as a truncated answer, so the
            // caller can say "cut off" rather than "unreachable" (and retry either way).
            if (request.signal?.aborted || timeout.aborted || size > MAX_BODY_BYTES) return fail(error)
            truncated = true
            finish()
          })
        },
      )
      outgoing.on('socket', (socket) => {
        if (!socket.connecting) connected = true
        else socket.once('connect', () => (connected = true))
      })
      outgoing.on('error', fail)
      if (request.body === undefined) outgoing.end()
      // Important: Node joins a string body to the header text and encodes both as UTF-8, which
      // would re-encode header bytes above 0x7f (a UTF-8 description sent as Latin-1): then the
      // body goes separately, as bytes.
      else if (Object.values(request.headers).some((value) => /[^\x00-\x7f]/.test(value))) outgoing.end(Buffer.from(request.body, 'utf8'))
      else outgoing.end(request.body, 'utf8')
    })
  }

  close(): void {
    this.httpAgent.destroy()
    this.httpsAgent.destroy()
  }
}

function describeNetworkError(code: string, error: Error): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the API URL right, and is the network up?)'
    case 'ECONNRESET':
      return 'the connection was reset'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve (offline, or a typo in the API URL?)'
    case 'ETIMEDOUT':
      return 'the connection timed out'
    default:
      return `${error.message} (${code})`
  }
}
