// Configuration history through the CLI against lab routers: `backup run` records each router's
// export, an unchanged configuration (only the export's date line differs) points at the earlier
// file instead of storing it again, a changed one is flagged, `backup list` and `backup diff` show it.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Backup } from '../../src-main/contract/ipc-contract'
import { startLab, type Lab } from '../../src-main/lab/lab'
import { cli } from '../support/cli-harness'
import { useTempDirs } from '../support/temp-dirs'

const tempDir = useTempDirs()
let lab: Lab | undefined
afterEach(async () => {
  await lab?.close()
  lab = undefined
})

interface RunRow {
  site: string
  backup: Backup | null
  error: string | null
}

describe('fieldjobs backup', () => {
  it('run records changed and unchanged backups, list filters them, diff shows the change', async () => {
    // The routers' clock moves an hour between exports, so each export's date line differs.
    let routerNow = Date.parse('2026-12-01T08:00:00Z')
    lab = await startLab({ routers: 2, now: () => routerNow })
    const dataDir = tempDir()
    const common = ['--data-dir', dataDir]
    const env = { LAB_PASSWORD: lab.routers[0]!.password }
    for (const [index, router] of lab.routers.entries()) {
      const added = await cli(
        ['site', 'add', '--name', `site${index + 1}`, '--host', router.host, '--port', String(router.port), '--user', router.user, '--password-env', 'LAB_PASSWORD', ...common],
        { env },
      )
      expect(added.code, added.stderr).toBe(0)
    }

    const first = await cli(['backup', 'run', '--sites', 'site1,site2', '--json', ...common])
    expect(first.code, first.stderr).toBe(0)
    const firstRows = first.json<RunRow[]>()
    expect(firstRows.map((row) => [row.site, row.backup?.changed])).toEqual([['site1', true], ['site2', true]])
    expect(firstRows[0]!.backup!.config_sha256).toMatch(/^[0-9a-f]{64}$/)

    routerNow += 3_600_000
    const second = await cli(['backup', 'run', '--all', ...common])
    expect(second.code, second.stderr).toBe(0)
    const unchangedId = Number(/^site1\tunchanged\t(\d+)\t\S+\tsame as \S+\n/m.exec(second.stdout)?.[1])
    expect(second.stdout).toMatch(/^site2\tunchanged\t\d+\t/m)
    const site1Id = firstRows[0]!.backup!.site_id
    // Not stored twice: still one file in the site's folder.
    expect(readdirSync(join(dataDir, 'backups', site1Id))).toHaveLength(1)

    const changedScript = await cli(['job', 'create', '--site', 'site1', '--description', 'add an address', '--script', '-', ...common], {
      stdin: '/ip address add address=10.10.10.1/24 interface=ether2\n',
    })
    expect(changedScript.code, changedScript.stderr).toBe(0)
    expect((await cli(['run', '--once', ...common])).code).toBe(0)

    routerNow += 3_600_000
    const third = await cli(['backup', 'run', '--all', '--json', ...common])
    const thirdRows = third.json<RunRow[]>()
    expect(thirdRows.map((row) => [row.site, row.backup?.changed])).toEqual([['site1', true], ['site2', false]])
    expect(readdirSync(join(dataDir, 'backups', site1Id))).toHaveLength(2)

    const all = (await cli(['backup', 'list', '--site', 'site1', '--json', ...common])).json<Backup[]>()
    const [firstId, changedId] = [firstRows[0]!.backup!.id, thirdRows[0]!.backup!.id]
    expect(all.map((backup) => [backup.id, backup.changed])).toEqual([[changedId, true], [unchangedId, false], [firstId, true]])
    const changedOnly = (await cli(['backup', 'list', '--site', 'site1', '--changed', '--json', ...common])).json<Backup[]>()
    expect(changedOnly.map((backup) => backup.id)).toEqual([changedId, firstId])
    const listed = await cli(['backup', 'list', '--site', 'site1', ...common])
    expect(listed.stdout.split('\n')[0]).toBe('ID\tSITE\tCREATED\tCHANGE\tJOB\tPATH')
    expect(listed.stdout).toContain(`\n${unchangedId}\tsite1\t`)

    // The unchanged backup reads as the configuration it points at; the diff from it to the change.
    const diff = await cli(['backup', 'diff', String(unchangedId), String(changedId), ...common])
    expect(diff.code, diff.stderr).toBe(0)
    expect(diff.stdout).toContain('+add address=10.10.10.1/24 interface=ether2')
    // Each side names its backup by the number `backup diff` takes and when it was taken, after the path.
    const side = (id: number | null) => all.find((backup) => backup.id === id)!
    expect(diff.stdout.split('\n').slice(1, 3)).toEqual([
      `--- ${side(unchangedId).path}\tbackup ${unchangedId}, taken ${side(unchangedId).created_at}`,
      `+++ ${side(changedId).path}\tbackup ${changedId}, taken ${side(changedId).created_at}`,
    ])
    expect(diff.stdout).not.toMatch(/^[-+]# .* by RouterOS/m)
    const none = await cli(['backup', 'diff', String(firstId), String(unchangedId), ...common])
    expect(none.stdout).not.toMatch(/^[-+][^-+]/m)
    // One backup alone: against its site's backup before it (site2's, taken between, is not site1's).
    const alone = await cli(['backup', 'diff', String(changedId), ...common])
    expect(alone.code, alone.stderr).toBe(0)
    expect(alone.stdout).toBe(diff.stdout)
    expect((await cli(['backup', 'diff', String(unchangedId), ...common])).stdout).toBe(none.stdout)
    const firstAlone = await cli(['backup', 'diff', String(firstId), ...common])
    expect(firstAlone.code).toBe(3)
    expect(firstAlone.stderr).toContain(`backup ${firstId} is its site's first: there is nothing before it to compare; give two backups (backup diff A B)`)
    const three = await cli(['backup', 'diff', '1', '2', '3', ...common])
    expect(three.code).toBe(2)
    expect(three.stderr).toContain('backup diff takes one backup (against the one before it) or two')

    const bad = await cli(['backup', 'run', '--sites', 'site1,nowhere', ...common])
    expect(bad.code).toBe(3)
    expect(bad.stderr).toContain('no site named "nowhere"')
    const neither = await cli(['backup', 'run', ...common])
    expect(neither.code).toBe(2)
    expect(neither.stderr).toContain('exactly one of --sites A,B, --tag T or --all')
    const missing = await cli(['backup', 'diff', '1', '99', ...common])
    expect(missing.code).toBe(3)
  })
})
