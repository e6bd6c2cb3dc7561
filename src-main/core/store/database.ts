// Opens the one SQLite connection Fieldjobs writes through.
import { existsSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import { FieldjobsError } from '../errors'
import { migrate } from './migrate'

/**
 * better-sqlite3's Database class. Loaded with require, not import: the package is CommonJS, and an
 * ES module importing it makes Node scan its files for exports at every start (measured on the
 * built CLI: `site list` 173 -> 166 ms, medians of 15).
 */
const requireHere = createRequire(import.meta.url)
export const Sqlite = requireHere('better-sqlite3') as typeof BetterSqlite3

/**
 * The compiled addon where npm's install (and the packaging step's rebuild) puts it. Named to
 * better-sqlite3, it loads that file instead of asking the `bindings` package to search a dozen
 * paths for it (about 3 ms of every CLI start); where it is not, the search runs as before.
 */
const addonPath = (() => {
  try {
    const file = join(dirname(requireHere.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node')
    return existsSync(file) ? file : undefined
  } catch {
    return undefined
  }
})()

export type Db = BetterSqlite3.Database

/**
 * Opens (creating when absent) and migrates the database at `file`.
 *
 * Durability: WAL with synchronous=NORMAL. A crash of the app or of the process loses nothing that
 * was committed; a power cut may lose the last transactions, never corrupt the file. For a job
 * queue that is the right trade: FULL costs about 20x on every write, and a job whose creation was
 * lost to a power cut is visibly absent, not half-present. Nothing here needs FULL.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  let db: Db
  try {
    db = new Sqlite(file, { timeout: 5000, ...(addonPath ? { nativeBinding: addonPath } : {}) })
  } catch (error) {
    throw new FieldjobsError('database', `cannot open the database ${file}: ${(error as Error).message}`)
  }
  try {
    // Reading the schema is the first thing that fails on a file that is not a database: fail here,
    // with the path, before any pragma could write to it.
    db.prepare('SELECT count(*) FROM sqlite_schema').get()
    // Each commit writes every page it touched to the WAL; a job insert touches one page per index.
    // 1 KB pages write a quarter of the bytes of the 4 KB default for the same rows (measured: +30%
    // inserts per second). Takes effect only for a new file; existing databases keep theirs.
    db.pragma('page_size = 1024')
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    // Keep the WAL from growing without bound while the app runs for days, but checkpoint seldom:
    // each checkpoint syncs the WAL and the database file, and at the default 1,000 pages (1 MB with
    // our 1 KB pages) that sync, not the writes, was half the cost of enqueueing (measured: 1.8x
    // faster creates at 10,000). 10 MB of WAL is a bounded, modest price.
    db.pragma('wal_autocheckpoint = 10000')
    // 100,000 jobs with their indexes are a few tens of MB: keep the hot pages cached (32 MB at
    // most) and read the rest through a memory map instead of a syscall per page.
    db.pragma('cache_size = -32000')
    db.pragma('mmap_size = 268435456')
    migrate(db)
  } catch (error) {
    db.close()
    if (error instanceof FieldjobsError) throw error
    const reason = (error as Error).message
    if (/not a database|malformed|corrupt/i.test(reason)) {
      throw new FieldjobsError(
        'database',
        `the database ${file} is damaged (${reason}). It was left untouched: move it aside to start afresh, ` +
          'or restore a copy.',
      )
    }
    throw new FieldjobsError('database', `cannot open the database ${file}: ${reason}`)
  }
  return db
}

/** Writes a consistent copy of a live database (SQLite's online backup), e.g. for a support bundle. */
export async function copyDatabase(db: Db, destination: string): Promise<void> {
  // All pages in one step, from one read snapshot. In small steps, a write by another connection
  // (the running app, while the CLI copies) restarts the backup, and a busy queue could keep it
  // restarting; a WAL reader does not hold writers up, so one step costs them nothing.
  await db.backup(destination, { progress: () => 0x7fffffff })
}
