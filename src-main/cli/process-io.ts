// The real process behind CliIo.
import type { CliIo } from './io'

export function processIo(): CliIo {
  const controller = new AbortController()
  const abandon = new AbortController()
  // The first signal asks to stop (running work is awaited); the second abandons it. Both are
  // handled, so a second Ctrl-C never kills the process before it has said what it left behind.
  const onSignal = () => {
    if (!controller.signal.aborted) controller.abort(new Error('interrupted'))
    else abandon.abort(new Error('abandoned'))
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    abandon: abandon.signal,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    signal: controller.signal,
    readStdin: async () => {
      const chunks: Buffer[] = []
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
      return Buffer.concat(chunks).toString('utf8')
    },
  }
}
