// Runs an OS keyring's command-line tool (secret-tool, security). The secret travels on standard
// input or standard output, never in argv: argv is visible to every user in `ps`.
import { spawnSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

export interface KeyringCommandResult {
  /** Exit status; null when the tool could not be started or was killed (timeout). */
  status: number | null
  stdout: string
  stderr: string
}

export type KeyringRunner = (args: string[], input?: string) => KeyringCommandResult

/** Why a keyring command failed, in words: no answer in time is most often a locked `keyring`. */
export function keyringFailureReason(result: KeyringCommandResult, tool: string, keyring: string): string {
  return result.status === null ? `${tool} did not answer (is the ${keyring} locked?)` : result.stderr.trim() || `exit ${result.status}`
}

/** The absolute path of `name` on the PATH of `env`, or undefined. Looked up here rather than by
 * spawn so the choice of store depends only on the environment it is given (tests pass their own). */
export function findExecutable(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const folder of (env.PATH ?? '').split(delimiter)) {
    if (!folder) continue
    const candidate = join(folder, name)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here; try the next folder
    }
  }
  return undefined
}

/**
 * A runner for one executable. The time limit matters: a locked keyring may wait for an unlock
 * prompt nobody sees (an SSH session), and a hung store must not hang Fieldjobs.
 */
export function keyringRunner(executable: string, env: NodeJS.ProcessEnv, timeoutMs = 10_000): KeyringRunner {
  return (args, input) => {
    const result = spawnSync(executable, args, { input: input ?? '', env, timeout: timeoutMs, encoding: 'utf8', windowsHide: true })
    return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' }
  }
}
