// `fieldjobs db copy FILE`: a consistent copy taken while another connection keeps writing jobs,
// the way the CLI copies beside a running app.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { addSite, openTempCore, type TempCore, validJob } from '../support/temp-core'
import { cli } from '../support/cli-harness'

let temp: TempCore
afterEach(async () => {
  await temp.cleanup()
})

describe('fieldjobs db copy', () => {
  it('copies a database that another connection writes to meanwhile: whole jobs only, check ok', async () => {
    temp = openTempCore()
    const site = addSite(temp.core)
    for (let i = 0; i < 2_000; i++) temp.core.jobs.create(validJob(site.id, { description: `before the copy ${i}` }))
    // The "app": keeps creating jobs on its own connection until the copy is done.
    let writing = true
    let written = 0
    const writer = (async () => {
      while (writing) {
        temp.core.jobs.create(validJob(site.id, { description: `during the copy ${written++}` }))
        await new Promise((resolve) => setImmediate(resolve))
      }
    })()
    const file = join(temp.dataDir, 'copy.db')
    const copied = await cli(['db', 'copy', file, '--data-dir', temp.dataDir, '--json'])
    writing = false
    await writer
    expect(copied.code, copied.stderr).toBe(0)
    const report = copied.json<{ jobs: number; check: string }>()
    expect(report.check).toBe('ok')

    const copy = new Database(file, { readonly: true })
    const rows = copy.prepare('SELECT seq, id, description, script, token FROM jobs ORDER BY seq').all() as Array<Record<string, string>>
    copy.close()
    // The writer really wrote while the copy ran, so the copy had something to be consistent about.
    expect(written).toBeGreaterThan(0)
    expect(rows.length).toBe(report.jobs)
    expect(rows.length).toBeGreaterThanOrEqual(2_000)
    expect(rows.length).toBeLessThanOrEqual(2_000 + written)
    // Every copied job is exactly as stored, and the copy is a prefix of history: no gaps, no halves.
    const live = temp.core.jobStore
    for (const row of rows) expect(live.get(row.id)).toMatchObject({ description: row.description, script: row.script, token: row.token })
    const seqs = rows.map((row) => Number(row.seq))
    expect(seqs.at(-1)! - seqs[0]! + 1).toBe(seqs.length)
  })

  it('never overwrites a file, and says what to check when there is no database', async () => {
    temp = openTempCore()
    const taken = join(temp.dataDir, 'taken.db')
    writeFileSync(taken, 'keep me')
    const refused = await cli(['db', 'copy', taken, '--data-dir', temp.dataDir])
    expect(refused.code).toBe(4)
    expect(refused.stderr).toContain('already exists: copy to a new file, so nothing is overwritten')
    expect(readFileSync(taken, 'utf8')).toBe('keep me')

    const empty = join(temp.dataDir, 'nothing-here')
    const missing = await cli(['db', 'copy', join(temp.dataDir, 'x.db'), '--data-dir', empty])
    expect(missing.code).toBe(3)
    expect(missing.stderr).toContain(`there is no database at ${join(empty, 'fieldjobs.db')}: check --data-dir`)
    expect(existsSync(join(temp.dataDir, 'x.db'))).toBe(false)
  })
})
