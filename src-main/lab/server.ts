// The lab's RouterOS API wire server: speaks the API exactly as a router does (framing, login, tags,
// `!empty`, `/cancel`, `/quit`) and hands every other command to a SimulatedRouter (router/contract.ts).
// Also the place where faults are injected. Lean on purpose: benchmarks run 500 of these in one
// process, so an idle connection holds no timer, only its socket and a small parser state.
import net from 'node:net'
import tls from 'node:tls'
import { defaultFaults, matchesCommand, pickLatency, type FaultKnobs } from './faults'
import { challengeResponse, effectiveLoginStyle, newChallenge, type LoginStyle } from './login'
import { answersEmptyPrint } from './routeros-version'
import { RouterTrap, TrapCategory, type ApiCommand, type CommandContext, type SimulatedRouter } from './router/contract'
import { LAB_TLS_CERT, LAB_TLS_KEY } from './wire/lab-cert'
import { SentenceReader, type Sentence } from './wire/sentence-reader'
import { encodeSentence, encodeSentences } from './wire/sentence-writer'
import { parseRequest, type ApiRequest } from './wire/words'

export type { FaultKnobs } from './faults'
export type { LoginStyle } from './login'

export interface RouterServerOptions {
  /** Default 127.0.0.1: the lab never listens beyond loopback unless asked. */
  host?: string
  /** Default 0: any free port. */
  port?: number
  /** Default `auto` (by router version: challenge before 6.43, both until 6.45.1, plain after). */
  loginStyle?: LoginStyle
  /**
   * api-ssl. `true`: TLS with the lab's self-signed certificate (wire/lab-cert.ts). `'anonymous-dh'`:
   * a router without a certificate, which offers only anonymous DH suites (TLS 1.2, `@SECLEVEL=0`).
   */
  tls?: boolean | 'anonymous-dh'
  faults?: Partial<FaultKnobs>
  /** Challenge bytes for the pre-6.43 login; tests pin it to the manual's vector. */
  challenge?: () => Uint8Array
  /** Largest request word accepted (default 16 MiB); a larger one drops the connection. */
  maxWordBytes?: number
  /** Called when the router throws something other than RouterTrap (a bug in the lab, not a trap). */
  onRouterError?: (error: unknown, command: ApiCommand) => void
}

export interface RouterServer {
  readonly host: string
  readonly port: number
  readonly tls: boolean | 'anonymous-dh'
  /** Live fault knobs: assign to change behaviour at run time. */
  readonly faults: FaultKnobs
  /** Assigns knobs and waits until the listener reflects `refuseConnections`. */
  setFaults(patch: Partial<FaultKnobs>): Promise<void>
  /** Resolves once every listener change asked for so far (refuse, accept) has taken effect. */
  whenListenerSettled(): Promise<void>
  /** Open API connections (logged in or not). */
  readonly connectionCount: number
  /** Resolves once no API connection is open (at once if none is). */
  whenNoConnections(): Promise<void>
  /** Closes every open connection without a word (lockout: API disabled, address moved, firewall). */
  dropAllConnections(): void
  /** Stops (false) or resumes (true) accepting: closed listener, connects get ECONNREFUSED. */
  setAcceptingConnections(accepting: boolean): Promise<void>
  close(): Promise<void>
}

const ANONYMOUS_DH = { ciphers: 'ADH-AES256-GCM-SHA384:@SECLEVEL=0', maxVersion: 'TLSv1.2', dhparam: 'auto' } as const

