// The built CLI's start-up, as an engineer's script sees it: wall time of whole processes.
//   site_list_ms    `node bin/fieldjobs.js site list` on a data dir with a few sites (goal <= 120)
//   job_create_ms   `node bin/fieldjobs.js job create` to one of them (queued only: nothing runs it)
//   node_bare_ms    `node -e 0` in the same run, the floor no CLI gets under
//   ratio_to_node   site_list_ms / node_bare_ms
//   sqlite_floor_ms the least any SQLite-backed `site list` costs: node loads better-sqlite3, opens
//                   the same database and prints its sites, in a few lines of plain CommonJS
//   ratio_to_sqlite_floor  site_list_ms / sqlite_floor_ms
// Medians of 10, the three commands interleaved so a busy moment costs each the same. The CLI is
// built first (as `npm run build:cli` does), so the figures are for the sources as they are.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FieldjobsCore } from '../src-main/core/app/fieldjobs-core'
import { KeyFileSecretStore } from '../src-main/core/secrets/key-file-secret-store'
import { repoRoot } from '../test/support/repo-root'
import { median, round } from './stats'

const RUNS = 10
const SITES = 5

/** Wall time of one process, in ms; throws when it fails or falls back to tsx (then it measured tsx). */
function timed(args: string[], env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint()
  const result = spawnSync(process.execPath, args, { cwd: repoRoot, env, encoding: 'utf8' })
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (result.status !== 0 || result.stderr.includes('running the TypeScript through tsx')) {
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`)
  }
  return ms
}

export async function run(): Promise<Record<string, unknown>> {
  // @ts-expect-error a plain .mjs build script without types
  const { buildCli } = (await import('../build/cli-bundle.mjs')) as { buildCli(options: { root: string }): Promise<unknown> }
  await buildCli({ root: repoRoot })
  const dataDir = mkdtempSync(join(tmpdir(), 'fieldjobs-bench-cli-'))
  try {
    const core = FieldjobsCore.open({ dataDir, secrets: new KeyFileSecretStore(dataDir) })
    for (let i = 0; i < SITES; i++) core.addSite({ name: `branch-${i}`, host: `10.20.${i}.1`, username: 'admin', password: 'bench' })
    await core.close()
    const script = join(dataDir, 'change.rsc')
    writeFileSync(script, '/ip address add address=10.10.10.1/24 interface=ether2\n')
    // The key file, as CI and the tests use: a keyring probe would time D-Bus, not the CLI.
    const env = { ...process.env, FIELDJOBS_SECRET_STORE: 'keyfile', FIELDJOBS_DATA_DIR: dataDir }
    const bin = join(repoRoot, 'bin/fieldjobs.js')
    // What no CLI over this database can start under: no bundle, no core, no schemas, no checks.
    const floorScript =
      "const Database = require('better-sqlite3'); const db = new Database(process.argv[1]); db.pragma('journal_mode = WAL');" +
      " for (const site of db.prepare('SELECT * FROM sites ORDER BY name').all()) process.stdout.write(site.name + '\\n')"
    const floorArgs = ['-e', floorScript, join(dataDir, 'fieldjobs.db')]
    const bare: number[] = []
    const sqliteFloor: number[] = []
    const siteList: number[] = []
    const jobCreate: number[] = []
    for (let i = 0; i < RUNS; i++) {
      bare.push(timed(['-e', '0'], env))
      sqliteFloor.push(timed(floorArgs, env))
      siteList.push(timed([bin, 'site', 'list'], env))
      jobCreate.push(timed([bin, 'job', 'create', '--site', 'branch-1', '--description', `bench change ${i}`, '--script', script], env))
    }
    const nodeBare = median(bare)
    const siteListMs = median(siteList)
    return {
      site_list_ms: round(siteListMs, 1),
      job_create_ms: round(median(jobCreate), 1),
      node_bare_ms: round(nodeBare, 1),
      ratio_to_node: round(siteListMs / nodeBare),
      sqlite_floor_ms: round(median(sqliteFloor), 1),
      ratio_to_sqlite_floor: round(siteListMs / median(sqliteFloor)),
      goal_site_list_ms: 120,
      runs: RUNS,
      node: process.version,
      // Node reads this file's certificates at every start: it is part of node_bare_ms too.
      node_extra_ca_certs: process.env.NODE_EXTRA_CA_CERTS !== undefined,
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}
