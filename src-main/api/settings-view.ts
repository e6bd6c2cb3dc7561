// What the window sees of the settings: the stored values, and of the cloud token only whether it
// is set and a hint to recognise it. The token itself never crosses IPC or HTTP.
import type { Settings } from '../contract/ipc-contract'
import type { SettingValues } from '../core/settings/settings-store'

/** Below this length even four characters give away too much of the token: no hint. */
const HINT_MIN_TOKEN_LENGTH = 12

export function tokenHint(token: string | undefined): string | null {
  if (!token || token.length < HINT_MIN_TOKEN_LENGTH) return null
  return token.slice(-4)
}

export function settingsView(values: SettingValues, cloudToken: string | undefined): Settings {
  return {
    cloud_api_url: values.cloud_api_url,
    cloud_token_set: Boolean(cloudToken),
    cloud_token_hint: tokenHint(cloudToken),
    concurrency: values.concurrency,
    probe_interval_s: values.probe_interval_s,
    default_revert_after_s: values.default_revert_after_s,
  }
}
