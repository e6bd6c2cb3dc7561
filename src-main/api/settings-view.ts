// What the window sees of the settings: the stored values, and of the cloud token only whether it
// is set and a hint to recognise it. The token itself never crosses IPC or HTTP.
import type { Settings } from '../contract/ipc-contract'
import { tokenTail } from '../core/cloud/token-mask'
import type { SettingValues } from '../core/settings/settings-store'

export function settingsView(values: SettingValues, cloudToken: string | undefined): Settings {
  return { ...values, cloud_token_set: Boolean(cloudToken), cloud_token_hint: tokenTail(cloudToken) }
}
