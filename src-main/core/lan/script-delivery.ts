// Running a job's script on a router over the API. The API is not the CLI: raw script text needs a
// carrier. The choice, the same on RouterOS 6 and 7:
//
// - Acknowledged jobs: `/system/script/add` a temporary script, `/system/script/run` it (the call
//   returns when the script ends), then `/system/script/remove` it.
//   Why not v7's `/execute =as-string=`, which also returns `:put` output? Because it reports a
//   failure as output text (`syntax error (line 1 column 6)`) that a `:put` in the script could
//   print just as well, and it leaves no named job to stop. `run` fails with a `!trap` carrying the
//   CLI's located message (a typed failure, never guessed from text), works on v6 and v7 alike, and
//   the running script is a `/system/script/job` we can remove to cancel it. The price: `:put`
//   output is not returned by `run` (the job's output says so).
// - Jobs without acknowledgement: `/execute =script=` without `as-string` starts the script in the
//   background and answers at once with its job id (v6 and v7): delivered, result unknown. No
//   temporary entry is left behind, because nothing waits to remove it.
import { type JobError, jobError, linesThatRan } from '../../contract/job-schema'
import type { RouterClient } from '../routeros/router-client'
import { RouterConnectionError, RouterTrapError } from '../routeros/router-errors'
import { type CommandsBefore, EARLIER_LINES_WARNING, scriptFailure } from './script-failure'

export type DeliveryResult =
  | { kind: 'completed'; output: string }
  | { kind: 'failed'; error: JobError; output?: string }
  | { kind: 'canceled'; output?: string }

export interface DeliveryOptions {
  script: string
  /** The temporary /system/script entry's name, unique per job (e.g. `fieldjobs-<token>`). */
  name: string
  needsAcknowledgement: boolean
  /** Aborted to cancel: the script's job is removed on the router. */
  signal?: AbortSignal
  /** How long the script may run (default 10 minutes); then it is stopped and the job fails. */
  runTimeoutMs?: number
  progress?(message: string): void
  /** Tells menu-only lines from commands when the script fails (scriptFailure); without it, every earlier line may have run. */
  commandsBefore?: CommandsBefore
}

/**
 * The job's error for a script the router stopped. The port is asked only when the error would warn
 * that earlier lines may be in effect (a runtime failure after line 1), the one case it can change.
 */
async function failureOf(routerMessage: string, options: DeliveryOptions): Promise<JobError> {
  const failure = scriptFailure(routerMessage)
  if (!options.commandsBefore || failure.line === null || !linesThatRan(failure)) return failure
  const commands = await options.commandsBefore(options.script, failure.line).catch(() => undefined)
  return commands === 0 ? scriptFailure(routerMessage, 0) : failure
}

export const NO_PUT_OUTPUT_NOTE = 'the script ran to completion (RouterOS does not return :put output from /system/script/run)'

const DEFAULT_RUN_TIMEOUT_MS = 10 * 60_000

export async function deliverScript(client: RouterClient, options: DeliveryOptions): Promise<DeliveryResult> {
  const { signal } = options
  if (signal?.aborted) return { kind: 'canceled' }

  // The carrier (see the comment at the top) is the same on RouterOS 6 and 7: without
  // acknowledgement a background `/execute`, else add-run-remove below.
  if (!options.needsAcknowledgement) {
    try {
      const reply = await client.command('/execute', { script: options.script })
      const jobId = reply.done.ret ?? ''
      return {
        kind: 'completed',
        output: `delivered: the router started the script in the background${jobId ? ` (script job ${jobId})` : ''}; its result is not known because the job did not ask for acknowledgement`,
      }
    } catch (error) {
      return { kind: 'failed', error: afterSendError(error, 'the router did not take the script') }
    }
  }

  try {
    await client.command('/system/script/add', { name: options.name, source: options.script })
  } catch (error) {
    // A trap is the router saying no; a broken connection says nothing of the kind. Either way only
    // the add was sent, never the run: the script did not run.
    const context =
      error instanceof RouterTrapError
        ? 'the router refused the script'
        : `the connection broke while adding the script, so it was not run (a script named ${options.name} may be left on the router)`
    return { kind: 'failed', error: afterSendError(error, context) }
  }
  options.progress?.('script sent; running')
  try {
    return await runAdded(client, options)
  } finally {
    // Always clean up the temporary entry; a dead connection is the one case where we cannot.
    await client.command('/system/script/remove', { numbers: options.name }, { timeoutMs: 10_000 }).catch(() => {
      options.progress?.(`could not remove the temporary script ${options.name} from the router`)
    })
  }
}

async function runAdded(client: RouterClient, options: DeliveryOptions): Promise<DeliveryResult> {
  const { signal } = options
  let cancelRequested = false
  let stopping: Promise<void> | undefined
  const stop = () => {
    cancelRequested = true
    stopping ??= stopScriptJob(client, options.name)
  }
  if (signal?.aborted) {
    return { kind: 'canceled' }
  }
  signal?.addEventListener('abort', stop, { once: true })
  const runTimeoutMs = options.runTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS
  try {
    await client.command('/system/script/run', { number: options.name }, { timeoutMs: runTimeoutMs })
    // Finished before the cancel reached it: the real outcome wins.
    return { kind: 'completed', output: NO_PUT_OUTPUT_NOTE }
  } catch (error) {
    if (error instanceof RouterTrapError) {
      if (cancelRequested && (error.category === 2 || /interrupted/i.test(error.message))) {
        return { kind: 'canceled', output: 'canceled: the script was stopped on the router while it ran; lines before that point may be in effect' }
      }
      return { kind: 'failed', error: await failureOf(error.message, options) }
    }
    if (error instanceof RouterConnectionError && error.kind === 'timeout') {
      await stopScriptJob(client, options.name)
      return {
        kind: 'failed',
        error: jobError(`the script ran longer than ${Math.round(runTimeoutMs / 1000)} s and was stopped on the router; ${EARLIER_LINES_WARNING}`, 'timeout'),
      }
    }
    return { kind: 'failed', error: afterSendError(error, 'the connection ended while the script ran: its outcome is unknown') }
  } finally {
    signal?.removeEventListener('abort', stop)
    await stopping
  }
}

/** Removes the running `/system/script/job` of our script: RouterOS stops the script at once. */
async function stopScriptJob(client: RouterClient, name: string): Promise<void> {
  try {
    const jobs = await client.print('/system/script/job/print', {}, { queries: [`script=${name}`], timeoutMs: 10_000 })
    for (const job of jobs) {
      if (job['.id']) await client.command('/system/script/job/remove', { numbers: job['.id'] }, { timeoutMs: 10_000 })
    }
  } catch {
    // The run's own reply (or the closed connection) tells the outcome; nothing more to do here.
  }
}

/** An error once the script may have reached the router: never retried, the engineer must look. */
export function afterSendError(error: unknown, context: string): JobError {
  if (error instanceof RouterTrapError) return jobError(`${context}: ${error.message}`, 'router')
  if (error instanceof RouterConnectionError) return jobError(`${context}: ${error.message}`, error.kind === 'timeout' ? 'timeout' : 'connection')
  return jobError(`${context}: ${(error as Error).message}`, 'internal')
}
