// `fieldjobs exec --output`: what a script prints (`:put`, `print`), which the jobs' carrier
// (`/system/script/run`, script-delivery.ts) does not return. RouterOS 7's `/execute =as-string=`
// returns it, but says a failure as more output text, not as a `!trap`. So the script is sent
// with one line more at its end, a `:put` of a random marker: the run reached its end exactly
// when the output ends with the marker. Without it, the router stopped the script, and the last
// line of the output is the router's reason ("no such item (line 2 column 1)"), read as a job's
// error is. The marker comes after the script, so every line number the router gives is the
// script's own. RouterOS 6 has no `as-string`: that is said, and nothing runs.
import { randomBytes } from 'node:crypto'
import { jobError } from '../../contract/job-schema'
import type { RouterClient } from '../routeros/router-client'
import { isUnknownParameter, RouterConnectionError, RouterTrapError } from '../routeros/router-errors'
import { type DeliveryResult, afterSendError } from './script-delivery'
import { EARLIER_LINES_WARNING, isLocated, scriptFailure } from './script-failure'

export interface OutputRunOptions {
  script: string
  /** Aborted to cancel: the command is canceled on the router (`/cancel`), which stops the script. */
  signal?: AbortSignal
  /** How long the script may run; then it is canceled and the run fails. */
  timeoutMs: number
}

export const NEEDS_AS_STRING =
  '--output needs RouterOS 7: this router does not know /execute as-string (RouterOS 6), so nothing ran; run it without --output'

export async function runForOutput(client: RouterClient, options: OutputRunOptions): Promise<DeliveryResult> {
  if (options.signal?.aborted) return { kind: 'canceled' }
  const marker = `fieldjobs-end-${randomBytes(8).toString('hex')}`
  const script = options.script.replace(/\s+$/, '')
  const source = `${script}\n:put "${marker}"\n`
  let text: string
  try {
    const reply = await client.command('/execute', { script: source, 'as-string': '' }, { timeoutMs: options.timeoutMs, signal: options.signal })
    text = (reply.done.ret ?? '').replace(/\r\n/g, '\n')
  } catch (error) {
    if (isUnknownParameter(error)) return { kind: 'failed', error: jobError(NEEDS_AS_STRING, 'router') }
    // Should the router say a failure as a `!trap` after all: one with a line is the script's.
    if (error instanceof RouterTrapError && isLocated(error.message)) return { kind: 'failed', output: '', error: scriptFailure(error.message) }
    if (error instanceof RouterConnectionError && error.kind === 'aborted') {
      return { kind: 'canceled', output: `canceled: the router was told to stop the script; ${EARLIER_LINES_WARNING}` }
    }
    if (error instanceof RouterConnectionError && error.kind === 'timeout') {
      return {
        kind: 'failed',
        error: jobError(`the script ran longer than ${Math.round(options.timeoutMs / 1000)} s and was canceled on the router; ${EARLIER_LINES_WARNING}`, 'timeout'),
      }
    }
    return { kind: 'failed', error: afterSendError(error, 'the router did not run the script') }
  }
  const end = text.lastIndexOf(marker)
  if (end !== -1 && text.slice(end + marker.length).trim() === '') return { kind: 'completed', output: text.slice(0, end) }
  const lines = text.replace(/\n+$/, '').split('\n')
  const reason = lines.pop() ?? ''
  const error = scriptFailure(reason || 'the router stopped the script without a reason')
  // A block left open is found where the source ends, which is the marker's line or past it.
  const scriptLines = script.split('\n').length
  const located = error.line !== null && error.line > scriptLines ? { ...error, line: scriptLines, column: null } : error
  return { kind: 'failed', output: lines.length > 0 ? `${lines.join('\n')}\n` : '', error: located }
}
