// Process entry for the `fieldjobs` bin.
import { runCli } from './main'
import { processIo } from './process-io'

const code = await runCli(process.argv.slice(2), processIo())
// Let stdout drain before exiting; long-running commands have already closed their servers.
process.exitCode = code
// A second Ctrl-C abandoned running work (`run`): its sockets to routers are still open and would
// hold the process until the router answers, which is exactly what the engineer asked not to wait for.
if (code === 130) process.stdout.write('', () => process.exit(code))
