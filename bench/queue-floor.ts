// SQLite's own floor under the queue benchmark's two ratios, measured in the same run as plainjob.
// Each floor is raw SQL on the smallest table that still keeps what the foundation issue requires:
// no validation, no events, no job object (one claim floor also awaits a no-op executor, handing it
// each job's content, as every queue must). No code built above SQLite can be faster
// than its floor, so a floor whose ratio to plainjob is under a goal shows that goal out of reach
// without giving up a requirement; the queue benchmark reports the floors beside the real figures.
import { randomBytes, randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3'

/** Fieldjobs' own settings (database.ts): WAL, synchronous=NORMAL, 1 KB pages (faster than 4 KB for both floors). */
export function openFloorDatabase(file: string): Database.Database {
  const db = new Database(file)
  db.pragma('page_size = 1024')
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('wal_autocheckpoint = 10000')
  return db
}

/**
 * The least a job row can be and still be created the way the issue asks: found by its idempotency
 * key (unique), found by its 10-character token (unique), claimable from a partial index of
 * runnable rows, and listed per site newest first (history_page_ms). What plainjob stores, the job's
 * text as one JSON column, is the rest. No id, no timestamps, no payload hash, no foreign key.
 */
export class EnqueueFloor {
  private readonly insert: Database.Statement

  constructor(readonly db: Database.Database) {
    db.exec(`
      CREATE TABLE jobs (
        seq             INTEGER PRIMARY KEY,
        idempotency_key TEXT NOT NULL UNIQUE,
        token           TEXT NOT NULL UNIQUE,
        site            INTEGER NOT NULL,
        status          INTEGER NOT NULL,
        data            TEXT NOT NULL
      );
      CREATE INDEX jobs_runnable ON jobs (seq) WHERE status = 0;
      CREATE INDEX jobs_site_seq ON jobs (site, seq);`)
    this.insert = db.prepare('INSERT INTO jobs (idempotency_key, token, site, status, data) VALUES (?, ?, ?, 0, ?)')
  }

  /** One job, its own commit. Throws on a key or token already stored, as a unique index must. */
  enqueue(idempotencyKey: string, token: string, site: number, data: string): void {
    this.insert.run(idempotencyKey, token, site, data)
  }
}

/**
 * The least a queue can store and still claim and complete the way the issue asks: integers only, a
 * claim that takes the oldest runnable row of a site with nothing running and writes the lease in
 * one UPDATE ... RETURNING, and a completion only while the lease is held. The job's content lives
 * in a table of its own that the queue's writes never touch (the most a schema can do to keep queue
 * writes small); `job(seq)` reads it for an executor.
 */
export class ClaimCompleteFloor {
  private readonly insert: Database.Statement
  private readonly claimStatement: Database.Statement
  private readonly completeStatement: Database.Statement
  private readonly countStatement: Database.Statement
  private readonly insertContent: Database.Statement
  private readonly contentStatement: Database.Statement

  constructor(readonly db: Database.Database) {
    // status: 0 pending, 1 in progress, 2 completed.
    db.exec(`
      CREATE TABLE job_content (
        seq         INTEGER PRIMARY KEY,
        site_id     TEXT NOT NULL,
        description TEXT NOT NULL,
        script      TEXT NOT NULL
      );
      CREATE TABLE jobs (
        seq              INTEGER PRIMARY KEY,
        site             INTEGER NOT NULL,
        status           INTEGER NOT NULL,
        lease_owner      INTEGER,
        lease_expires_at INTEGER,
        attempts         INTEGER NOT NULL DEFAULT 0,
        started_at       INTEGER,
        completed_at     INTEGER
      );
      CREATE INDEX jobs_runnable ON jobs (seq) WHERE status = 0;
      CREATE INDEX jobs_running ON jobs (site) WHERE status = 1;`)
    this.insert = db.prepare('INSERT INTO jobs (site, status) VALUES (?, 0)')
    this.insertContent = db.prepare('INSERT INTO job_content (seq, site_id, description, script) VALUES (?, ?, ?, ?)')
    this.contentStatement = db.prepare('SELECT * FROM job_content WHERE seq = ?')
    this.claimStatement = db
      .prepare(`
        UPDATE jobs SET status = 1, lease_owner = @owner, lease_expires_at = @now + 30000,
                        attempts = attempts + 1, started_at = @now
         WHERE seq = (
           SELECT candidate.seq FROM jobs AS candidate INDEXED BY jobs_runnable
            WHERE candidate.status = 0
              AND NOT EXISTS (SELECT 1 FROM jobs AS busy WHERE busy.status = 1 AND busy.site = candidate.site)
            ORDER BY candidate.seq LIMIT 1)
        RETURNING seq`)
      .pluck()
    this.completeStatement = db.prepare(`
      UPDATE jobs SET status = 2, completed_at = @now, lease_owner = NULL, lease_expires_at = NULL
       WHERE seq = @seq AND status = 1 AND lease_owner = @owner`)
    this.countStatement = db.prepare('SELECT count(*) FROM jobs WHERE status = ?').pluck()
  }

  /** Fills the queue in one transaction (not measured). */
  fill(jobs: number, sites = 1): void {
    this.db.transaction(() => {
      for (let i = 0; i < jobs; i++) {
        const { lastInsertRowid } = this.insert.run(i % sites)
        this.insertContent.run(lastInsertRowid, `site-${i % sites}`, `bench job ${i}`, '/log info "bench"')
      }
    })()
  }

  /** What an executor needs of job `seq`. */
  job(seq: number): FloorJob {
    return this.contentStatement.get(seq) as FloorJob
  }

  /** The next runnable job's seq, now leased to `owner`; undefined when nothing is runnable. */
  claim(owner: number, nowMs: number): number | undefined {
    return this.claimStatement.get({ owner, now: nowMs }) as number | undefined
  }

  /** false when `owner` no longer holds the lease (the write is fenced out). */
  complete(seq: number, owner: number, nowMs: number): boolean {
    return this.completeStatement.run({ seq, owner, now: nowMs }).changes === 1
  }

  count(status: 0 | 1 | 2): number {
    return this.countStatement.get(status) as number
  }
}

export interface FloorJob {
  seq: number
  site_id: string
  description: string
  script: string
}

/** Jobs per second for `jobs` creates, each its own commit, with the benchmark's job text. */
export function measureEnqueueFloor(dir: string, jobs: number): number {
  const db = openFloorDatabase(join(dir, 'enqueue-floor.db'))
  const floor = new EnqueueFloor(db)
  const started = performance.now()
  for (let i = 0; i < jobs; i++) {
    const data = JSON.stringify({ description: `bench job ${i}`, script: '/log info "bench"' })
    floor.enqueue(randomUUID(), randomBytes(8).toString('base64url').slice(0, 10), 1, data)
  }
  const rate = jobs / ((performance.now() - started) / 1000)
  db.close()
  return rate
}

/**
 * Jobs per second claimed and completed one at a time, each claim and each completion its own
 * commit. With `execute`, each claimed job's content is read and handed to it (awaited), as a
 * queue must do for its executor; without it, the queue's writes alone.
 */
export async function measureClaimCompleteFloor(
  dir: string,
  jobs: number,
  execute?: (job: FloorJob) => Promise<unknown>,
): Promise<number> {
  const db = openFloorDatabase(join(dir, `claim-floor-${execute ? 'job' : 'bare'}.db`))
  const floor = new ClaimCompleteFloor(db)
  floor.fill(jobs)
  const owner = 1
  const started = performance.now()
  for (let seq = floor.claim(owner, Date.now()); seq !== undefined; seq = floor.claim(owner, Date.now())) {
    if (execute) await execute(floor.job(seq))
    floor.complete(seq, owner, Date.now())
  }
  const rate = jobs / ((performance.now() - started) / 1000)
  const completed = floor.count(2)
  db.close()
  if (completed !== jobs) throw new Error(`the claim floor completed ${completed} of ${jobs} jobs`)
  return rate
}

/**
 * Pages `work` writes to the WAL per job: with synchronous=NORMAL a commit costs mostly the pages it
 * writes (each a frame: every b-tree the row touches, and their splits), so this says where a gap
 * to the floor lies when the code above SQLite is already thin. Not timed.
 */
export function walFramesPerJob(db: Database.Database, jobs: number, work: () => void): number {
  const autocheckpoint = db.pragma('wal_autocheckpoint', { simple: true })
  db.pragma('wal_autocheckpoint = 0')
  db.pragma('wal_checkpoint(TRUNCATE)')
  work()
  const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>
  db.pragma(`wal_autocheckpoint = ${autocheckpoint}`)
  return log / jobs
}

/** WAL frames per job for the enqueue floor and the claim and complete floor (with the job read). */
export async function floorWalFrames(dir: string, jobs: number): Promise<{ enqueue: number; claimComplete: number }> {
  const enqueueDb = openFloorDatabase(join(dir, 'enqueue-frames.db'))
  const enqueueFloor = new EnqueueFloor(enqueueDb)
  const enqueue = walFramesPerJob(enqueueDb, jobs, () => {
    for (let i = 0; i < jobs; i++) {
      const data = JSON.stringify({ description: `bench job ${i}`, script: '/log info "bench"' })
      enqueueFloor.enqueue(randomUUID(), randomBytes(8).toString('base64url').slice(0, 10), 1, data)
    }
  })
  enqueueDb.close()
  const claimDb = openFloorDatabase(join(dir, 'claim-frames.db'))
  const claimFloor = new ClaimCompleteFloor(claimDb)
  claimFloor.fill(jobs)
  const claimComplete = walFramesPerJob(claimDb, jobs, () => {
    for (let seq = claimFloor.claim(1, Date.now()); seq !== undefined; seq = claimFloor.claim(1, Date.now())) {
      claimFloor.job(seq)
      claimFloor.complete(seq, 1, Date.now())
    }
  })
  claimDb.close()
  return { enqueue, claimComplete }
}
