// The backup store keeps every export: two in one second get the next free second, and a site
// folder removed by hand while the app runs is made again rather than failing the next backup.
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { addSite, openTempCore, type TempCore } from '../support/temp-core'

let temp: TempCore
beforeEach(() => {
  temp = openTempCore()
})
afterEach(() => temp.cleanup())

describe('backup store', () => {
  it('never overwrites: backups in the same second take the next free second', async () => {
    const site = addSite(temp.core)
    const at = Date.UTC(2026, 10, 22, 10, 0, 0)
    const paths = await Promise.all(['/a', '/b', '/c'].map((text) => temp.core.backups.save(site.id, text, at)))
    const seconds = at / 1000
    expect(paths.sort()).toEqual([`${site.id}/${seconds}.rsc`, `${site.id}/${seconds + 1}.rsc`, `${site.id}/${seconds + 2}.rsc`])
    expect(paths.map((path) => temp.core.backups.read(path).text).sort()).toEqual(['/a', '/b', '/c'])
  })

  it('lists backups newest first, and those of one second (a batch across sites) by number, newest first', async () => {
    const at = Date.UTC(2026, 10, 22, 10, 0, 0)
    // Site ids are random, so their paths sort in no particular order; enough sites that path order
    // and number order differ whatever ids they drew.
    const sites = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => addSite(temp.core, name))
    for (const site of sites) await temp.core.backups.save(site.id, `/${site.name}`, at)
    await temp.core.backups.save(sites[0]!.id, '/a later', at + 60_000)
    const listed = temp.core.backups.list()
    expect(listed.map((backup) => backup.id)).toEqual([7, 6, 5, 4, 3, 2, 1])
    expect(temp.core.backups.list(undefined, { changedOnly: true }).map((backup) => backup.id)).toEqual([7, 6, 5, 4, 3, 2, 1])
  })

  it('makes the site folder again when it was removed by hand', async () => {
    const site = addSite(temp.core)
    await temp.core.backups.save(site.id, '/first', Date.UTC(2026, 10, 22))
    rmSync(join(temp.dataDir, 'backups', site.id), { recursive: true })
    const path = await temp.core.backups.save(site.id, '/second', Date.UTC(2026, 10, 23))
    expect(readFileSync(temp.core.backups.file(path), 'utf8')).toBe('/second')
    expect(temp.core.backups.read(path)).toMatchObject({ intact: true })
  })
})
