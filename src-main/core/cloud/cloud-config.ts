// Where the cloud is and how we prove who we are: the base URL from the settings, the token from
// the secret store; the environment (FIELDJOBS_API_URL, FIELDJOBS_API_TOKEN) overrides both, for the
// CLI and CI. The token leaves this module only towards the client, never towards a log.
import type { SecretStore } from '../secrets/secret-store'
import { CLOUD_TOKEN_REF, type SettingsStore } from '../settings/settings-store'
import { maskToken } from './token-mask'

export interface CloudConfig {
  baseUrl: string
  token: string | undefined
  /** For messages: where each value came from, and the token as it may be shown. */
  urlSource: 'environment' | 'settings'
  tokenSource: 'environment' | 'secret store' | 'none'
  tokenHint: string
}

export function resolveCloudConfig(
  core: { settings: SettingsStore; secrets: SecretStore },
  env: NodeJS.ProcessEnv = {},
): CloudConfig {
  const envUrl = env.FIELDJOBS_API_URL?.trim()
  const envToken = env.FIELDJOBS_API_TOKEN?.trim()
  const stored = envToken ? undefined : core.secrets.get(CLOUD_TOKEN_REF)
  const token = envToken || stored || undefined
  return {
    baseUrl: envUrl || core.settings.get().cloud_api_url,
    token,
    urlSource: envUrl ? 'environment' : 'settings',
    tokenSource: envToken ? 'environment' : stored ? 'secret store' : 'none',
    tokenHint: maskToken(token),
  }
}

export const NO_TOKEN_MESSAGE =
  'no cloud token is set: save one in Settings, or set FIELDJOBS_API_TOKEN (an SDX API key or JWT)'
