// A deliberately naive RouterOS API client for the lab's own tests: raw bytes over net.Socket, with
// its own length codec written from the manual's table (not the lab's wire/ code), so a bug in the
// lab's codec cannot hide behind the same bug in the test.
import net from 'node:net'
import tls from 'node:tls'

export function rawLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length])
  if (length < 0x4000) return Buffer.from([(length >> 8) | 0x80, length & 0xff])
  if (length < 0x200000) return Buffer.from([(length >> 16) | 0xc0, (length >> 8) & 0xff, length & 0xff])
  if (length < 0x10000000) {
    return Buffer.from([(length >>> 24) | 0xe0, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff])
  }
  const out = Buffer.alloc(5)
  out[0] = 0xf0
  out.writeUInt32BE(length, 1)
  return out
}

/** Words are byte strings (latin1), as in the lab. */
export function rawSentence(...words: string[]): Buffer {
  const parts: Buffer[] = []
  for (const word of words) {
    const bytes = Buffer.from(word, 'latin1')
    parts.push(rawLength(bytes.length), bytes)
  }
  parts.push(Buffer.from([0]))
  return Buffer.concat(parts)
}

/** Parses every complete sentence at the start of `bytes`; returns them and the bytes consumed. */
export function rawParse(bytes: Buffer): { sentences: string[][]; consumed: number } {
  const sentences: string[][] = []
  let words: string[] = []
  let offset = 0
  let consumed = 0
  for (;;) {
    if (offset >= bytes.length) break
    const first = bytes[offset]
    let length: number
    let size: number
    if (first < 0x80) [length, size] = [first, 1]
    else if (first < 0xc0) [length, size] = [bytes.length >= offset + 2 ? bytes.readUInt16BE(offset) & 0x3fff : -1, 2]
    else if (first < 0xe0) [length, size] = [bytes.length >= offset + 3 ? bytes.readUIntBE(offset, 3) & 0x1fffff : -1, 3]
    else if (first < 0xf0) [length, size] = [bytes.length >= offset + 4 ? bytes.readUInt32BE(offset) & 0xfffffff : -1, 4]
    else if (first < 0xf8) [length, size] = [bytes.length >= offset + 5 ? bytes.readUInt32BE(offset + 1) : -1, 5]
    else throw new Error(`reserved byte 0x${first.toString(16)} at ${offset}`)
    if (length < 0 || offset + size + length > bytes.length) break
    offset += size
    if (length === 0) {
      sentences.push(words)
      words = []
      consumed = offset
      continue
    }
    words.push(bytes.subarray(offset, offset + length).toString('latin1'))
    offset += length
  }
  return { sentences, consumed }
}

export interface RawClientOptions {
  tls?: tls.ConnectionOptions | boolean
}

export class RawClient {
  /** Every byte received, for tests that look below sentences. */
  received = Buffer.alloc(0)
  /** Number of 'data' events: a proxy for TCP segments. */
  dataEvents = 0
  readonly closed: Promise<void>
  private unread = Buffer.alloc(0)
  private readonly queue: string[][] = []
  private waiters: Array<() => void> = []
  private isClosed = false

  private constructor(readonly socket: net.Socket) {
    // Nagle plus delayed ACK would hold the second half of a split request for ~40 ms.
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => {
      this.dataEvents++
      this.received = Buffer.concat([this.received, chunk])
      this.unread = Buffer.concat([this.unread, chunk])
      try {
        const { sentences, consumed } = rawParse(this.unread)
        this.unread = this.unread.subarray(consumed)
        this.queue.push(...sentences)
      } catch {
        // Garbage: keep the raw bytes for the test; stop parsing.
        this.unread = Buffer.alloc(0)
      }
      this.wake()
    })
    socket.on('error', () => {})
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.isClosed = true
        this.wake()
        resolve()
      }),
    )
  }

  static connect(port: number, options: RawClientOptions = {}): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error)
      let socket: net.Socket
      if (options.tls) {
        const extra = typeof options.tls === 'object' ? options.tls : {}
        socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...extra }, () => {
          socket.off('error', onError)
          resolve(new RawClient(socket))
        })
      } else {
        socket = net.connect({ host: '127.0.0.1', port }, () => {
          socket.off('error', onError)
          resolve(new RawClient(socket))
        })
      }
      socket.once('error', onError)
    })
  }

  private wake(): void {
    const waiters = this.waiters
    this.waiters = []
    for (const wake of waiters) wake()
  }

  send(...words: string[]): void {
    this.socket.write(rawSentence(...words))
  }

  writeBytes(bytes: Uint8Array): void {
    this.socket.write(bytes)
  }

  /** The next sentence; rejects if the connection closes first. */
  async next(): Promise<string[]> {
    for (;;) {
      const sentence = this.queue.shift()
      if (sentence) return sentence
      if (this.isClosed) throw new Error('connection closed')
      await new Promise<void>((resolve) => this.waiters.push(resolve))
    }
  }

  /** Sentences up to and including the first `!done` (or `!fatal`) carrying `.tag=tag` (untagged if undefined). */
  async untilDone(tag?: string): Promise<string[][]> {
    const collected: string[][] = []
    for (;;) {
      const sentence = await this.next()
      collected.push(sentence)
      const sentenceTag = sentence.find((word) => word.startsWith('.tag='))?.slice(5)
      if (sentence[0] === '!fatal') return collected
      if (sentence[0] === '!done' && sentenceTag === tag) return collected
    }
  }

  /** Resolves once `count` bytes have been received in total. */
  async receivedAtLeast(count: number): Promise<Buffer> {
    while (this.received.length < count) {
      if (this.isClosed) throw new Error(`connection closed after ${this.received.length} bytes`)
      await new Promise<void>((resolve) => this.waiters.push(resolve))
    }
    return this.received
  }

  /** `/login` since 6.43; returns the reply sentences. */
  async login(user: string, password: string, tag?: string): Promise<string[][]> {
    const words = ['/login', `=name=${user}`, `=password=${password}`]
    if (tag !== undefined) words.push(`.tag=${tag}`)
    this.send(...words)
    return this.untilDone(tag)
  }

  close(): void {
    this.socket.destroy()
  }
}
