// `fieldjobs serve [--port P] [--host 127.0.0.1] [--data-dir D]`: the Fieldjobs window in a browser.
// Opens the core, starts the runtime (queue with the LAN executor, health probes, batches), serves
// the built window on loopback and carries the IPC contract over HTTP + WebSocket. Prints the URL,
// whose #token=... is the only key to the API; runs until Ctrl-C.
import { createApiHandlers } from '../../api/api-handlers'
import { startApiRuntime } from '../../api/api-runtime'
import { MIN_TOKEN_LENGTH } from '../../server/access-token'
import { startBridgeServer } from '../../server/bridge-server'
import { isLoopbackHost } from '../../server/loopback'
import { ensureRendererBuilt } from '../../server/renderer-build'
import { CliUsageError, type CliCommand } from '../io'
import { withCore } from '../open-core'
import { integerOption, parseCommand, printJson } from '../options'
import { untilInterrupted } from '../until-interrupted'
import { counted, wasOrWere } from '../../contract/counted'

const usage = 'fieldjobs serve [--port P] [--host 127.0.0.1] [--token-env VAR] [--no-window] [--data-dir DIR] [--json]'

const help =
  `usage: ${usage}\n\n` +
  'Serves the Fieldjobs window to a browser on this machine only. Open the printed URL: its\n' +
  '#token=... is required by every API call. --port 0 (the default) picks a free port.\n' +
  '--token-env VAR takes the token from an environment variable (for test harnesses; at least\n' +
  `${MIN_TOKEN_LENGTH} characters). --no-window serves the API and events only.\n`

export const serveCommand: CliCommand = async (args, io) => {
  const { values } = parseCommand(
    args,
    {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'token-env': { type: 'string' },
      'no-window': { type: 'boolean', default: false },
    },
    usage,
    false,
    help,
  )
  const port = integerOption(values.port, 'port')!
  if (port > 65535) throw new CliUsageError('--port must be between 0 and 65535')
  if (!isLoopbackHost(values.host)) {
    throw new CliUsageError(`--host must be a loopback address (127.0.0.1, ::1 or localhost), not ${values.host}: the bridge can run scripts on your routers, so it is never exposed to the network`)
  }
  let token: string | undefined
  if (values['token-env']) {
    token = io.env[values['token-env']]
    if (!token) throw new CliUsageError(`the environment variable ${values['token-env']} is not set`)
    if (token.length < MIN_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) {
      throw new CliUsageError(`the token in ${values['token-env']} must be at least ${MIN_TOKEN_LENGTH} characters of A-Z a-z 0-9 _ -`)
    }
  }

  const rendererDir = values['no-window'] ? undefined : await ensureRendererBuilt({ onBuild: (message) => io.err(message) })
  return withCore(values['data-dir'], io, async (core) => {
    let running: ReturnType<typeof startApiRuntime> | undefined
    let bridge: Awaited<ReturnType<typeof startBridgeServer>> | undefined
    try {
      running = startApiRuntime(core, { env: io.env })
      bridge = await startBridgeServer({
        handlers: createApiHandlers(running.runtime),
        subscribe: (listener) => core.events.subscribe(listener),
        rendererDir,
        host: values.host,
        port,
        token,
      })
      if (values.json) printJson(io, { url: bridge.url, origin: bridge.origin, port: bridge.port, data_dir: core.dataDir })
      else {
        io.out(`Fieldjobs is serving ${core.dataDir}\n`)
        if (running.reconciled.length > 0) {
          io.out(`${counted(running.reconciled.length, 'job')} ${wasOrWere(running.reconciled.length)} running when Fieldjobs last stopped: their outcome is unknown, check those routers\n`)
        }
        io.out(`open ${bridge.url}\n(the token in the URL is the key to this session; press Ctrl-C to stop)\n`)
      }
      await untilInterrupted(io.signal)
      return 0
    } finally {
      // The bridge stops taking calls before the services behind it stop; withCore closes the core last.
      await bridge?.close()
      await running?.stop()
    }
  })
}
