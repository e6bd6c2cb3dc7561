// The `fieldjobs` command: dispatches to a command module, maps errors to exit codes.
// Commands load lazily, so `fieldjobs job list` never loads the lab, the UI server or the cloud client.
import { FieldjobsError } from '../core/errors'
import { didYouMean } from './did-you-mean'
import { CliHelpRequested, CliUsageError, type CliCommand, type CliIo } from './io'
import { hoistGlobalOptions } from './options'
import packageJson from '../../package.json' with { type: 'json' }

const commands: Record<string, () => Promise<CliCommand>> = {
  site: async () => (await import('./commands/site')).siteCommand,
  job: async () => (await import('./commands/job')).jobCommand,
  run: async () => (await import('./commands/run')).runCommand,
  exec: async () => (await import('./commands/exec')).execCommand,
  lab: async () => (await import('./commands/lab')).labCommand,
  sync: async () => (await import('./commands/sync')).syncCommand,
  serve: async () => (await import('./commands/serve')).serveCommand,
  db: async () => (await import('./commands/db')).dbCommand,
  settings: async () => (await import('./commands/settings')).settingsCommand,
  backup: async () => (await import('./commands/backup')).backupCommand,
  discover: async () => (await import('./commands/discover')).discoverCommand,
  batch: async () => (await import('./commands/batch')).batchCommand,
  completion: async () => (await import('./commands/completion')).completionCommand,
}

const usage = `usage: fieldjobs <command> [options]

commands:
  site add|edit|list|var|remove|check|trust
                               the routers you work on
  job create|list|show|cancel  queue RouterOS scripts and follow them
  run [--once]                 run queued jobs (LAN) and sync cloud jobs
  exec                         run one script on a router now, without the queue
  sync [--once]                push jobs to the SDX cloud and poll their state
  lab                          start simulated RouterOS routers on 127.0.0.1
  serve [--port P]             serve the Fieldjobs window to a browser on 127.0.0.1
  db copy FILE                 a consistent copy of the database, taken while it is in use
  settings get|set             the settings (concurrency, probe interval, default revert, cloud)
  backup run|list|diff         configuration history: export routers now, list, diff two backups
  discover [--timeout S]       find MikroTik routers on the LAN (MNDP)
  batch create|list|show|cancel  one script (or template) to many sites: --sites, --tag or --all
  completion bash|zsh|fish     print a shell completion script (commands, flags, site names)

every command takes --data-dir DIR (or FIELDJOBS_DATA_DIR) and --json, before or after the command
fieldjobs help COMMAND [ACTION] prints a command's help (the same as COMMAND [ACTION] --help)
fieldjobs --version prints the version
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
  let hoisted: string[]
  try {
    hoisted = hoistGlobalOptions(argv)
  } catch (error) {
    io.err(`fieldjobs: ${(error as Error).message}\n`)
    return 2
  }
  // `fieldjobs help site add` is `fieldjobs site add --help`, as `git help commit` is `git commit --help`.
  if (hoisted[0] === 'help' && hoisted.length > 1 && !hoisted[1]!.startsWith('-')) hoisted = [...hoisted.slice(1), '--help']
  const [name, ...args] = hoisted
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(`fieldjobs ${packageJson.version}\n`)
    return 0
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage)
    return name ? 0 : 2
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined
  if (!load) {
    io.err(`fieldjobs: unknown command "${name}"${didYouMean(name, Object.keys(commands))}\n${usage}`)
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
    const exitCode = exitCodeFor(error)
    // A script that asked for --json reads errors as JSON too, from stderr, where they always go.
    if (args.includes('--json')) io.err(`${JSON.stringify({ error: errorJson(error, message, exitCode) })}\n`)
    else io.err(`fieldjobs ${name}: ${message}\n`)
    return exitCode
  }
}

/**
 * An error as `--json` prints it: the message, a category to branch on (the core's error code, `usage`
 * for a mistake in the command line, the router's failure kind, or `internal`), the exit code, and
 * for bad input each field's issue.
 */
function errorJson(error: unknown, message: string, exitCode: number) {
  const category =
    error instanceof CliUsageError
      ? 'usage'
      : error instanceof FieldjobsError
        ? error.code
        : typeof (error as { kind?: unknown })?.kind === 'string'
          ? (error as { kind: string }).kind
          : error instanceof Error && error.name === 'RouterTrapError'
            ? 'router'
            : 'internal'
  const issues = error instanceof FieldjobsError && error.issues.length > 0 ? { issues: error.issues } : {}
  return { message, category, exit_code: exitCode, ...issues }
}
