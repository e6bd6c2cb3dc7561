// A job's progress lines (job.progress events), stored as they are announced, read in order.
import type { Statement } from 'better-sqlite3'
import type { CoreEventListener } from '../events/event-bus'
import type { Db } from './database'

export interface ProgressLine {
  message: string
  at: string
}

/** At most this many lines per job: a script that logs in a loop must not fill the disk. */
const MAX_LINES_PER_JOB = 200

export class JobProgressStore {
  private readonly insert: Statement
  private readonly byJob: Statement
  private readonly countOf: Statement

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO job_progress (job_id, at, message) VALUES (?, ?, ?)')
    this.byJob = db.prepare('SELECT message, at FROM job_progress WHERE job_id = ? ORDER BY rowid')
    this.countOf = db.prepare('SELECT count(*) FROM job_progress WHERE job_id = ?').pluck()
  }

  /**
   * Stores each job.progress event this process announces. Lines another process said (announced
   * here by other-writers.ts) are stored by that process. Returns unsubscribe.
   */
  record(subscribe: (listener: CoreEventListener) => () => void): () => void {
    return subscribe((event, origin) => {
      if (event.type !== 'job.progress' || origin.elsewhere) return
      if ((this.countOf.get(event.job_id) as number) >= MAX_LINES_PER_JOB) return
      try {
        this.insert.run(event.job_id, event.at, event.message)
      } catch {
        // The job was purged meanwhile (foreign key): its lines go with it.
      }
    })
  }

  list(jobId: string): ProgressLine[] {
    return this.byJob.all(jobId) as ProgressLine[]
  }
}
