// The `fieldjobs` command: dispatches to a command module, maps errors to exit codes.
// Commands load lazily, so `fieldjobs job list` never loads the lab, the UI server or the cloud client.
import { FieldjobsError } from '../core/errors'
import { CliHelpRequested, CliUsageError, type CliCommand, type CliIo } from './io'

const commands: Record<string, () => Promise<CliCommand>> = {
  site: async () => (await import('./commands/site')).siteCommand,
  job: async () => (await import('./commands/job')).jobCommand,
  run: async () => (await import('./commands/run')).runCommand,
  exec: async () => (await import('./commands/exec')).execCommand,
  lab: async () => (await import('./commands/lab')).labCommand,
  sync: async () => (await import('./commands/sync')).syncCommand,
  serve: async () => (await import('./commands/serve')).serveCommand,
  db: async () => (await import('./commands/db')).dbCommand,
  discover: async () => (await import('./commands/discover')).discoverCommand,
}

const usage = `usage: fieldjobs <command> [options]

commands:
  site add|list|remove|check|trust
                               the routers you work on
  job create|list|show|cancel  queue RouterOS scripts and follow them
  run [--once]                 run queued jobs (LAN) and sync cloud jobs
  exec                         run one script on a router now, without the queue
  sync [--once]                push jobs to the SDX cloud and poll their state
  lab                          start simulated RouterOS routers on 127.0.0.1
  serve [--port P]             serve the Fieldjobs window to a browser on 127.0.0.1
  db copy FILE                 a consistent copy of the database, taken while it is in use
  discover [--timeout S]       find MikroTik routers on the LAN (MNDP)

every command takes --data-dir DIR (or FIELDJOBS_DATA_DIR) and --json
`

/** Exit codes: 0 ok, 1 an operation failed, 2 bad usage or input, 3 not found, 4 refused by state. */
function exitCodeFor(error: unknown): number {
  if (error instanceof CliUsageError) return 2
  if (error instanceof FieldjobsError) {
    if (error.code === 'validation' || error.code === 'idempotency_mismatch') return 2
    if (error.code === 'not_found') return 3
    if (error.code === 'invalid_state' || error.code === 'conflict') return 4
  }
  return 1
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage)
    return name ? 0 : 2
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined
  if (!load) {
    io.err(`fieldjobs: unknown command "${name}"\n${usage}`)
    return 2
  }
  try {
    const command = await load()
    return await command(args, io)
  } catch (error) {
    if (error instanceof CliHelpRequested) {
      io.out(error.text)
      return 0
    }
    const message = error instanceof Error ? error.message : String(error)
    io.err(`fieldjobs ${name}: ${message}\n`)
    return exitCodeFor(error)
  }
}