export async function startRouterServer(router: SimulatedRouter, options: RouterServerOptions = {}): Promise<RouterServer> {
  const host = options.host ?? '127.0.0.1'
  const tlsMode = options.tls ?? false
  const connections = new Set<ApiConnection>()
  const rawSockets = new Set<net.Socket>()
  const listenerClosed: Promise<void>[] = []
  let listener: net.Server | undefined
  let port = options.port ?? 0
  let accepting = true
  let closed = false
  let listenerWork: Promise<void> = Promise.resolve()

  let noConnectionWaiters: Array<() => void> = []
  const onSocket = (socket: net.Socket): void => {
    const connection = new ApiConnection(socket, config)
    connections.add(connection)
    socket.once('close', () => {
      connections.delete(connection)
      if (connections.size > 0) return
      const waiters = noConnectionWaiters
      noConnectionWaiters = []
      for (const wake of waiters) wake()
    })
  }

  const createListener = (): net.Server => {
    const server =
      tlsMode === false
        ? net.createServer(onSocket)
        : tls.createServer(
            tlsMode === 'anonymous-dh' ? { ...ANONYMOUS_DH } : { key: LAB_TLS_KEY, cert: LAB_TLS_CERT },
            onSocket,
          )
    // Track the TCP sockets too (TLS ones before their handshake), so close() can end them all.
    server.on('connection', (socket: net.Socket) => {
      rawSockets.add(socket)
      socket.once('close', () => rawSockets.delete(socket))
    })
    // A failed handshake is the client's problem; without a listener it would only be logged.
    server.on('tlsClientError', () => {})
    return server
  }

  const listen = (server: net.Server): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => {
        server.off('error', reject)
        port = (server.address() as net.AddressInfo).port
        resolve()
      })
    })

  const stopListening = (): void => {
    if (!listener) return
    const server = listener
    listener = undefined
    // Important: the listening socket closes now (ECONNREFUSED from here on); the callback only fires
    // once the connections accepted by this server are gone, which close() waits for.
    listenerClosed.push(new Promise((resolve) => server.close(() => resolve())))
  }

  const reconcileListener = (): Promise<void> => {
    listenerWork = listenerWork
      .catch(() => {})
      .then(async () => {
        const wanted = !closed && accepting && !faults.refuseConnections
        if (wanted && !listener) {
          const server = createListener()
          await listen(server)
          listener = server
        } else if (!wanted) {
          stopListening()
        }
      })
    return listenerWork
  }

  // refuseConnections is an accessor so that a plain assignment closes or reopens the listener.
  let refuse = false
  const faults: FaultKnobs = {
    ...defaultFaults(),
    get refuseConnections() {
      return refuse
    },
    set refuseConnections(value: boolean) {
      if (value === refuse) return
      refuse = value
      void reconcileListener().catch(() => {})
    },
  }
  const config: ServerConfig = {
    router,
    loginStyle: options.loginStyle ?? 'auto',
    challenge: options.challenge ?? newChallenge,
    maxWordBytes: options.maxWordBytes,
    onRouterError: options.onRouterError,
    faults,
  }
  const { refuseConnections: refuseAtStart, ...initialKnobs } = options.faults ?? {}
  Object.assign(faults, initialKnobs)

  // Listen once even when refusing from the start, so the port is known and stays the same.
  const first = createListener()
  await listen(first)
  listener = first
  if (refuseAtStart) {
    faults.refuseConnections = true
    await listenerWork
  }

  return {
    host,
    get port() {
      return port
    },
    tls: tlsMode,
    faults,
    async setFaults(patch) {
      Object.assign(faults, patch)
      await listenerWork
    },
    whenListenerSettled() {
      return listenerWork
    },
    get connectionCount() {
      return connections.size
    },
    whenNoConnections() {
      if (connections.size === 0) return Promise.resolve()
      return new Promise((resolve) => noConnectionWaiters.push(resolve))
    },
    dropAllConnections() {
      for (const connection of connections) connection.destroy()
    },
    setAcceptingConnections(value) {
      accepting = value
      return reconcileListener()
    },
    async close() {
      if (closed) return
      closed = true
      await reconcileListener().catch(() => {})
      for (const connection of connections) connection.destroy()
      for (const socket of rawSockets) socket.destroy()
      await Promise.all(listenerClosed)
    },
  }
}

