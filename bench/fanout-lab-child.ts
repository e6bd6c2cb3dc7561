// The fan-out benchmark's routers, in a process of their own: real routers are other machines, so
// their CPU must not count against the app being measured. Started by bench/fanout.ts with
// `fork(this file, { execArgv: ['--import', 'tsx'] })`; speaks the messages below over IPC.
//
// Each router gets a fixed latency (spread evenly over the requested range) and counts the API
// commands it runs, so the parent computes the ideal wall time from round trips the routers saw.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { startLab } from '../src-main/lab/lab'
import type { ApiCommand, CommandContext } from '../src-main/lab/router/contract'

export interface LabChildStart {
  routers: number
  /** Router i answers after minLatencyMs + (maxLatencyMs - minLatencyMs) * i / (routers - 1), rounded. */
  minLatencyMs: number
  maxLatencyMs: number
  seed: number
}

export interface LabChildRouter {
  name: string
  host: string
  port: number
  user: string
  password: string
  latencyMs: number
}

/** Parent -> child. */
export type LabChildRequest = { type: 'reset' } | { type: 'report' } | { type: 'close' }

/** Child -> parent. */
export type LabChildMessage =
  | { type: 'ready'; routers: LabChildRouter[] }
  | { type: 'reset' }
  /** API commands per router since the last reset (login is answered by the server: not counted). */
  | { type: 'report'; commands: number[]; cpuSeconds: number; wallSeconds: number; eventLoopP99Ms: number }
  | { type: 'error'; message: string }

function send(message: LabChildMessage): void {
  process.send?.(message)
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('fanout-lab-child runs under fork() from bench/fanout.ts, with an IPC channel')
  const start = JSON.parse(process.argv[2] ?? '') as LabChildStart
  const lab = await startLab({ routers: start.routers, seed: start.seed })
  const span = start.maxLatencyMs - start.minLatencyMs
  const latencies = lab.routers.map((_, index) =>
    start.minLatencyMs + (start.routers > 1 ? Math.round((span * index) / (start.routers - 1)) : 0),
  )
  lab.routers.forEach((router, index) => (router.server.faults.latencyMs = latencies[index]!))
  const commands = new Array<number>(lab.routers.length).fill(0)
  lab.routers.forEach((router, index) => {
    const original = router.router.run.bind(router.router)
    router.router.run = (command: ApiCommand, ctx: CommandContext) => {
      commands[index]!++
      return original(command, ctx)
    }
  })

  let closing: Promise<void> | undefined
  const close = () => (closing ??= lab.close())
  let cpuBefore = process.cpuUsage()
  let wallBefore = performance.now()
  // A late reply is the lab's fault, not the app's: the parent reports this next to the app's own.
  const loop = monitorEventLoopDelay({ resolution: 10 })
  process.on('message', (request: LabChildRequest) => {
    if (request.type === 'reset') {
      commands.fill(0)
      cpuBefore = process.cpuUsage()
      wallBefore = performance.now()
      loop.reset()
      loop.enable()
      send({ type: 'reset' })
    } else if (request.type === 'report') {
      const cpu = process.cpuUsage(cpuBefore)
      loop.disable()
      send({
        type: 'report',
        commands: [...commands],
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        wallSeconds: (performance.now() - wallBefore) / 1000,
        eventLoopP99Ms: loop.percentile(99) / 1e6,
      })
    } else if (request.type === 'close') {
      void close().finally(() => process.disconnect())
    }
  })
  // A parent that dies without saying close must not leave 500 listeners behind.
  process.on('disconnect', () => void close().finally(() => process.exit(0)))
  send({
    type: 'ready',
    routers: lab.routers.map((router, index) => ({
      name: router.name,
      host: router.host,
      port: router.port,
      user: router.user,
      password: router.password,
      latencyMs: latencies[index]!,
    })),
  })
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) })
  process.exitCode = 1
})
