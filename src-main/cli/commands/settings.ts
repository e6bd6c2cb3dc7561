// `fieldjobs settings get [KEY]` and `fieldjobs settings set KEY VALUE`: the window's Settings screen
// on the command line, over the same store and the same contract, so the ranges are checked once.
import { SettingsUpdate } from '../../contract/ipc-contract'
import { parseOrThrow } from '../../core/errors'
import { CLOUD_TOKEN_REF } from '../../core/settings/settings-store'
import { settingsView } from '../../api/settings-view'
import { CliUsageError, type CliCommand } from '../io'
import { withCore, withStores } from '../open-core'
import { dispatchSubcommand, parseCommand, printJson, secretFromEnv } from '../options'

const usage =
  'fieldjobs settings get [KEY] [--data-dir DIR] [--json]\n' +
  '       fieldjobs settings set KEY VALUE [--data-dir DIR] [--json]\n' +
  '       fieldjobs settings set cloud_token --value-env VAR   (secrets never travel in argv; "" removes it)'

const KEYS = Object.keys(SettingsUpdate.shape) as Array<keyof typeof SettingsUpdate.shape>

const help =
  `usage: ${usage}\n\nkeys:\n` +
  '  cloud_api_url            the SDX API, e.g. https://v1.api.altostrat.io\n' +
  '  cloud_token              the SDX API token (set with --value-env VAR)\n' +
  '  concurrency              jobs run at once, 1..256\n' +
  '  probe_interval_s         seconds between site health probes, 0 turns them off\n' +
  '  default_revert_after_s   auto-revert window for LAN-capable jobs that do not say, 30..3600, or null\n'

function checkedKey(key: string | undefined): (typeof KEYS)[number] {
  if (key === undefined || !(KEYS as string[]).includes(key)) {
    throw new CliUsageError(`${key === undefined ? 'name a setting' : `there is no setting "${key}"`}: one of ${KEYS.join(', ')}`)
  }
  return key as (typeof KEYS)[number]
}

/** A value as typed: `null` (or `off`) clears a nullable setting, digits are a number, else text. */
function typedValue(text: string): unknown {
  if (text === 'null' || text === 'off') return null
  if (/^-?\d+$/.test(text)) return Number(text)
  return text
}

export const settingsCommand: CliCommand = async (args, io) => dispatchSubcommand({ get, set }, args, io, 'settings', help)

const get: CliCommand = async (args, io) => {
  const { values, positionals } = parseCommand(args, {}, usage, true, help)
  if (positionals.length > 1) throw new CliUsageError(`give at most one key\nusage: ${usage}`)
  return withStores(values['data-dir'], io, (stores) => {
    const view = settingsView(stores.settings.get(), stores.secrets.get(CLOUD_TOKEN_REF))
    const key = positionals[0]
    if (key !== undefined) {
      if (!Object.hasOwn(view, key)) throw new CliUsageError(`there is no setting "${key}": one of ${Object.keys(view).join(', ')}`)
      const value = view[key as keyof typeof view]
      if (values.json) printJson(io, { [key]: value })
      else io.out(`${value ?? 'null'}\n`)
      return 0
    }
    if (values.json) printJson(io, view)
    else for (const [name, value] of Object.entries(view)) io.out(`${name}\t${value ?? 'null'}\n`)
    return 0
  })
}

const set: CliCommand = async (args, io) => {
  const { values, positionals } = parseCommand(args, { 'value-env': { type: 'string' } }, usage, true, help)
  const key = checkedKey(positionals[0])
  let value: unknown
  if (key === 'cloud_token') {
    if (positionals.length > 1) throw new CliUsageError('the cloud token is a secret: give --value-env VAR, the name of an environment variable holding it')
    value = secretFromEnv(values['value-env'], io, 'the cloud token')
  } else {
    if (positionals.length !== 2) throw new CliUsageError(`give the key and its value\nusage: ${usage}`)
    value = typedValue(positionals[1] as string)
  }
  const patch = parseOrThrow(SettingsUpdate, { [key]: value })
  return withCore(values['data-dir'], io, (core) => {
    // A running app or `fieldjobs run` on this data folder sees the change and applies it at once.
    const { values: stored, cloudToken } = core.updateSettings(patch)
    const view = settingsView(stored, cloudToken)
    if (values.json) printJson(io, view)
    else if (key === 'cloud_token') io.out(cloudToken ? `cloud_token set (${view.cloud_token_hint})\n` : 'cloud_token removed\n')
    else io.out(`${key}\t${view[key] ?? 'null'}\n`)
    return 0
  })
}
