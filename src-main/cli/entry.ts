// Process entry for the `fieldjobs` bin.
import { runCli } from './main'
import { processIo } from './process-io'

const code = await runCli(process.argv.slice(2), processIo())
// Let stdout drain before exiting; long-running commands have already closed their servers.
process.exitCode = code
