// `fieldjobs lab`: start simulated RouterOS routers on 127.0.0.1 and keep them running until
// interrupted, so users can try Fieldjobs (or any API client) without real hardware.
import { CliUsageError, type CliCommand } from '../io'
import { integerOption, parseOrUsage } from '../options'
import { untilInterrupted } from '../until-interrupted'

const usage = 'fieldjobs lab [--routers N] [--base-port P] [--latency-ms MS|MIN-MAX] [--version 7.18.2] [--tls] [--mndp-port P] [--json]'

const MAX_ROUTERS = 2000

export interface LabCommandOptions {
  routers: number
  basePort: number | undefined
  latencyMs: number | [number, number] | undefined
  version: string | undefined
  tls: boolean
  mndpPort: number | undefined
  json: boolean
}

/** Parses the flags; every mistake is a CliUsageError naming the flag. Exported for tests. */
export function parseLabArgs(args: string[]): LabCommandOptions | 'help' {
  const { values } = parseOrUsage(
    args,
    {
      routers: { type: 'string', default: '1' },
      'base-port': { type: 'string' },
      'latency-ms': { type: 'string' },
      version: { type: 'string' },
      tls: { type: 'boolean', default: false },
      'mndp-port': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    usage,
  )
  if (values.help) return 'help'
  const routers = integerOption(values.routers, 'routers')!
  if (routers < 1 || routers > MAX_ROUTERS) throw new CliUsageError(`--routers must be between 1 and ${MAX_ROUTERS}, not ${routers}`)
  const basePort = integerOption(values['base-port'], 'base-port')
  if (basePort !== undefined && (basePort < 1 || basePort + routers - 1 > 65535)) {
    throw new CliUsageError(`--base-port ${basePort} cannot hold ${routers} routers: ports end at 65535`)
  }
  const version = values.version
  if (version !== undefined && !/^\d+\.\d+(\.\d+)?((beta|rc)\d+)?$/.test(version)) {
    throw new CliUsageError(`--version must look like 7.18.2 or 6.49, not "${version}"`)
  }
  return {
    routers,
    basePort,
    latencyMs: values['latency-ms'] === undefined ? undefined : parseLatency(values['latency-ms']),
    version,
    tls: values.tls,
    mndpPort: mndpPortOption(values['mndp-port']),
    json: values.json,
  }
}

/** The port `fieldjobs discover --port P` listens on; the lab also takes P+1 for refreshes. */
function mndpPortOption(text: string | undefined): number | undefined {
  const port = integerOption(text, 'mndp-port')
  if (port !== undefined && (port < 1 || port > 65534)) throw new CliUsageError(`--mndp-port must be between 1 and 65534 (P+1 takes refreshes), not ${port}`)
  return port
}

/** `20` (fixed) or `5-50` (a random delay in that range per reply). */
export function parseLatency(text: string): number | [number, number] {
  const range = /^(\d+)-(\d+)$/.exec(text)
  if (range) {
    const [min, max] = [Number(range[1]), Number(range[2])]
    if (min > max) throw new CliUsageError(`--latency-ms ${text}: the minimum is above the maximum`)
    return [min, max]
  }
  if (/^\d+$/.test(text)) return Number(text)
  throw new CliUsageError(`--latency-ms must be milliseconds like 20 or a range like 5-50, not "${text}"`)
}

export const labCommand: CliCommand = async (args, io) => {
  const options = parseLabArgs(args)
  if (options === 'help') {
    io.out(`${usage}\n`)
    return 0
  }
  // Loaded here so that `--help` and flag errors never start the simulator.
  const { startLab } = await import('../../lab/lab')
  const lab = await startLab({
    routers: options.routers,
    basePort: options.basePort,
    latencyMs: options.latencyMs,
    version: options.version,
    tls: options.tls,
    mndpPort: options.mndpPort,
  })
  try {
    const listing = lab.routers.map((router) => ({
      name: router.name,
      host: router.host,
      port: router.port,
      tls: router.tls !== false,
      user: router.user,
      password: router.password,
      version: router.version,
    }))
    if (options.json) io.out(`${JSON.stringify(listing, null, 2)}\n`)
    else {
      for (const router of listing) {
        io.out(
          `${router.name}  ${router.host}:${router.port}${router.tls ? ' (api-ssl)' : ''}  user ${router.user}  ` +
            `password ${router.password}  RouterOS ${router.version}\n`,
        )
      }
      io.err('lab running; press Ctrl+C to stop\n')
    }
    await untilInterrupted(io.signal)
    return 0
  } finally {
    await lab.close()
  }
}