interface ServerConfig {
  readonly router: SimulatedRouter
  readonly loginStyle: LoginStyle
  readonly challenge: () => Uint8Array
  readonly maxWordBytes: number | undefined
  readonly onRouterError: RouterServerOptions['onRouterError']
  readonly faults: FaultKnobs
}

/** A command the router is running, until its `!done` is queued. */
interface RunningCommand {
  readonly tag: string | undefined
  readonly controller: AbortController
  readonly replies: ReplyChannel
  /** Set by /cancel: the router's own outcome is then ignored; /cancel writes the ending. */
  cancelled: boolean
}

/** Reply words with `.tag` right after the reply word, as real routers send them. */
function reply(word: string, tag: string | undefined, attributes?: Record<string, string>): Sentence {
  const words = [word]
  if (tag !== undefined) words.push(`.tag=${tag}`)
  if (attributes) for (const [name, value] of Object.entries(attributes)) words.push(`=${name}=${value}`)
  return words
}

function trapReply(tag: string | undefined, message: string, category?: number): Sentence {
  const words = reply('!trap', tag)
  if (category !== undefined) words.push(`=category=${category}`)
  words.push(`=message=${message}`)
  return words
}

/**
 * The replies of one command, written in batches: sentences queued in the same tick go out in one
 * write, after the latency knob's delay. Batches of one command keep their order; different
 * commands interleave freely, like tagged commands on a router.
 */
class ReplyChannel {
  private pending: Sentence[] = []
  private flushing: Promise<void> = Promise.resolve()
  private scheduled = false
  /** Set by the dropConnectionOnCommand knob. */
  dropOnFirstBatch = false

  constructor(
    private readonly connection: ApiConnection,
    readonly tag: string | undefined,
  ) {}

  send(sentence: Sentence): void {
    if (this.connection.closing) return
    this.pending.push(sentence)
    if (this.scheduled) return
    this.scheduled = true
    this.flushing = this.flushing.then(() => this.flush())
  }

  trap(message: string, category?: number): void {
    this.send(trapReply(this.tag, message, category))
    this.send(reply('!done', this.tag))
  }

  /** Resolves once everything sent so far has been handed to the socket. */
  drained(): Promise<void> {
    return this.flushing
  }

  private async flush(): Promise<void> {
    const delay = pickLatency(this.connection.faults.latencyMs)
    // Only a command with replies in flight holds a timer; an idle connection holds none.
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
    this.scheduled = false
    const batch = this.pending
    this.pending = []
    if (this.connection.closing || batch.length === 0) return
    const bytes = encodeSentences(batch)
    if (this.dropOnFirstBatch) {
      this.connection.dropAfter(bytes.subarray(0, Math.floor(bytes.length / 2)))
      return
    }
    this.connection.write(bytes)
  }
}

class ApiConnection {
  private readonly reader: SentenceReader
  private readonly running = new Set<RunningCommand>()
  private user: string | undefined
  private challenge: Uint8Array | undefined
  /** True once the connection is ending: nothing more is read, run or written. */
  closing = false
  // Byte-by-byte output (oneByteSegments): whole buffers queue here so sentences never interleave.
  private readonly trickleQueue: Array<{ bytes: Uint8Array; written?: () => void }> = []
  private trickling = false

  constructor(
    private readonly socket: net.Socket,
    private readonly config: ServerConfig,
  ) {
    this.reader = new SentenceReader({ maxWordBytes: config.maxWordBytes })
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    // ECONNRESET and friends: the 'close' that follows does the cleanup.
    socket.on('error', () => {})
    socket.once('close', () => this.onClosed())
    if (this.faults.garbageOnConnect) this.write(this.faults.garbageBytes)
  }

  get faults(): FaultKnobs {
    return this.config.faults
  }

  private get router(): SimulatedRouter {
    return this.config.router
  }

  destroy(): void {
    this.closing = true
    this.socket.destroy()
  }

  write(bytes: Uint8Array, written?: () => void): void {
    if (this.socket.destroyed) return
    if (this.faults.oneByteSegments || this.trickling) {
      this.trickleQueue.push({ bytes, written })
      if (!this.trickling) void this.trickle()
      return
    }
    this.socket.write(bytes, written && (() => written()))
  }

