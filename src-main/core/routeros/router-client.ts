// The RouterOS API client Fieldjobs uses. It replaces node-routeros 1.6.9's connection, codec and
// channel layer (see the defects in shared/notes/routeros-api.md and the README) with one small
// class; from node-routeros it reuses the length-prefix decoder (wire-codec.ts).
//
// What it guarantees, each shown by a test against the lab (test/routeros/):
// 1. `!empty` is an empty result, never an exception; unknown reply words are ignored.
// 2. The socket always has an error listener; an error after login rejects pending calls and
//    marks the client closed, it never reaches the process.
// 3. Connect, login and every command have a time limit; `!fatal` and a closed socket reject every
//    pending call at once.
// 4. Any TCP segmentation works (wire-codec.ts reads bytes, not segments).
// 5. Text follows the site's code page policy (text-policy.ts), both ways.
// 6. `tls` without a port connects to 8729.
// 7. `!trap` rejects with RouterTrapError, message and category kept.
// 8. Every rejection is an Error (RouterConnectionError / RouterTrapError), never a string.
import { createHash } from 'node:crypto'
import net from 'node:net'
import tls from 'node:tls'
import type { CodePage } from '../../contract/site-schema'
import { API_PORT, API_SSL_PORT } from '../../contract/site-values'
import { redactSecrets } from '../secrets/redaction'
import { RouterConnectionError, type RouterFailureKind, type RouterPhase, RouterTrapError } from './router-errors'
import { certificateMismatchMessage } from './site-trust'
import { decodeRouterText, encodeRouterText } from './text-policy'
import { encodeSentence, SentenceDecoder } from './wire-codec'

export interface RouterClientOptions {
  host: string
  /** Default 8728, or 8729 with `tls`. */
  port?: number
  tls?: boolean
  /** api-ssl without a certificate offers only anonymous DH: allowed on the user's say-so only. */
  allowAnonymousDh?: boolean
  /** The certificate's SHA-256 fingerprint (as Node prints it, `AB:CD:...`); a mismatch refuses. */
  tlsFingerprint?: string | null
  /**
   * Trust on first use: with no `tlsFingerprint`, called with the certificate's fingerprint after
   * the handshake, before login; returns the fingerprint now pinned (another connection may have
   * pinned first), which the certificate must match.
   */
  pinOnFirstUse?: (fingerprint: string) => string
  /** The site's name, for messages that tell the engineer what to do. */
  siteName?: string
  user: string
  password: string
  codePage?: CodePage
  connectTimeoutMs?: number
  loginTimeoutMs?: number
  /** The default limit for each command; a command may give its own. */
  commandTimeoutMs?: number
}

export interface CommandOptions {
  /** `?...` query words (print only), without the `?`. */
  queries?: readonly string[]
  timeoutMs?: number
  /** Aborting rejects the call and sends `/cancel` for it. */
  signal?: AbortSignal
}

export interface RouterReply {
  /** One record per `!re`. */
  items: Array<Record<string, string>>
  /** The attributes of `!done` (e.g. `ret`). */
  done: Record<string, string>
}

export type RouterAttributes = Record<string, string | number | boolean | undefined>

interface PendingCall {
  command: string
  phase: RouterPhase
  items: Array<Record<string, string>>
  trap: RouterTrapError | undefined
  resolve(reply: RouterReply): void
  reject(error: Error): void
  cleanup(): void
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000
const DEFAULT_LOGIN_TIMEOUT_MS = 10_000
const DEFAULT_COMMAND_TIMEOUT_MS = 60_000
const ANONYMOUS_DH = { ciphers: 'ADH-AES256-GCM-SHA384:ADH-AES128-GCM-SHA256:@SECLEVEL=0', maxVersion: 'TLSv1.2' } as const

export function defaultApiPort(useTls: boolean | undefined): number {
  return useTls ? API_SSL_PORT : API_PORT
}

export class RouterClient {
  readonly host: string
  readonly port: number
  private readonly codePage: CodePage
  private socket: net.Socket | undefined
  private state: 'new' | 'connecting' | 'open' | 'closed' = 'new'
  private readonly decoder = new SentenceDecoder()
  private readonly pending = new Map<string, PendingCall>()
  private nextTag = 1
  /** The TCP (and TLS) connection is established: from here on, failures are in login or later. */
  private transportUp = false
  private closeWaiters: Array<() => void> = []
  /** Why the connection ended, once it has. */
  closeReason: RouterConnectionError | undefined
  /** The api-ssl certificate's SHA-256 fingerprint, for pinning on first use. */
  peerFingerprint: string | undefined

