// "Nothing stored lost": a snapshot of what a data folder holds (sites, jobs, backups and the backup
// files' bytes), read straight from SQLite and the disk, so a bad-input case can prove it changed
// nothing but the job it was about.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'

export interface StoredState {
  sites: unknown[]
  jobs: unknown[]
  backups: Array<Record<string, unknown> & { file_sha256: string }>
}

/** Everything stored in `dataDir`, except the jobs named in `exceptJobs` (the case under test). */
export function storedState(dataDir: string, exceptJobs: readonly string[] = []): StoredState {
  const db = new Database(join(dataDir, 'fieldjobs.db'), { readonly: true, fileMustExist: true })
  try {
    const jobs = (db.prepare('SELECT * FROM jobs ORDER BY seq').all() as Array<{ id: string }>).filter(
      (job) => !exceptJobs.includes(job.id),
    )
    const sites = db.prepare('SELECT * FROM sites ORDER BY id').all()
    const backups = (db.prepare('SELECT * FROM backups ORDER BY path').all() as Array<{ path: string }>).map((backup) => ({
      ...backup,
      // The bytes on disk, not just the row: a lost or rewritten export is a loss too.
      file_sha256: createHash('sha256')
        .update(readFileSync(join(dataDir, 'backups', ...backup.path.split('/'))))
        .digest('hex'),
    }))
    return { sites, jobs, backups }
  } finally {
    db.close()
  }
}
