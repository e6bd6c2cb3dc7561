// Runs the `fieldjobs` CLI in-process with a fake CliIo, capturing what it prints.
import type { CliIo } from '../../src-main/cli/io'
import { runCli } from '../../src-main/cli/main'

export interface CliRun {
  code: number
  stdout: string
  stderr: string
  json<T = unknown>(): T
}

export interface CliOptions {
  env?: Record<string, string>
  stdin?: string
}

/** A command still running, as in a second terminal (`lab`, `serve`, `run`). */
export interface RunningCli<T> {
  /** The exit code, once the command returns. */
  exited: Promise<number>
  /** Ctrl-C: aborts the command's signal. */
  stop(): void
  output(): { stdout: string; stderr: string }
  /** What `until` first found in stdout; rejects if the command exits before that. */
  printed: Promise<T>
}

/**
 * Starts `fieldjobs argv` without waiting for it to end. `until` is asked after each write to
 * stdout and returns what the test waits for (or undefined while it is not printed yet); by
 * default, the first output.
 */
export function startCli<T = string>(
  argv: string[],
  options: CliOptions & { until?: (stdout: string) => T | undefined } = {},
): RunningCli<T> {
  const until = options.until ?? ((stdout: string) => (stdout === '' ? undefined : (stdout as T)))
  const controller = new AbortController()
  let stdout = ''
  let stderr = ''
  let found: (value: T) => void = () => {}
  let missing: (error: Error) => void = () => {}
  const printed = new Promise<T>((resolve, reject) => {
    found = resolve
    missing = reject
  })
  // Only tests that wait for output await it: the others must not see an unhandled rejection.
  printed.catch(() => {})
  const io: CliIo = {
    out(text) {
      stdout += text
      const value = until(stdout)
      if (value !== undefined) found(value)
    },
    err: (text) => void (stderr += text),
    env: { ...options.env },
    readStdin: async () => options.stdin ?? '',
    signal: controller.signal,
  }
  const exited = runCli(argv, io)
  void exited.then(
    (code) => missing(new Error(`fieldjobs ${argv.join(' ')} exited ${code} before printing what was awaited: ${stderr}`)),
    (error: Error) => missing(error),
  )
  return { exited, stop: () => controller.abort(), output: () => ({ stdout, stderr }), printed }
}

/** Runs `fieldjobs argv` to its end. */
export async function cli(argv: string[], options: CliOptions = {}): Promise<CliRun> {
  const running = startCli(argv, options)
  const code = await running.exited
  const { stdout, stderr } = running.output()
  return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T }
}
