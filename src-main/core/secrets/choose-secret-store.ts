// Which secret store the CLI and browser mode use, decided when the core opens: the OS keyring when
// one really works here, else the key file in the data folder. FIELDJOBS_SECRET_STORE forces one
// (`keyring` fails loudly when there is none; `keyfile` never touches the keyring, which keeps tests
// and CI deterministic). The Electron app passes safeStorage instead and never comes here.
import { FieldjobsError } from '../errors'
import { findExecutable, keyringRunner } from './keyring-command'
import { type KeyringBackend, KeyringSecretStore, keyringWorks } from './keyring-secret-store'
import { KeyFileSecretStore } from './key-file-secret-store'
import { LazySecretStore } from './lazy-secret-store'
import { MacKeychain } from './mac-keychain'
import { KeyringVerdict, KeyringWithFallback } from './remembered-keyring'
import { SecretToolKeyring } from './secret-tool-keyring'
import type { SecretStore } from './secret-store'

const SECRET_STORE_ENV = 'FIELDJOBS_SECRET_STORE'
const choices = ['auto', 'keyring', 'keyfile'] as const
export type SecretStoreChoice = (typeof choices)[number]

export interface SecretStoreContext {
  dataDir: string
  env: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
}

/** The platform's keyring backend, or why there is none. */
function keyringBackendFor({ dataDir, env, platform = process.platform }: SecretStoreContext): KeyringBackend | string {
  if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd') {
    // Without a session bus there is no Secret Service to talk to (SSH sessions, containers, CI).
    if (!env.DBUS_SESSION_BUS_ADDRESS) return 'no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)'
    const tool = findExecutable('secret-tool', env)
    if (!tool) return 'secret-tool is not installed (package libsecret-tools)'
    return new SecretToolKeyring(keyringRunner(tool, env), dataDir)
  }
  if (platform === 'darwin') {
    const tool = findExecutable('security', env)
    if (!tool) return 'the security tool is not on the PATH'
    return new MacKeychain(keyringRunner(tool, env), dataDir)
  }
  // Windows' Credential Manager has no command-line tool that reads a secret back without putting
  // it in argv or needing PowerShell modules, so Windows uses the key file.
  return `no OS keyring adapter for ${platform}`
}

export function secretStoreChoice(env: NodeJS.ProcessEnv): SecretStoreChoice {
  const value = (env[SECRET_STORE_ENV] ?? '').trim().toLowerCase() || 'auto'
  if (!(choices as readonly string[]).includes(value)) {
    throw new FieldjobsError('validation', `${SECRET_STORE_ENV} must be one of ${choices.join(', ')}, not "${env[SECRET_STORE_ENV]}"`)
  }
  return value as SecretStoreChoice
}

export function openSecretStore(context: SecretStoreContext): SecretStore {
  const choice = secretStoreChoice(context.env)
  const keyFile = new KeyFileSecretStore(context.dataDir)
  if (choice === 'keyfile') return keyFile
  const backend = keyringBackendFor(context)
  const verdict = new KeyringVerdict(context.dataDir)
  let unusable: string | undefined
  if (typeof backend === 'string') unusable = backend
  else if (verdict.remembers(backend.description)) unusable = undefined
  else if (keyringWorks(backend)) verdict.remember(backend.description)
  else unusable = `${backend.description} did not keep a test secret`
  if (unusable === undefined) {
    const keyring = new KeyringSecretStore(backend as KeyringBackend, keyFile)
    return new KeyringWithFallback(keyring, verdict, (why) => new KeyFileSecretStore(context.dataDir, why), choice === 'keyring')
  }
  if (choice === 'keyring') {
    throw new FieldjobsError('validation', `${SECRET_STORE_ENV}=keyring, but the OS keyring cannot be used: ${unusable}. Unset it to use the key file`)
  }
  return new KeyFileSecretStore(context.dataDir, `no OS keyring: ${unusable}`)
}

/**
 * The store openSecretStore chooses, for callers that open it before they know a secret is needed
 * (every CLI command, the app at start-up). Probing a keyring is the slow part (three tool runs,
 * each allowed 10 s), so only a store that would probe is opened on first use; a bad
 * FIELDJOBS_SECRET_STORE is refused now, and with no keyring here the key file opens at once.
 */
export function openSecretStoreOnFirstUse(context: SecretStoreContext): SecretStore {
  const choice = secretStoreChoice(context.env)
  if (choice === 'keyfile' || (choice === 'auto' && typeof keyringBackendFor(context) === 'string')) return openSecretStore(context)
  return new LazySecretStore(() => openSecretStore(context))
}
