// The runtime's log: one JSON object per line in `<data-dir>/logs/fieldjobs.log`, for the engineer
// (or support) reading what happened after the fact. Rotated by size: fieldjobs.log.1 .. .N, so a
// busy queue never fills the disk. Written synchronously: lines are few (job transitions, errors),
// and a line must not be lost when the process dies right after writing it.
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { redactFields } from './redact-fields'

export type LogLevel = 'info' | 'warn' | 'error'

export interface JsonLinesLogOptions {
  /** The folder of the log files (created, mode 0700). */
  dir: string
  /** Default 5 MiB. */
  maxBytes?: number
  /** Rotated files kept besides the current one; default 3. */
  keep?: number
  /** The secrets to redact, asked for at each write (a password may have changed since). */
  knownSecrets?: () => readonly string[]
  now?: () => number
}

export const LOG_FILE_NAME = 'fieldjobs.log'

export class JsonLinesLog {
  readonly file: string
  private readonly maxBytes: number
  private readonly keep: number
  private size: number

  constructor(private readonly options: JsonLinesLogOptions) {
    mkdirSync(options.dir, { recursive: true, mode: 0o700 })
    this.file = join(options.dir, LOG_FILE_NAME)
    this.maxBytes = options.maxBytes ?? 5 * 2 ** 20
    this.keep = options.keep ?? 3
    this.size = existsSync(this.file) ? statSync(this.file).size : 0
  }

  write(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
    const secrets = this.options.knownSecrets?.() ?? []
    const at = new Date(this.options.now?.() ?? Date.now()).toISOString()
    const line = `${JSON.stringify({ at, level, event, ...(redactFields(fields, secrets) as Record<string, unknown>) })}\n`
    const bytes = Buffer.byteLength(line)
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate()
    appendFileSync(this.file, line, { mode: 0o600 })
    this.size += bytes
  }

  /** The current file and the rotated ones, newest first (for tests and support bundles). */
  files(): string[] {
    const all = [this.file, ...Array.from({ length: this.keep }, (_, index) => `${this.file}.${index + 1}`)]
    return all.filter((file) => existsSync(file))
  }

  private rotate(): void {
    rmSync(`${this.file}.${this.keep}`, { force: true })
    for (let index = this.keep - 1; index >= 1; index--) {
      if (existsSync(`${this.file}.${index}`)) renameSync(`${this.file}.${index}`, `${this.file}.${index + 1}`)
    }
    if (this.keep > 0) renameSync(this.file, `${this.file}.1`)
    else rmSync(this.file, { force: true })
    this.size = 0
  }
}
