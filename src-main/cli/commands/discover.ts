// `fieldjobs discover`: find MikroTik routers on the LAN by MNDP, mark those already sites.
import { CliUsageError, type CliCommand } from '../io'
import { withCore } from '../open-core'
import { integerOption, parseCommand, printJson } from '../options'

const usage = 'fieldjobs discover [--timeout S] [--port P] [--data-dir DIR] [--json]'

export const discoverCommand: CliCommand = async (args, io) => {
  const { values } = parseCommand(args, { timeout: { type: 'string', default: '3' }, port: { type: 'string' } }, usage)
  const timeout = integerOption(values.timeout, 'timeout')!
  if (timeout < 1 || timeout > 600) throw new CliUsageError(`--timeout must be 1..600 seconds, not ${timeout}`)
  const port = integerOption(values.port, 'port')
  if (port !== undefined && (port < 1 || port > 65534)) throw new CliUsageError(`--port must be between 1 and 65534, not ${port}`)
  const { scanMndp } = await import('../../core/discovery/mndp-scan')
  const { saveLastDiscovery, knownSiteOf } = await import('../../core/discovery/last-discovery')
  const scan = await scanMndp({ port, timeoutMs: timeout * 1000, signal: io.signal })
  return withCore(values['data-dir'], io, (core) => {
    saveLastDiscovery(core.dataDir, scan.routers)
    const sites = core.siteStore.list()
    const routers = scan.routers.map((router) => ({
      mac: router.mac,
      identity: router.identity,
      version: router.version,
      platform: router.platform,
      uptime: router.uptime,
      software_id: router.software_id,
      board: router.board,
      interface_name: router.interface_name,
      ipv4: router.ipv4,
      ipv6: router.ipv6,
      unknown_tlvs: router.unknown_tlvs,
      known_site: knownSiteOf(router, sites),
    }))
    if (values.json) printJson(io, routers)
    else if (routers.length === 0) io.out('no routers answered\n')
    else {
      const rows = [['MAC', 'IDENTITY', 'IPV4', 'VERSION', 'BOARD', 'SITE'], ...routers.map((r) => [r.mac ?? '', r.identity ?? '', r.ipv4 ?? '', r.version ?? '', r.board ?? '', r.known_site ?? '-'])]
      const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
      for (const row of rows) io.out(`${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()}\n`)
    }
    if (scan.skipped > 0) io.err(`skipped ${scan.skipped} packet(s) that were not MNDP announcements\n`)
    return 0
  })
}
