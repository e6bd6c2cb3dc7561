// Router configuration backups: text exports stored as `<data-dir>/backups/<site_id>/<unix seconds>.rsc`,
// the same relative path SDX uses and the job's associated_backup holds. Each is recorded with its
// SHA-256 so a file changed on disk is reported, never silently diffed or restored.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Backup } from '../../contract/ipc-contract'
import { isoAt } from '../clock'
import { FieldjobsError } from '../errors'
import type { Statement } from 'better-sqlite3'
import type { Db } from '../store/database'

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')
const BACKUP_PATH = /^([0-9a-f-]{36})\/(\d{1,12})\.rsc$/

export class BackupStore {
  private readonly insert: Statement

  constructor(
    private readonly db: Db,
    private readonly backupsDir: string,
  ) {
    this.insert = db.prepare('INSERT INTO backups (path, site_id, created_at, sha256, size, job_id) VALUES (?, ?, ?, ?, ?, ?)')
  }

  /**
   * Stores an export taken at `atMs` and returns its relative path. Two backups of one site in the
   * same second get the next free second, so none is overwritten (`wx` refuses an existing file).
   * Asynchronous: a fan-out to hundreds of routers saves hundreds of exports, and synchronous
   * writes there stalled every other router's traffic on the event loop.
   */
  async save(siteId: string, text: string, atMs: number, jobId: string | null = null): Promise<string> {
    let seconds = Math.floor(atMs / 1000)
    // The site's folder is made with the site (makeSiteFolder), and again only when a write finds it
    // missing: a fan-out saves one export per router, and a mkdir before each cost 7% of its CPU.
    let madeFolder = false
    let path: string
    for (;;) {
      path = `${siteId}/${seconds}.rsc`
      try {
        await writeFile(this.file(path), text, { encoding: 'utf8', flag: 'wx' })
        break
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'ENOENT' && !madeFolder) {
          await mkdir(join(this.backupsDir, siteId), { recursive: true })
          madeFolder = true
          continue
        }
        if (code !== 'EEXIST') throw error
        seconds++
      }
    }
    this.insert.run(path, siteId, isoAt(seconds * 1000), sha256(text), Buffer.byteLength(text), jobId)
    return path
  }

  /** Deletes a removed site's backup files (their rows went with the site, in its transaction). */
  removeSiteFolder(siteId: string): void {
    rmSync(join(this.backupsDir, siteId), { recursive: true, force: true })
  }

  /** Makes a new site's folder, so its first backup is one write. */
  makeSiteFolder(siteId: string): void {
    mkdirSync(join(this.backupsDir, siteId), { recursive: true })
  }

  /**
   * Newest first. One site's backups never tie (created_at is the second in the path); across sites
   * the path breaks ties, so the order is total and callers need not sort again.
   */
  list(siteId?: string): Backup[] {
    const rows = (
      siteId
        ? this.db.prepare('SELECT * FROM backups WHERE site_id = ? ORDER BY created_at DESC, path DESC').all(siteId)
        : this.db.prepare('SELECT * FROM backups ORDER BY created_at DESC, path DESC').all()
    ) as Array<Backup & { sha256: string }>
    return rows.map(({ sha256: _hash, ...backup }) => backup)
  }

  /** Reads a backup; `intact` is false when the file no longer matches what was stored. */
  read(path: string): { path: string; text: string; intact: boolean } {
    if (!BACKUP_PATH.test(path)) {
      throw new FieldjobsError('validation', `"${path}" is not a backup path (expected <site id>/<unix seconds>.rsc)`)
    }
    const row = this.db.prepare('SELECT sha256 FROM backups WHERE path = ?').get(path) as { sha256: string } | undefined
    if (!row) throw new FieldjobsError('not_found', `no backup ${path}`)
    let text: string
    try {
      text = readFileSync(this.file(path), 'utf8')
    } catch {
      throw new FieldjobsError('not_found', `the backup file ${this.file(path)} is missing from disk`)
    }
    return { path, text, intact: sha256(text) === row.sha256 }
  }

  file(path: string): string {
    return join(this.backupsDir, ...path.split('/'))
  }
}
