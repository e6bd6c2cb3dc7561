// `npm run bench -- discover`: how long a discovery takes to list 100 lab routers (goal <= 2 s):
// from the MNDP refresh sent to the 100th distinct router decoded, through the same scan the CLI
// and the window run (scanMndp; the CLI then keeps listening for its --timeout). Median of 3.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { discoverRouters } from '../src-main/core/discovery/discover-routers'
import { startLab } from '../src-main/lab/lab'
import { freePort } from '../test/support/free-port'
import { median, round } from './stats'

const ROUTERS = 100

export async function run(): Promise<Record<string, unknown>> {
  const mndpPort = await freePort()
  const lab = await startLab({ routers: ROUTERS, mndpPort })
  const dataDir = mkdtempSync(join(tmpdir(), 'fieldjobs-bench-discover-'))
  try {
    const runs: number[] = []
    for (let round_ = 0; round_ < 3; round_++) {
      const started = performance.now()
      const scan = await discoverRouters({ dataDir, sites: () => [] }, { port: mndpPort, timeoutMs: 10_000, expectRouters: ROUTERS })
      const seconds = (performance.now() - started) / 1000
      if (scan.routers.length !== ROUTERS) throw new Error(`discovery saw ${scan.routers.length} of ${ROUTERS} lab routers`)
      runs.push(seconds)
    }
    return { routers: ROUTERS, discover_s: round(median(runs), 3), runs_s: runs.map((value) => round(value, 3)), goal_s: 2 }
  } finally {
    await lab.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
