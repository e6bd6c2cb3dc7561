// Fan-out: one script with a backup to 500 lab routers (full login, export, script run, clean-up,
// as the LAN executor does it), concurrency 64. Each router answers every command after its own
// fixed latency between 5 and 50 ms. The ideal wall time is the sum over routers of
// (round trips x that router's latency) / concurrency; the round trips are counted on the routers,
// not assumed.
//
// The routers run in a child process (bench/fanout-lab-child.ts): real routers are other
// machines, so their CPU must not be charged to the app. cpu_busy_share is reported per process.
// Each run gets a fresh data directory (SQLite, 500 backup files, the log) under the OS temp dir:
// the app's disk work is part of the measurement, so a disk busy with other work shows in the wall
// time. One warm-up run (JIT, the lab's first exports) is reported apart, not in the medians.
import { fork, type ChildProcess } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { isFinished } from '../src-main/contract/job-schema'
import { startRuntime } from '../src-main/core/app/runtime'
import type { LabChildMessage, LabChildRequest, LabChildRouter, LabChildStart } from './fanout-lab-child'
import { median, round } from './stats'
import { addLabSite } from '../test/lan/lab-site'
import { openTempCore, tempDataDir } from '../test/support/temp-core'

const ROUTERS = 500
const CONCURRENCY = 64
const RUNS = 5
/** Runs before the measured ones (JIT, the lab's first exports); reported apart, not in the medians. */
const WARMUP_RUNS = 1
const LATENCY_MS: [number, number] = [5, 50]
/** FANOUT_CPU_PROFILE=<dir>: one .cpuprofile per run of the app process, the measured window only. */
const PROFILE_DIR = process.env.FANOUT_CPU_PROFILE

