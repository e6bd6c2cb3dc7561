// Process entry for the `fieldjobs` bin.
import nodeModule from 'node:module'

// A good part of a short command's start (about 20 ms of `site list`) is V8 compiling the bundle,
// the same code every time. Node 22.1+ (and the Node inside Electron, which the packaged CLI runs on)
// can keep the compiled code between runs in the OS temp folder (measured on Node 22.23: `site list`
// 151 -> 142 ms); Node 20 has no such cache and skips this.
// NODE_DISABLE_COMPILE_CACHE=1 turns it off. Enabled before anything else loads, so the whole CLI
// is cached, not just what loads after the first import.
;(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.()

const { runCli } = await import('./main')
const { processIo } = await import('./process-io')

const code = await runCli(process.argv.slice(2), processIo())
// Let stdout drain before exiting; long-running commands have already closed their servers. A
// closed stdout (EPIPE) has set its own code, which the command's must not overwrite.
if (process.exitCode === undefined) process.exitCode = code
// A second Ctrl-C abandoned running work (`run`): its sockets to routers are still open and would
// hold the process until the router answers, which is exactly what the engineer asked not to wait for.
if (code === 130) process.stdout.write('', () => process.exit(code))
