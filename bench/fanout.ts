// Fan-out: one script with a backup to 500 lab routers from this process (full login, export, script
// run, clean-up, as the LAN executor does it), concurrency 64. Each router answers every command
// after its own fixed latency between 5 and 50 ms (the lab's latency knob). The ideal wall time is
// the sum over routers of (round trips x that router's latency) / concurrency; the round trips are
// counted on the routers, not assumed.
import { rmSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { FieldjobsCore } from '../src-main/core/app/fieldjobs-core'
import { startRuntime } from '../src-main/core/app/runtime'
import { MemorySecretStore } from '../src-main/core/secrets/secret-store'
import { startLab } from '../src-main/lab/lab'
import type { ApiCommand, CommandContext } from '../src-main/lab/router/contract'
import { median, round } from './stats'
import { tempDataDir } from '../test/support/temp-core'

const ROUTERS = 500
const CONCURRENCY = 64
const RUNS = 3

export async function run(): Promise<Record<string, unknown>> {
  const lab = await startLab({ routers: ROUTERS, seed: 1 })
  // A fixed latency per router, spread evenly over 5..50 ms.
  const latencies = lab.routers.map((_, index) => 5 + Math.round((45 * index) / (ROUTERS - 1)))
  lab.routers.forEach((router, index) => (router.server.faults.latencyMs = latencies[index]!))
  // Count the API commands each router receives (login is answered by the server itself: +1).
  const commands = new Array<number>(ROUTERS).fill(0)
  lab.routers.forEach((router, index) => {
    const original = router.router.run.bind(router.router)
    router.router.run = (command: ApiCommand, ctx: CommandContext) => {
      commands[index]!++
      return original(command, ctx)
    }
  })

  const walls: number[] = []
  const ideals: number[] = []
  const serials: number[] = []
  const loopP99s: number[] = []
  const roundTripsPerJob: number[] = []
  /** CPU seconds per wall second of this process (routers, client, SQLite): near 1 means CPU-bound. */
  const cpuShares: number[] = []
  try {
    for (let attempt = 0; attempt < RUNS; attempt++) {
      commands.fill(0)
      const dataDir = tempDataDir('fieldjobs-fanout-')
      const core = FieldjobsCore.open({ dataDir, secrets: new MemorySecretStore() })
      try {
        const sites = lab.routers.map((router) =>
          core.addSite({ name: router.name, host: router.host, api_port: router.port, username: router.user, password: router.password }),
        )
        let finished = 0
        let failed = 0
        const allDone = new Promise<void>((resolve) =>
          core.events.subscribe((event) => {
            if (event.type !== 'job.changed' || event.from === event.job.status) return
            if (['completed', 'failed', 'canceled', 'unknown'].includes(event.job.status)) {
              finished++
              if (event.job.status !== 'completed') failed++
              if (finished === ROUTERS) resolve()
            }
          }),
        )
        const loop = monitorEventLoopDelay({ resolution: 10 })
        loop.enable()
        const cpuBefore = process.cpuUsage()
        const started = performance.now()
        const runtime = startRuntime(core, { concurrency: CONCURRENCY, probeIntervalS: 0 })
        const { jobs } = runtime.batches.create({
          site_ids: sites.map((site) => site.id),
          description: 'fan-out benchmark',
          script: '/system identity set name=fanned-out\n/ip firewall filter add chain=input action=accept comment=fanout\n',
          should_backup: true,
        })
        await allDone
        const wall = (performance.now() - started) / 1000
        const cpu = process.cpuUsage(cpuBefore)
        cpuShares.push((cpu.user + cpu.system) / 1e6 / wall)
        loop.disable()
        await runtime.stop()
        if (failed > 0) throw new Error(`${failed} of ${jobs.length} jobs did not complete`)
        const roundTrips = commands.map((count) => count + 1)
        const serial = roundTrips.reduce((sum, trips, index) => sum + (trips * latencies[index]!) / 1000, 0)
        walls.push(wall)
        serials.push(serial)
        ideals.push(serial / CONCURRENCY)
        loopP99s.push(loop.percentile(99) / 1e6)
        roundTripsPerJob.push(median(roundTrips))
      } finally {
        await core.close()
        rmSync(dataDir, { recursive: true, force: true })
      }
    }
  } finally {
    await lab.close()
  }
  const wall = median(walls)
  const ideal = median(ideals)
  return {
    routers: ROUTERS,
    concurrency: CONCURRENCY,
    runs: RUNS,
    latency_ms: '5-50 (fixed per router)',
    round_trips_per_job: median(roundTripsPerJob),
    fanout_wall_s: round(wall, 3),
    fanout_ideal_s: round(ideal, 3),
    fanout_ratio: round(wall / ideal, 3),
    serial_estimate_s: round(median(serials), 2),
    event_loop_p99_ms: round(median(loopP99s), 2),
    cpu_busy_share: round(median(cpuShares), 2),
    walls_s: walls.map((value) => round(value, 3)),
    goals: { fanout_ratio: '<= 1.5', event_loop_p99_ms: '<= 50' },
  }
}
