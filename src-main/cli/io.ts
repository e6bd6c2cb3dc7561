// What a CLI command may touch of the outside world, passed in so commands are tested in-process.
export interface CliIo {
  /** Writes to standard output; the caller adds no newline. */
  out(text: string): void
  /** Writes to standard error; the caller adds no newline. */
  err(text: string): void
  readonly env: NodeJS.ProcessEnv
  /** Reads all of standard input (for `--script -`). */
  readStdin(): Promise<string>
  /** Aborted on SIGINT/SIGTERM, so long-running commands (`run`, `lab`, `serve`) stop cleanly. */
  readonly signal: AbortSignal
  /**
   * Aborted on a second SIGINT/SIGTERM: stop waiting for running work (`run` then leaves its running
   * jobs to be reconciled as unknown). Absent where nothing can send a second signal.
   */
  readonly abandon?: AbortSignal
}

/** A usage or input error: printed to stderr as-is, exit code 2. */
export class CliUsageError extends Error {
  override name = 'CliUsageError'
}

/** `--help` (or `-h`, or `help` for a command with subcommands): the text goes to stdout, exit code 0. */
export class CliHelpRequested extends Error {
  override name = 'CliHelpRequested'
  constructor(readonly text: string) {
    super('help requested')
  }
}

/** A command: parses its own arguments (node:util parseArgs) and returns the exit code. */
export type CliCommand = (args: string[], io: CliIo) => Promise<number>