export async function run(): Promise<Record<string, unknown>> {
  const lab = await startLabChild({ routers: ROUTERS, minLatencyMs: LATENCY_MS[0], maxLatencyMs: LATENCY_MS[1], seed: 1 })
  const latencies = lab.routers.map((router) => router.latencyMs)

  const walls: number[] = []
  const ideals: number[] = []
  const serials: number[] = []
  const loopP99s: number[] = []
  const roundTripsPerJob: number[] = []
  /** CPU seconds per wall second of each process: near 1 means that process is CPU-bound. */
  const appCpuShares: number[] = []
  const labCpuShares: number[] = []
  const labLoopP99s: number[] = []
  const warmupRatios: number[] = []
  const jobOverheadsMs: number[] = []
  const slotBusyShares: number[] = []
  try {
    for (let attempt = 0; attempt < WARMUP_RUNS + RUNS; attempt++) {
      const warmup = attempt < WARMUP_RUNS
      const { core, cleanup } = openTempCore({ dataDir: tempDataDir('fieldjobs-fanout-') })
      try {
        const sites = lab.routers.map((router) => addLabSite(core, router))
        const routerOfSite = new Map(sites.map((site, index) => [site.id, index]))
        const startedAt = new Array<number>(ROUTERS).fill(Number.NaN)
        const finishedAt = new Array<number>(ROUTERS).fill(Number.NaN)
        let finished = 0
        let failed = 0
        const allDone = new Promise<void>((resolve) =>
          core.events.subscribe((event) => {
            if (event.type !== 'job.changed' || event.from === event.job.status) return
            const index = routerOfSite.get(event.job.site_id)!
            if (event.job.status === 'in_progress') startedAt[index] = performance.now()
            if (isFinished(event.job.status)) {
              finishedAt[index] = performance.now()
              finished++
              if (event.job.status !== 'completed') failed++
              if (finished === ROUTERS) resolve()
            }
          }),
        )
        await lab.request({ type: 'reset' }, 'reset')
        const profiler = PROFILE_DIR === undefined ? undefined : await startProfiler()
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
        loop.disable()
        if (profiler) await profiler.stop(join(PROFILE_DIR!, warmup ? `fanout-warmup-${attempt + 1}.cpuprofile` : `fanout-run-${attempt - WARMUP_RUNS + 1}.cpuprofile`))
        const report = await lab.request({ type: 'report' }, 'report')
        await runtime.stop()
        if (failed > 0) throw new Error(`${failed} of ${jobs.length} jobs did not complete`)
        // Login is answered by the server itself, not the router: one more round trip per job.
        const roundTrips = report.commands.map((count) => count + 1)
        const serial = roundTrips.reduce((sum, trips, index) => sum + (trips * latencies[index]!) / 1000, 0)
        if (warmup) {
          warmupRatios.push(wall / (serial / CONCURRENCY))
          continue
        }
        // Where the time beyond the routers' latency goes: inside each job (client, SQLite, disk,
        // waiting for the event loop) or between jobs (a free slot not yet refilled).
        const jobSeconds = startedAt.map((start, index) => (finishedAt[index]! - start) / 1000)
        jobOverheadsMs.push(median(jobSeconds.map((seconds, index) => 1000 * seconds - roundTrips[index]! * latencies[index]!)))
        slotBusyShares.push(jobSeconds.reduce((sum, seconds) => sum + seconds, 0) / (wall * CONCURRENCY))
        walls.push(wall)
        serials.push(serial)
        ideals.push(serial / CONCURRENCY)
        loopP99s.push(loop.percentile(99) / 1e6)
        roundTripsPerJob.push(median(roundTrips))
        appCpuShares.push((cpu.user + cpu.system) / 1e6 / wall)
        labCpuShares.push(report.cpuSeconds / report.wallSeconds)
        labLoopP99s.push(report.eventLoopP99Ms)
      } finally {
        await cleanup()
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
    warmup_runs: WARMUP_RUNS,
    latency_ms: `${LATENCY_MS[0]}-${LATENCY_MS[1]} (fixed per router)`,
    routers_process: 'separate (bench/fanout-lab-child.ts)',
    round_trips_per_job: median(roundTripsPerJob),
    fanout_wall_s: round(wall, 3),
    fanout_ideal_s: round(ideal, 3),
    fanout_ratio: round(wall / ideal, 3),
    serial_estimate_s: round(median(serials), 2),
    event_loop_p99_ms: round(median(loopP99s), 2),
    cpu_busy_share: { app: round(median(appCpuShares), 2), lab: round(median(labCpuShares), 2) },
    lab_event_loop_p99_ms: round(median(labLoopP99s), 2),
    job_overhead_ms: round(median(jobOverheadsMs), 1),
    slot_busy_share: round(median(slotBusyShares), 3),
    walls_s: walls.map((value) => round(value, 3)),
    warmup_ratios: warmupRatios.map((value) => round(value, 3)),
    ratios: walls.map((value, index) => round(value / ideals[index]!, 3)),
    event_loop_p99s_ms: loopP99s.map((value) => round(value, 2)),
    goals: { fanout_ratio: '<= 1.5', event_loop_p99_ms: '<= 50' },
  }
}

async function startProfiler(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 500 })
  await session.post('Profiler.start')
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop')
      session.disconnect()
      mkdirSync(PROFILE_DIR!, { recursive: true })
      writeFileSync(file, JSON.stringify(profile))
    },
  }
}

interface LabChild {
  readonly routers: LabChildRouter[]
  request<T extends LabChildMessage['type']>(request: LabChildRequest, answer: T): Promise<Extract<LabChildMessage, { type: T }>>
  close(): Promise<void>
}

async function startLabChild(start: LabChildStart): Promise<LabChild> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./fanout-lab-child.ts', import.meta.url)), [JSON.stringify(start)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const next = <T extends LabChildMessage['type']>(answer: T) =>
    new Promise<Extract<LabChildMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (message: LabChildMessage) => {
        if (message.type !== answer && message.type !== 'error') return
        cleanup()
        if (message.type === 'error') reject(new Error(`lab child: ${message.message}`))
        else resolve(message as Extract<LabChildMessage, { type: T }>)
      }
      const onExit = (code: number | null) => {
        cleanup()
        reject(new Error(`lab child exited (code ${code}) before answering ${answer}`))
      }
      const cleanup = () => {
        child.off('message', onMessage)
        child.off('exit', onExit)
      }
      child.on('message', onMessage)
      child.once('exit', onExit)
    })
  let ready
  try {
    ready = await next('ready')
  } catch (error) {
    child.kill()
    throw error
  }
  return {
    routers: ready.routers,
    request(request, answer) {
      const answered = next(answer)
      child.send(request)
      return answered
    },
    async close() {
      if (child.connected) child.send({ type: 'close' } satisfies LabChildRequest)
      await exited
    },
  }
}
