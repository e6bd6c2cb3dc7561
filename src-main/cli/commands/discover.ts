// `fieldjobs discover`: find MikroTik routers on the LAN by MNDP, mark those already sites.
import { CliUsageError, type CliCommand } from '../io'
import { withCore } from '../open-core'
import { integerOption, parseCommand, printJson } from '../options'
import { counted } from '../../contract/counted'

const usage = 'fieldjobs discover [--timeout S] [--port P] [--data-dir DIR] [--json]'

export const discoverCommand: CliCommand = async (args, io) => {
  const { values } = parseCommand(args, { timeout: { type: 'string', default: '3' }, port: { type: 'string' } }, usage)
  const timeout = integerOption(values.timeout, 'timeout')!
  if (timeout < 1 || timeout > 600) throw new CliUsageError(`--timeout must be 1..600 seconds, not ${timeout}`)
  const port = integerOption(values.port, 'port')
  if (port !== undefined && (port < 1 || port > 65534)) throw new CliUsageError(`--port must be between 1 and 65534, not ${port}`)
  const { discoverRouters } = await import('../../core/discovery/discover-routers')
  return withCore(values['data-dir'], io, async (core) => {
    const scan = await discoverRouters({ dataDir: core.dataDir, sites: () => core.siteStore.list() }, { port, timeoutMs: timeout * 1000, signal: io.signal })
    // The CLI's keys are the issue's: the announced fields and known_site (api_port is the window's).
    const routers = scan.routers.map(({ api_port: _apiPort, ...router }) => router)
    if (values.json) printJson(io, routers)
    else if (routers.length === 0) io.out('no routers answered\n')
    else {
      const rows = [['MAC', 'IDENTITY', 'IPV4', 'VERSION', 'BOARD', 'SITE'], ...routers.map((r) => [r.mac ?? '', r.identity ?? '', r.ipv4 ?? '', r.version ?? '', r.board ?? '', r.known_site ?? '-'])]
      const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
      for (const row of rows) io.out(`${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()}\n`)
    }
    if (scan.skipped > 0) io.err(`skipped ${counted(scan.skipped, 'packet')} (not MNDP announcements)\n`)
    return 0
  })
}
