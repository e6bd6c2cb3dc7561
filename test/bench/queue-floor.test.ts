// The queue benchmark's floors are only evidence if they do what the issue requires of a queue:
// unique keys and tokens, oldest first, one job per site, completion fenced by the lease.
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import {
  ClaimCompleteFloor,
  EnqueueFloor,
  floorWalFrames,
  measureClaimCompleteFloor,
  measureEnqueueFloor,
  openFloorDatabase,
  walFramesPerJob,
} from '../../bench/queue-floor'
import { useTempDirs } from '../support/temp-dirs'

const tempDir = useTempDirs()
const open: Database.Database[] = []
const memory = () => {
  const db = new Database(':memory:')
  open.push(db)
  return db
}
afterEach(() => {
  for (const db of open.splice(0)) db.close()
})

describe('the enqueue floor', () => {
  it('refuses a second job with a stored idempotency key or token', () => {
    const floor = new EnqueueFloor(memory())
    floor.enqueue('key-1', 'token00001', 1, '{}')
    expect(() => floor.enqueue('key-1', 'token00002', 1, '{}')).toThrow(/UNIQUE.*idempotency_key/)
    expect(() => floor.enqueue('key-2', 'token00001', 1, '{}')).toThrow(/UNIQUE.*token/)
    floor.enqueue('key-2', 'token00002', 2, '{}')
    expect(floor.db.prepare('SELECT count(*) FROM jobs').pluck().get()).toBe(2)
  })

  it('measures every job it reports, each committed', () => {
    const dir = tempDir()
    expect(measureEnqueueFloor(dir, 300)).toBeGreaterThan(0)
    const db = new Database(`${dir}/enqueue-floor.db`, { readonly: true })
    open.push(db)
    expect(db.prepare('SELECT count(DISTINCT idempotency_key) FROM jobs').pluck().get()).toBe(300)
  })
})

describe('the claim and complete floor', () => {
  it('claims oldest first, one job per site, and takes a site again once its job completes', () => {
    const floor = new ClaimCompleteFloor(memory())
    floor.fill(4, 2) // seq 1 and 3 on site 0, seq 2 and 4 on site 1
    expect(floor.claim(7, 1000)).toBe(1)
    expect(floor.claim(7, 1000)).toBe(2)
    expect(floor.claim(7, 1000)).toBeUndefined()
    expect(floor.complete(1, 7, 1001)).toBe(true)
    expect(floor.claim(7, 1002)).toBe(3)
    expect(floor.count(1)).toBe(2)
  })

  it('completes only while the lease is held', () => {
    const floor = new ClaimCompleteFloor(memory())
    floor.fill(1)
    const seq = floor.claim(7, 1000) as number
    expect(floor.complete(seq, 8, 1001)).toBe(false)
    expect(floor.complete(seq, 7, 1001)).toBe(true)
    expect(floor.complete(seq, 7, 1002)).toBe(false)
    expect(floor.count(2)).toBe(1)
  })

  it('hands the executor each claimed job, in order, while it holds the lease', () => {
    const floor = new ClaimCompleteFloor(memory())
    floor.fill(2, 2)
    const seq = floor.claim(7, 1000) as number
    expect(floor.job(seq)).toEqual({ seq, site_id: 'site-0', description: 'bench job 0', script: '/log info "bench"' })
    expect(floor.job(floor.claim(7, 1000) as number).description).toBe('bench job 1')
  })

  it('measures a full drain, with and without an executor', async () => {
    expect(await measureClaimCompleteFloor(tempDir(), 300)).toBeGreaterThan(0)
    const executed: string[] = []
    expect(await measureClaimCompleteFloor(tempDir(), 300, async (job) => executed.push(job.description))).toBeGreaterThan(0)
    expect(executed).toHaveLength(300)
    expect(new Set(executed).size).toBe(300)
  })
})

describe('the WAL frame count', () => {
  it('counts the pages each job writes: at least one per b-tree a committed insert touches', () => {
    const db = openFloorDatabase(`${tempDir()}/frames.db`)
    open.push(db)
    const floor = new EnqueueFloor(db)
    // The table and its four indexes: five b-trees, each at least one page per commit.
    const frames = walFramesPerJob(db, 200, () => {
      for (let i = 0; i < 200; i++) floor.enqueue(`key-${i}`, `token${String(i).padStart(5, '0')}`, 1, '{}')
    })
    expect(frames).toBeGreaterThanOrEqual(5)
    // Nothing written, nothing counted; and the connection's checkpointing is as it was.
    expect(walFramesPerJob(db, 1, () => {})).toBe(0)
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10000)
  })

  it("counts the floors' frames per job", async () => {
    const frames = await floorWalFrames(tempDir(), 200)
    expect(frames.enqueue).toBeGreaterThanOrEqual(5)
    // A claim and a completion, two commits, each writing at least the row's page and an index page.
    expect(frames.claimComplete).toBeGreaterThanOrEqual(4)
  })
})
