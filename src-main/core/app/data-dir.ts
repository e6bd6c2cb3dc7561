// Where Fieldjobs keeps its data: the app's user-data folder (the same one Electron's
// app.getPath('userData') gives for "Fieldjobs"), unless --data-dir or FIELDJOBS_DATA_DIR says otherwise.
import { homedir } from 'node:os'
import { join } from 'node:path'

const APP_NAME = 'Fieldjobs'
/** The SQLite file inside a data folder. */
export const DATABASE_FILE = 'fieldjobs.db'

function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME)
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME)
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME)
}

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.FIELDJOBS_DATA_DIR ?? defaultDataDir(env)
}
