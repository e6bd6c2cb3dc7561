// Options every command takes, and small parsing helpers that turn bad input into clear errors. No
// core here: `fieldjobs lab` parses with these and must not load SQLite (open-core.ts opens the core).
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { FieldjobsError } from '../core/errors'
import { CliHelpRequested, type CliCommand, CliUsageError, type CliIo } from './io'
import { didYouMean } from './did-you-mean'

const commonOptions = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options']

export function parseCommand<const O extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: O,
  usage: string,
  allowPositionals = false,
  /** What `--help` prints; the usage line when not given. */
  help = `usage: ${usage}\n`,
) {
  // Asked for help: answer it before any other flag is checked, and before anything is opened.
  if (args.includes('--help') || args.includes('-h')) throw new CliHelpRequested(help)
  return parseOrUsage(args, { ...commonOptions, ...options }, usage, allowPositionals)
}

/**
 * One subcommand's `--help`: its usage line, what it does, and one line per flag, so a flag's help
 * sits beside the flag's declaration. The global options close every help.
 */
export function subcommandHelp(usageLine: string, summary: string, flags: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...flags.map(([flag]) => flag.length), 20)
  const lines = flags.map(([flag, meaning]) => `  ${flag.padEnd(width)}  ${meaning}`)
  return (
    `usage: ${usageLine}\n\n${summary}\n` +
    (lines.length > 0 ? `\noptions:\n${lines.join('\n')}\n` : '') +
    `\nglobal options (before or after the command): --data-dir DIR (or FIELDJOBS_DATA_DIR), --json\n`
  )
}

/** Parses strictly; a flag mistake becomes a CliUsageError that ends with the usage line. */
export function parseOrUsage<const O extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: O,
  usage: string,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true })
  } catch (error) {
    // Node's hint ("To specify a positional argument ... use --") is about its own parser, not ours.
    const message = (error as Error).message.replace(/\. To specify.*$/s, '')
    const unknown = /^Unknown option '--([^'=]+)'/.exec(message)?.[1]
    const hint = unknown ? didYouMean(unknown, Object.keys(options), (name) => `--${name}`) : ''
    throw new CliUsageError(`${message}${hint}\nusage: ${usage}`)
  }
}

/** --json, --data-dir DIR or --data-dir=DIR: the options every command takes, wherever they are written. */
const isGlobalOption = (word: string | undefined) => word === '--json' || word === '--data-dir' || word?.startsWith('--data-dir=') === true

/**
 * Moves global options written before the command (`fieldjobs --data-dir D --json site list`, as in
 * git or kubectl) behind it, where every command's parser takes them. Only the leading run is moved:
 * after the command name, words belong to the command. dispatchSubcommand does the same between a
 * command and its action (`fieldjobs site --json list`, as kubectl takes `get -n NS pods`).
 */
export function hoistGlobalOptions(argv: readonly string[]): string[] {
  const leading: string[] = []
  let index = 0
  while (index < argv.length) {
    const word = argv[index] as string
    if (!isGlobalOption(word)) break
    if (word === '--data-dir') {
      const value = argv[index + 1]
      if (value === undefined || value.startsWith('-')) throw new CliUsageError('--data-dir needs a folder: --data-dir DIR')
      leading.push(word, value)
      index += 2
    } else {
      leading.push(word)
      index += 1
    }
  }
  return [...argv.slice(index), ...leading]
}

/** Runs `fieldjobs <command> <action> ...`: the action's command, or help, or a usage error. */
export function dispatchSubcommand(
  table: Readonly<Record<string, CliCommand>>,
  args: string[],
  io: CliIo,
  what: string,
  help: string,
): Promise<number> {
  const words = hoistGlobalOptions(args)
  // Only global options (`fieldjobs site --json`) is no action at all: the command's help, as for `fieldjobs site`.
  const [action, ...rest] = isGlobalOption(words[0]) ? [] : words
  if (action === undefined || action === 'help' || action === '--help' || action === '-h') throw new CliHelpRequested(help)
  // Own keys only: `fieldjobs job toString` is an unknown command, not Object.prototype.toString.
  if (!Object.hasOwn(table, action)) {
    throw new CliUsageError(`unknown ${what} command "${action}"${didYouMean(action, Object.keys(table))}\n${help}`)
  }
  return (table[action] as CliCommand)(rest, io)
}

/** Reads a secret from the environment variable the user named: secrets never travel in argv. */
export function secretFromEnv(variable: string | undefined, io: CliIo, what: string): string {
  if (!variable) throw new CliUsageError(`${what}: give --password-env VAR, the name of an environment variable holding it`)
  const value = io.env[variable]
  if (value === undefined) throw new CliUsageError(`${what}: the environment variable ${variable} is not set`)
  return value
}

export function integerOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) throw new CliUsageError(`--${name} must be a whole number, not "${value}"`)
  return Number(value)
}

/**
 * Says a core validation error in the command line's words: each field by the flag that sets it
 * (`--idempotency-key`, not `idempotency_key`), and a message that already names its field says it
 * once (`--description must be at least 3 characters`, not `description: description must...`).
 * `flags` maps a field path to its flag; other errors pass through unchanged.
 */
export function inFlagTerms(error: unknown, flags: Record<string, string>): unknown {
  if (!(error instanceof FieldjobsError) || error.code !== 'validation' || error.issues.length === 0) return error
  const said = error.issues.map(({ path, message }) => {
    const flag = flags[path]
    if (!flag) return path ? `${path}: ${message}` : message
    // The schema's messages call a field by its words (revert_after_s is "revert after") or by its
    // flag's (api_port is "port").
    const names = [path.replace(/_s$/, '').replaceAll('_', ' '), flag.replace(/^--/, '').replaceAll('-', ' ')]
    const words = names.find((name) => message.startsWith(`${name} `))
    return words ? `${flag}${message.slice(words.length)}` : `${flag}: ${message}`
  })
  return new FieldjobsError('validation', said.join('; '), error.issues)
}

/** Runs `action`, naming the flag to fix when the core refuses what the flags said. */
export function withFlagTerms<T>(flags: Record<string, string>, action: () => T): T {
  try {
    return action()
  } catch (error) {
    throw inFlagTerms(error, flags)
  }
}

export function printJson(io: CliIo, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`)
}

/** Reads `--script FILE` or `--script -` (standard input). */
export async function readScript(source: string | undefined, io: CliIo): Promise<string> {
  if (source === undefined) throw new CliUsageError('give --script FILE, or --script - to read it from standard input')
  if (source === '-') return io.readStdin()
  const { readFile } = await import('node:fs/promises')
  try {
    return await readFile(source, 'utf8')
  } catch (error) {
    throw new CliUsageError(`cannot read the script file ${source}: ${fileProblem(error as NodeJS.ErrnoException)}`)
  }
}

/** What went wrong with a file, in words rather than errno's code. */
function fileProblem(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'there is no such file (check the path, or give --script - to read standard input)'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'EISDIR':
      return 'that is a folder, not a file'
    default:
      return error.code ?? error.message
  }
}
