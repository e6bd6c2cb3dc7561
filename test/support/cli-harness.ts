// Runs the `fieldjobs` CLI in-process with a fake CliIo, capturing what it prints.
import type { CliIo } from '../../src-main/cli/io'
import { runCli } from '../../src-main/cli/main'

export interface CliRun {
  code: number
  stdout: string
  stderr: string
  json<T = unknown>(): T
}

export async function cli(
  argv: string[],
  options: { env?: Record<string, string>; stdin?: string; signal?: AbortSignal } = {},
): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    out: (text) => void (stdout += text),
    err: (text) => void (stderr += text),
    env: { ...options.env },
    readStdin: async () => options.stdin ?? '',
    signal: options.signal ?? new AbortController().signal,
  }
  const code = await runCli(argv, io)
  return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T }
}
