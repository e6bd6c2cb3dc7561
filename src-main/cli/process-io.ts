// The real process behind CliIo.
import type { CliIo } from './io'

/** 128 + SIGPIPE (13): what a shell reports for a command whose reader closed the pipe. */
export const EXIT_READER_GONE = 141

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
  // The reader went away (`fieldjobs job list | head`). git or ls die of SIGPIPE there, silently;
  // Node ignores SIGPIPE, so the write fails with EPIPE instead, and unhandled that is a stack trace
  // on stderr. So: say nothing, write nothing more, stop as if interrupted (a `run` still records its
  // running jobs' outcomes), and exit 141 (128 + SIGPIPE), the code the shell shows for git there.
  let readerGone = false
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error
    readerGone = true
    process.exitCode = EXIT_READER_GONE
    if (!controller.signal.aborted) controller.abort(new Error('standard output was closed'))
  })
  return {
    abandon: abandon.signal,
    out: (text) => {
      if (!readerGone) process.stdout.write(text)
    },
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
