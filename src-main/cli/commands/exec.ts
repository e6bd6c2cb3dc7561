// `fieldjobs exec`: runs one script on one router now, without the queue or a site, and prints the
// result. For a quick check from a terminal, and for scripts that drive Fieldjobs.
import { randomBytes } from 'node:crypto'
import { CodePage } from '../../contract/site-schema'
import { outcomeBeforeScript } from '../../core/lan/lan-executor'
import { deliverScript, type DeliveryResult, NO_PUT_OUTPUT_NOTE } from '../../core/lan/script-delivery'
import { runForOutput } from '../../core/lan/script-output'
import type { ExecutionOutcome } from '../../core/queue/executor'
import { RouterClient } from '../../core/routeros/router-client'
import { errorPosition } from '../format'
import { CliUsageError, type CliCommand } from '../io'
import { integerOption, parseCommand, printJson, readScript, secretFromEnv } from '../options'
import { commandsBeforeFromLint } from '../../lint/commands-before'

const usage =
  'fieldjobs exec --host HOST [--port P] [--tls] --user USER --password-env VAR --script FILE|- ' +
  '[--timeout S] [--code-page auto|utf-8|windows-1252|windows-1251] [--output | --no-ack] [--json]\n\n' +
  '  (no flag)  runs the script as a job does (/system/script/run): a failure names its line, and\n' +
  '             what the script prints is not returned\n' +
  '  --output   prints what the script printed (:put, print), as a terminal would; RouterOS 7 only\n' +
  '  --no-ack   starts the script and returns at once: delivered, its result not known'

export const execCommand: CliCommand = async (args, io) => {
  const { values } = parseCommand(
    args,
    {
      host: { type: 'string' },
      port: { type: 'string' },
      tls: { type: 'boolean', default: false },
      user: { type: 'string' },
      'password-env': { type: 'string' },
      script: { type: 'string' },
      timeout: { type: 'string' },
      'code-page': { type: 'string' },
      'no-ack': { type: 'boolean', default: false },
      output: { type: 'boolean', default: false },
    },
    usage,
  )
  if (!values.host) throw new CliUsageError(`give --host, the router's address\nusage: ${usage}`)
  if (!values.user) throw new CliUsageError(`give --user, the router user name\nusage: ${usage}`)
  const password = secretFromEnv(values['password-env'], io, 'the router password')
  const codePage = CodePage.safeParse(values['code-page'] ?? 'auto')
  if (!codePage.success) throw new CliUsageError(`--code-page must be one of ${CodePage.options.join(', ')}`)
  const timeoutS = integerOption(values.timeout, 'timeout')
  if (timeoutS === 0) throw new CliUsageError('--timeout must be at least 1 second')
  if (values.output && values['no-ack']) {
    throw new CliUsageError(`give --output or --no-ack, not both: --output waits for the script to print its output\nusage: ${usage}`)
  }
  const script = await readScript(values.script, io)
  if (script.trim() === '') throw new CliUsageError('the script is empty: give the RouterOS commands to run')

  const timeoutMs = (timeoutS ?? 60) * 1000
  const client = new RouterClient({
    host: values.host,
    port: integerOption(values.port, 'port'),
    tls: values.tls,
    user: values.user,
    password,
    codePage: codePage.data,
    connectTimeoutMs: Math.min(timeoutMs, 10_000),
    loginTimeoutMs: Math.min(timeoutMs, 10_000),
    commandTimeoutMs: timeoutMs,
  })
  const closeOnAbort = () => void client.close()
  io.signal.addEventListener('abort', closeOnAbort, { once: true })
  let result: ExecutionOutcome | DeliveryResult
  try {
    try {
      await client.connect()
    } catch (error) {
      result = io.signal.aborted ? { kind: 'canceled' } : outcomeBeforeScript(error)
      return report(result)
    }
    io.signal.removeEventListener('abort', closeOnAbort)
    result = values.output
      ? await runForOutput(client, { script, signal: io.signal, timeoutMs })
      : await deliverScript(client, {
          script,
          name: `fieldjobs-exec-${randomBytes(4).toString('hex')}`,
          needsAcknowledgement: !values['no-ack'],
          signal: io.signal,
          runTimeoutMs: timeoutMs,
          commandsBefore: commandsBeforeFromLint,
        })
    return report(result)
  } finally {
    io.signal.removeEventListener('abort', closeOnAbort)
    await client.close()
  }

  function report(outcome: ExecutionOutcome | DeliveryResult): number {
    const status = outcome.kind
    const delivered = 'output' in outcome ? (outcome.output ?? '') : ''
    // A job's note on the missing output, and here the way to get it.
    const output = delivered === NO_PUT_OUTPUT_NOTE ? `${delivered}; --output prints it (RouterOS 7)` : delivered
    const error = 'error' in outcome ? outcome.error : null
    if (values.json) printJson(io, { status, output, error })
    else if (values.output) {
      // What the router printed, as it printed it, for a pipe; the exit code says how it went.
      if (status === 'completed' || status === 'failed') io.out(output)
      if (error) io.err(`${error.message}${errorPosition(error)} [${error.category}]\n`)
      // Canceled: what the router was told, not what it printed.
      else if (status !== 'completed') io.err(`${output || status}\n`)
    } else {
      io.out(`${status}\n`)
      if (output) io.out(`${output.replace(/\s+$/, '')}\n`)
      if (error) io.err(`${error.message}${errorPosition(error)} [${error.category}]\n`)
    }
    return status === 'completed' ? 0 : 1
  }
}