  /** Sends `partial` (part of a reply), then drops the connection: the dropConnectionOnCommand knob. */
  dropAfter(partial: Uint8Array): void {
    this.closing = true
    if (partial.length === 0) {
      this.socket.destroy()
      return
    }
    this.write(partial, () => this.socket.destroy())
  }

  private async trickle(): Promise<void> {
    this.trickling = true
    try {
      while (this.trickleQueue.length > 0) {
        const { bytes, written } = this.trickleQueue.shift()!
        for (let i = 0; i < bytes.length; i++) {
          if (this.socket.destroyed) return
          // Waiting for the write callback, then a macrotask, lets the peer read each byte alone.
          await new Promise<void>((resolve) => this.socket.write(bytes.subarray(i, i + 1), () => setImmediate(resolve)))
        }
        written?.()
      }
    } finally {
      this.trickling = false
    }
  }

  /** `!fatal` + reason, then a graceful close: what a router does on /quit and on fatal errors. */
  private fatal(reason: string): void {
    this.closing = true
    this.abortAll()
    this.write(encodeSentence(['!fatal', reason]), () => this.socket.end())
  }

  private onData(chunk: Buffer): void {
    if (this.closing) return
    let sentences: Sentence[]
    try {
      sentences = this.reader.push(chunk)
    } catch {
      // A framing error cannot be recovered from: the stream is out of sync. Real routers close the
      // connection too (UNCONFIRMED whether they say anything first).
      this.destroy()
      return
    }
    for (const words of sentences) {
      if (this.closing) return
      // An empty sentence gets no reply (API manual).
      if (words.length > 0) this.onRequest(parseRequest(words))
    }
  }

  private onRequest(request: ApiRequest): void {
    const tag = request.apiAttributes.get('tag')
    const command = request.command
    const faults = this.faults
    if (matchesCommand(faults.neverAnswer, command)) return
    if (matchesCommand(faults.fatalOnCommand, command)) return this.fatal(faults.fatalMessage)
    if (matchesCommand(faults.garbageOnCommand, command)) return this.write(faults.garbageBytes)
    const replies = new ReplyChannel(this, tag)
    replies.dropOnFirstBatch = matchesCommand(faults.dropConnectionOnCommand, command)

    if (command === '/login') return this.login(request, replies)
    if (command === '/quit') return this.fatal('session terminated on request')
    // UNCONFIRMED: client authors report `!fatal not logged in` for any command before login.
    if (this.user === undefined) return this.fatal('not logged in')
    if (command === '/cancel') return void this.cancel(request, replies)
    // UNCONFIRMED: the exact trap for a sentence that does not start with a command word.
    if (command === '') return replies.trap('no such command', TrapCategory.missingItemOrCommand)
    this.run(request, replies, this.user)
  }

  private login(request: ApiRequest, replies: ReplyChannel): void {
    const style = effectiveLoginStyle(this.config.loginStyle, this.router.version)
    const name = request.attributes.get('name')
    const password = request.attributes.get('password')
    const response = request.attributes.get('response')
    const acceptsChallenge = style === 'challenge' || style === 'both'

    if (acceptsChallenge && response !== undefined) {
      const challenge = this.challenge
      // A challenge answers one login attempt only.
      this.challenge = undefined
      const clear = name === undefined ? undefined : this.router.passwordOf(name)
      if (!challenge || name === undefined || clear === undefined || response.toLowerCase() !== challengeResponse(clear, challenge)) {
        return replies.trap('cannot log in')
      }
      return this.completeLogin(name, replies)
    }
    // Pre-6.43 routers ignore `=password=` and hand out a challenge; clients such as node-routeros
    // rely on that (they send name+password first and fall back to the challenge on `=ret=`).
    if (style === 'challenge' || (style === 'both' && password === undefined)) {
      this.challenge = this.config.challenge()
      replies.send(reply('!done', replies.tag, { ret: Buffer.from(this.challenge).toString('hex') }))
      return
    }
    if (name === undefined || password === undefined || !this.router.authenticate(name, password)) {
      return replies.trap('invalid user name or password (6)')
    }
    this.completeLogin(name, replies)
  }