  constructor(private readonly options: RouterClientOptions) {
    this.host = options.host
    this.port = options.port ?? defaultApiPort(options.tls)
    this.codePage = options.codePage ?? 'auto'
  }

  get isOpen(): boolean {
    return this.state === 'open'
  }

  async connect(): Promise<void> {
    if (this.state !== 'new') {
      throw new RouterConnectionError(
        'usage',
        `this connection to ${this.host}:${this.port} was already ${this.state === 'open' ? 'opened' : 'started'}; make a new client`,
        'connect',
      )
    }
    this.state = 'connecting'
    await this.openSocket()
    await this.login()
    this.state = 'open'
  }

  /**
   * Runs one API command: `/system/identity/print`, attributes as `=name=value`. Resolves with the
   * `!re` items and the `!done` attributes; rejects with RouterTrapError on `!trap`.
   */
  command(command: string, attributes: RouterAttributes = {}, options: CommandOptions = {}): Promise<RouterReply> {
    if (this.state !== 'open') {
      return Promise.reject(
        this.closeReason ?? new RouterConnectionError('usage', `not connected to ${this.host}:${this.port}: connect first`, 'command'),
      )
    }
    return this.call(command, attributes, options, 'command', options.timeoutMs ?? this.options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS)
  }

  /** A print's items; an empty print (`!empty` on 7.18+, a bare `!done` before) is []. */
  async print(command: string, attributes: RouterAttributes = {}, options: CommandOptions = {}): Promise<Array<Record<string, string>>> {
    return (await this.command(command, attributes, options)).items
  }

  /** Closes the connection; pending calls reject. Never throws. */
  async close(): Promise<void> {
    const socket = this.socket
    if (!socket || socket.destroyed) {
      this.finish(new RouterConnectionError('closed', 'the connection was closed', this.phase()))
      return
    }
    const closed = new Promise<void>((resolve) => this.closeWaiters.push(resolve))
    this.finish(new RouterConnectionError('closed', 'the connection was closed', this.phase()))
    socket.end()
    // A router that never acknowledges the close must not hold the caller.
    const timer = setTimeout(() => socket.destroy(), 1000)
    await closed
    clearTimeout(timer)
  }

  private phase(): RouterPhase {
    return this.state === 'open' ? 'command' : this.transportUp ? 'login' : 'connect'
  }

  private openSocket(): Promise<void> {
    const { options } = this
    return new Promise<void>((resolve, reject) => {
      let settled = false
      const fail = (error: RouterConnectionError) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        this.state = 'closed'
        this.closeReason = error
        socket.destroy()
        reject(error)
      }
      const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
      const timer = setTimeout(
        () => fail(new RouterConnectionError('timeout', `no answer from ${this.host}:${this.port} within ${timeoutMs} ms`, 'connect')),
        timeoutMs,
      )
      let socket: net.Socket
      if (options.tls) {
        socket = tls.connect({
          host: this.host,
          port: this.port,
          // Routers use self-signed certificates: trust is the pinned fingerprint, checked below.
          rejectUnauthorized: false,
          ...(options.allowAnonymousDh ? ANONYMOUS_DH : {}),
        })
        socket.once('secureConnect', () => {
          const certificate = (socket as tls.TLSSocket).getPeerCertificate()
          this.peerFingerprint = certificate?.fingerprint256 || undefined
          let expected = options.tlsFingerprint || undefined
          if (!expected && this.peerFingerprint && options.pinOnFirstUse) {
            try {
              expected = options.pinOnFirstUse(this.peerFingerprint)
            } catch (error) {
              // Fail closed: a certificate we could not pin is not trusted.
              fail(new RouterConnectionError('tls', `cannot pin the certificate of ${this.host}:${this.port}: ${(error as Error).message}`, 'connect'))
              return
            }
          }
          if (expected && this.peerFingerprint?.toUpperCase() !== expected.toUpperCase()) {
            fail(
              new RouterConnectionError(
                'tls',
                certificateMismatchMessage({ siteName: options.siteName, host: this.host, port: this.port }, expected, this.peerFingerprint),
                'connect',
              ),
            )
            return
          }
          if (settled) return
          settled = true
          this.transportUp = true
          clearTimeout(timer)
          resolve()
        })
      } else {
        socket = net.connect({ host: this.host, port: this.port })
        socket.once('connect', () => {
          if (settled) return
          settled = true
          this.transportUp = true
          clearTimeout(timer)
          resolve()
        })
      }
      this.socket = socket
      socket.setNoDelay(true)
      // Important: attached before anything can fail, and never removed. node-routeros left the
      // socket without a listener after login, so a late ECONNRESET killed the process.
      socket.on('error', (error: NodeJS.ErrnoException) => {
        const classified = classifySocketError(error, options, this.phase(), this.host, this.port)
        if (!settled) fail(classified)
        else this.finish(classified)
      })
      socket.on('data', (chunk: Buffer) => this.onData(chunk))
      socket.once('close', () => {
        if (!settled) fail(new RouterConnectionError('unreachable', `${this.host}:${this.port} closed the connection`, 'connect'))
        // After our own close() nothing is left to reject: skip building an Error (a stack capture)
        // per connection, 500 of them in a fan-out.
        if (this.state !== 'closed' || this.pending.size > 0) {
          this.finish(new RouterConnectionError('closed', `${this.host}:${this.port} closed the connection`, this.phase()))
        }
        const waiters = this.closeWaiters
        this.closeWaiters = []
        for (const wake of waiters) wake()
      })
    })
  }

