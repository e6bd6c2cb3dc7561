// A lab: N simulated routers, each behind its own API wire server on 127.0.0.1. Used by end-to-end
// tests, benchmarks (hundreds of routers in one process) and `fieldjobs lab` (a demo for users).
import { randomBytes } from 'node:crypto'
import type { FaultKnobs } from './faults'
import type { LoginStyle } from './login'
import type { SimulatedRouter } from './router/contract'
import { createSimulatedRouter } from './router/index'
import type { LabTimers } from './router/time'
import { DEFAULT_LAB_VERSION } from './routeros-version'
import { startRouterServer, type RouterServer } from './server'

export interface LabRouterOptions {
  identity: string
  version: string
  users?: Array<{ name: string; password: string; group?: 'full' | 'read' | 'noapi' }>
  seed?: number
  now?: () => number
  timers?: LabTimers
}

/** Builds one simulated router; the default is the lab's simulator (router/index.ts). */
export type LabRouterFactory<R extends SimulatedRouter = SimulatedRouter> = (options: LabRouterOptions) => R

export interface LabOptions<R extends SimulatedRouter = ReturnType<typeof createSimulatedRouter>> {
  routers: number
  /** Router i (from 0) listens on basePort + i; default: any free port per router. */
  basePort?: number
  /** Default 127.0.0.1. */
  host?: string
  latencyMs?: number | [number, number]
  /** RouterOS version every router reports; default 7.18.2. */
  version?: string
  tls?: boolean | 'anonymous-dh'
  loginStyle?: LoginStyle
  /** Default `admin`. */
  user?: string
  /** Default `lab-<8 hex>`, one per lab, printed by `fieldjobs lab`. */
  password?: string
  /** Router i gets seed + i, so a lab is reproducible. */
  seed?: number
  /** Further fault knobs for every router (each router's server.faults can change later). */
  faults?: Partial<FaultKnobs>
  createRouter?: LabRouterFactory<R>
  /**
   * The routers' clock and timers (scheduler, `:delay`); default the real ones. Tests of the
   * lockout auto-revert pass a VirtualTime (virtual-time.ts) so a 60 s revert window takes no time.
   */
  now?: () => number
  timers?: LabTimers
  /** Announce the routers on MNDP to 127.0.0.1:mndpPort and answer refreshes (lab/mndp). */
  mndpPort?: number
}

export interface LabRouter<R extends SimulatedRouter = ReturnType<typeof createSimulatedRouter>> {
  /** The router's identity: lab-router-1..N. */
  readonly name: string
  readonly host: string
  readonly port: number
  readonly tls: boolean | 'anonymous-dh'
  readonly user: string
  readonly password: string
  readonly version: string
  readonly router: R
  readonly server: RouterServer
}

export interface Lab<R extends SimulatedRouter = ReturnType<typeof createSimulatedRouter>> {
  readonly routers: Array<LabRouter<R>>
  close(): Promise<void>
}

export const DEFAULT_LAB_USER = 'admin'

export function labPassword(): string {
  return `lab-${randomBytes(4).toString('hex')}`
}

export async function startLab<R extends SimulatedRouter = ReturnType<typeof createSimulatedRouter>>(
  options: LabOptions<R>,
): Promise<Lab<R>> {
  const count = options.routers
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`routers must be a whole number >= 1, not ${count}`)
  if (options.basePort !== undefined && (!Number.isInteger(options.basePort) || options.basePort < 1 || options.basePort + count - 1 > 65535)) {
    throw new RangeError(`base port ${options.basePort} cannot hold ${count} routers (ports end at 65535)`)
  }
  const createRouter = (options.createRouter ?? (createSimulatedRouter as unknown as LabRouterFactory<R>)) as LabRouterFactory<R>
  const version = options.version ?? DEFAULT_LAB_VERSION
  const user = options.user ?? DEFAULT_LAB_USER
  const password = options.password ?? labPassword()
  const host = options.host ?? '127.0.0.1'
  const tls = options.tls ?? false

  const started = await Promise.allSettled(
    Array.from({ length: count }, async (_, index): Promise<LabRouter<R>> => {
      const name = `lab-router-${index + 1}`
      const router = createRouter({
        identity: name,
        version,
        users: [{ name: user, password, group: 'full' }],
        // Distinct seeds by default too: each router needs its own MAC for MNDP discovery.
        seed: (options.seed ?? 1) + index,
        ...(options.now ? { now: options.now } : {}),
        ...(options.timers ? { timers: options.timers } : {}),
      })
      const server = await startRouterServer(router, {
        host,
        port: options.basePort === undefined ? 0 : options.basePort + index,
        tls,
        loginStyle: options.loginStyle,
        faults: { ...options.faults, ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }) },
      })
      wireLockouts(router, server)
      return { name, host, port: server.port, tls, user, password, version: router.version, router, server }
    }),
  )
  const routers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
  const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected')
  const close = async () => {
    await Promise.all(routers.map((router) => router.server.close()))
  }
  if (failure) {
    // One port taken means no lab: close the routers that did start, then report the first failure.
    await close()
    throw failure.reason
  }
  if (options.mndpPort !== undefined) {
    const { startLabMndp } = await import('./mndp/lab-announcer')
    const mndp = await startLabMndp(routers as unknown as Parameters<typeof startLabMndp>[0], { announcePort: options.mndpPort }).catch(async (error: unknown) => {
      await close()
      throw error
    })
    return { routers, close: async () => { await mndp.close(); await close() } }
  }
  return { routers, close }
}

/**
 * A change that cuts API access (service disabled or moved, management address gone, a firewall
 * rule on the API port) drops every connection and refuses new ones, as a locked-out router does.
 * A reboot or configuration reset (the lockout auto-revert restores through one) drops the
 * connections and accepts again. Simplification: the simulator reports losses only, so a lockout
 * that survives a reboot is not modelled; access comes back with every reboot.
 */
function wireLockouts(router: SimulatedRouter, server: RouterServer): void {
  // Both or neither (a factory's own model may lack them): a lockout nothing ends would be worse.
  if (!router.onAccessChange || !router.onReboot) return
  // A server is one of the two services: disabling api-ssl leaves a plain API session alone.
  const served = server.tls === false ? 'api' : 'api-ssl'
  router.onAccessChange((change) => {
    if (change.service !== undefined && change.service !== served) return
    server.dropAllConnections()
    void server.setAcceptingConnections(false)
  })
  router.onReboot(() => {
    server.dropAllConnections()
    // Re-listening fails only if something else took the port meanwhile: the router then stays
    // unreachable, which is what a client would see anyway.
    server.setAcceptingConnections(true).catch(() => {})
  })
}