  private completeLogin(name: string, replies: ReplyChannel): void {
    if (!this.router.hasApiPolicy(name)) return replies.trap('std failure: not allowed (9)')
    this.user = name
    replies.send(reply('!done', replies.tag))
  }

  private run(request: ApiRequest, replies: ReplyChannel, user: string): void {
    const command: ApiCommand = { command: request.command, attributes: request.attributes, queries: request.queries }
    const running: RunningCommand = { tag: replies.tag, controller: new AbortController(), replies, cancelled: false }
    this.running.add(running)
    const proplist = request.attributes.get('.proplist')?.split(',')
    let items = 0
    const context: CommandContext = {
      user,
      signal: running.controller.signal,
      emitItem: (attributes) => {
        if (running.cancelled || this.closing) return
        items++
        replies.send(reply('!re', replies.tag, proplist ? pick(attributes, proplist) : attributes))
      },
    }
    let outcome: Promise<Record<string, string>>
    try {
      outcome = this.router.run(command, context)
    } catch (error) {
      outcome = Promise.reject(error)
    }
    outcome.then(
      (done) => {
        if (running.cancelled || this.closing) return
        this.running.delete(running)
        // `!empty` only for a print that found nothing; a `!done` carrying a value (count-only's
        // `=ret=`) is an answer, not an empty result (UNCONFIRMED on a real 7.18).
        if (items === 0 && isPrintLike(request.command) && Object.keys(done).length === 0 && answersEmptyPrint(this.router.version)) {
          replies.send(reply('!empty', replies.tag))
        }
        replies.send(reply('!done', replies.tag, done))
      },
      (error: unknown) => {
        if (running.cancelled || this.closing) return
        this.running.delete(running)
        if (error instanceof RouterTrap) return replies.trap(error.message, error.category)
        this.config.onRouterError?.(error, command)
        replies.trap(error instanceof Error ? error.message : String(error), TrapCategory.generalFailure)
      },
    )
  }

  /**
   * `/cancel =tag=X`: X ends with `!trap =category=2 =message=interrupted`, then the cancel's own
   * `!done`, then X's `!done`, in that order (API manual). `/cancel` without a tag cancels every
   * running command: all traps, the cancel's `!done`, then all `!done`s (UNCONFIRMED ordering).
   * The ending is written here rather than by the router, so a router that ignores the signal still
   * yields the documented sequence.
   */
  private async cancel(request: ApiRequest, replies: ReplyChannel): Promise<void> {
    const target = request.attributes.get('tag')
    const victims = [...this.running].filter((command) => target === undefined || command.tag === target)
    for (const victim of victims) {
      victim.cancelled = true
      this.running.delete(victim)
      victim.controller.abort()
    }
    await Promise.all(
      victims.map((victim) => {
        victim.replies.send(trapReply(victim.tag, 'interrupted', TrapCategory.executionInterrupted))
        return victim.replies.drained()
      }),
    )
    // UNCONFIRMED: cancelling a tag that is not running; answered with a plain `!done` here.
    replies.send(reply('!done', replies.tag))
    await replies.drained()
    for (const victim of victims) victim.replies.send(reply('!done', victim.tag))
  }

  private abortAll(): void {
    for (const command of this.running) command.controller.abort()
    this.running.clear()
  }

  private onClosed(): void {
    this.closing = true
    this.abortAll()
    this.trickleQueue.length = 0
  }
}

function isPrintLike(command: string): boolean {
  return command.endsWith('/print') || command.endsWith('/getall')
}

function pick(attributes: Record<string, string>, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {}
  for (const [name, value] of Object.entries(attributes)) if (names.includes(name)) picked[name] = value
  return picked
}