  private async login(): Promise<void> {
    const timeoutMs = this.options.loginTimeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS
    const { user, password } = this.options
    try {
      const first = await this.call('/login', { name: user, password }, {}, 'login', timeoutMs)
      const challenge = first.done.ret
      // Before 6.43 the router ignores the password and answers with a challenge.
      if (challenge && /^[0-9a-f]{32}$/i.test(challenge)) {
        const response = challengeResponse(encodeRouterText(password, this.codePage), Buffer.from(challenge, 'hex'))
        await this.call('/login', { name: user, response }, {}, 'login', timeoutMs)
      }
    } catch (error) {
      if (error instanceof RouterTrapError) {
        const failure = new RouterConnectionError(
          'auth',
          // The router's words are quoted, but never the password, should a router echo it back.
          `${this.host}:${this.port} refused the login of "${user}": ${redactSecrets(error.message, [password])}; check the user name and password`,
          'login',
        )
        this.closeReason = failure
        this.socket?.destroy()
        throw failure
      }
      this.socket?.destroy()
      throw error
    }
  }

  private words(command: string, attributes: RouterAttributes, queries: readonly string[], tag: string): Buffer[] {
    const words = [encodeRouterText(command, this.codePage)]
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined) continue
      const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value)
      words.push(encodeRouterText(`=${name}=${text}`, this.codePage))
    }
    for (const query of queries) words.push(encodeRouterText(`?${query}`, this.codePage))
    words.push(Buffer.from(`.tag=${tag}`, 'latin1'))
    return words
  }

  private write(words: Buffer[]): boolean {
    const socket = this.socket
    if (!socket || socket.destroyed || !socket.writable) return false
    socket.write(encodeSentence(words))
    return true
  }

  private call(
    command: string,
    attributes: RouterAttributes,
    options: CommandOptions,
    phase: RouterPhase,
    timeoutMs: number,
  ): Promise<RouterReply> {
    const tag = String(this.nextTag++)
    return new Promise<RouterReply>((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(new RouterConnectionError('aborted', `${command} was not sent: canceled`, phase))
        return
      }
      const abandon = (error: RouterConnectionError) => {
        if (!this.pending.has(tag)) return
        this.pending.delete(tag)
        cleanup()
        // Stop it on the router too; its late replies are dropped (unknown tag).
        if (this.state === 'open') this.write(this.words('/cancel', { tag }, [], String(this.nextTag++)))
        reject(error)
      }
      const timer = setTimeout(
        () => abandon(new RouterConnectionError('timeout', `${command} got no answer from ${this.host} within ${timeoutMs} ms`, phase)),
        timeoutMs,
      )
      const onAbort = () => abandon(new RouterConnectionError('aborted', `${command} was canceled`, phase))
      options.signal?.addEventListener('abort', onAbort, { once: true })
      const cleanup = () => {
        clearTimeout(timer)
        options.signal?.removeEventListener('abort', onAbort)
      }
      this.pending.set(tag, { command, phase, items: [], trap: undefined, resolve, reject, cleanup })
      if (!this.write(this.words(command, attributes, options.queries ?? [], tag))) {
        this.pending.delete(tag)
        cleanup()
        reject(this.closeReason ?? new RouterConnectionError('closed', `the connection to ${this.host} is closed`, phase))
      }
    })
  }

  private onData(chunk: Buffer): void {
    let sentences: Buffer[][]
    try {
      sentences = this.decoder.push(chunk)
    } catch (error) {
      const detail = (error as Error).message
      // Before login, bytes like these mean another service listens there (a wrong port); after,
      // a stream that broke mid-conversation.
      const message =
        this.phase() === 'command'
          ? `${this.host}:${this.port} sent bytes that are not the RouterOS API (${detail}), so the connection was closed`
          : `${this.host}:${this.port} does not speak the RouterOS API (${detail}): is that the router's API port (8728, or 8729 with TLS)?`
      this.finish(new RouterConnectionError('protocol', message, this.phase()))
      this.socket?.destroy()
      return
    }
    for (const sentence of sentences) this.onSentence(sentence)
  }

  private onSentence(rawWords: Buffer[]): void {
    if (rawWords.length === 0) return
    const words = rawWords.map((word) => decodeRouterText(word, this.codePage))
    const reply = words[0] as string
    let tag: string | undefined
    const attributes: Record<string, string> = {}
    const bare: string[] = []
    for (const word of words.slice(1)) {
      if (word.startsWith('.tag=')) tag = word.slice(5)
      else if (word.startsWith('=')) {
        const split = word.indexOf('=', 1)
        if (split === -1) attributes[word.slice(1)] = ''
        else attributes[word.slice(1, split)] = word.slice(split + 1)
      } else bare.push(word)
    }
    if (reply === '!fatal') {
      const reason = bare.join(' ') || attributes.message || 'connection closed by the router'
      this.finish(new RouterConnectionError('fatal', `${this.host} ended the session: ${reason}`, this.phase()))
      this.socket?.end()
      return
    }
    const call = tag === undefined ? undefined : this.pending.get(tag)
    // Replies to a canceled or timed-out call, and reply words we do not know, are dropped.
    if (!call) return
    switch (reply) {
      case '!re':
        call.items.push(attributes)
        return
      case '!trap':
        // Several traps may precede `!done`; the first says what went wrong.
        call.trap ??= new RouterTrapError(
          attributes.message ?? 'the router refused the command',
          attributes.category !== undefined && /^\d+$/.test(attributes.category) ? Number(attributes.category) : null,
          call.command,
        )
        return
      case '!empty':
        // RouterOS 7.18+: an empty print. node-routeros threw an uncaught exception here.
        return
      case '!done':
        this.pending.delete(tag as string)
        call.cleanup()
        if (call.trap) call.reject(call.trap)
        else call.resolve({ items: call.items, done: attributes })
        return
      default:
        return
    }
  }

  /** Ends the client: every pending call rejects with `reason`. Idempotent. */
  private finish(reason: RouterConnectionError): void {
    if (this.state !== 'closed') {
      this.state = 'closed'
      this.closeReason ??= reason
    }
    const calls = [...this.pending.values()]
    this.pending.clear()
    for (const call of calls) {
      call.cleanup()
      call.reject(reason.phase === call.phase ? reason : new RouterConnectionError(reason.kind, reason.message, call.phase, reason.code))
    }
  }
}

/** The pre-6.43 login: `00` + md5(0x00 + password + challenge), hex. */
export function challengeResponse(password: Buffer, challenge: Buffer): string {
  return `00${createHash('md5').update(Buffer.concat([Buffer.from([0]), password, challenge])).digest('hex')}`
}

function classifySocketError(
  error: NodeJS.ErrnoException,
  options: RouterClientOptions,
  phase: RouterPhase,
  host: string,
  port: number,
): RouterConnectionError {
  const code = error.code ?? ''
  let kind: RouterFailureKind
  let message: string
  if (code === 'ECONNREFUSED') {
    kind = 'refused'
    message = `${host}:${port} refused the connection: is the port right, and the API service enabled on the router (/ip service)?`
  } else if (code === 'ETIMEDOUT') {
    kind = 'timeout'
    message = `${host}:${port} did not answer (timed out)`
  } else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    kind = 'unreachable'
    message =
      code === 'EAI_AGAIN'
        ? `the host name ${host} could not be resolved now (DNS did not answer): check the network`
        : `the host name ${host} does not resolve to an address: check the host for a typo, or use the router's IP address`
  } else if (options.tls && (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /SSL|TLS|handshake/i.test(error.message))) {
    kind = 'tls'
    message = `TLS with ${host}:${port} failed: ${error.message}`
    if (!options.allowAnonymousDh && /handshake failure|no shared cipher/i.test(error.message)) {
      const site = options.siteName ? `"${options.siteName}"` : 'SITE'
      message +=
        ': a router without a certificate offers only anonymous DH, which Fieldjobs refuses unless allowed for the site. ' +
        `Better: give the router a certificate. Or allow it (unauthenticated, no protection against interception): \`fieldjobs site trust ${site} --allow-anonymous-dh\``
    }
  } else {
    kind = 'unreachable'
    message = `cannot reach ${host}:${port}: ${error.message}`
  }
  return new RouterConnectionError(kind, message, phase, code || undefined)
}
