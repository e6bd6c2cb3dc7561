// Fake OS keyring tools (secret-tool, macOS security) for tests: put first on the PATH, they speak the
// real protocol (argv, secret on stdin, exit codes), keep secrets in a temp folder and log their argv.
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

// secret-tool as libsecret documents it: store --label=L attrs... (secret on stdin), lookup attrs...
// (secret on stdout, exit 1 when absent), clear attrs.... FAKE_KEYRING_BROKEN imitates a session
// without a Secret Service.
const FAKE_SECRET_TOOL = `#!${process.execPath}
const fs = require('node:fs'), path = require('node:path'), crypto = require('node:crypto')
const dir = process.env.FAKE_KEYRING_DIR
fs.appendFileSync(path.join(dir, 'argv.log'), JSON.stringify(process.argv.slice(2)) + '\\n')
if (process.env.FAKE_KEYRING_BROKEN) { process.stderr.write('Cannot autolaunch D-Bus without X11 $DISPLAY\\n'); process.exit(1) }
const [command, ...rest] = process.argv.slice(2)
if (command === 'store' && !/^--label=./.test(rest[0] || '')) { process.stderr.write('usage: secret-tool store --label=...\\n'); process.exit(2) }
const attributes = command === 'store' ? rest.slice(1) : rest
if (attributes.length === 0 || attributes.length % 2 !== 0) { process.stderr.write('must specify attribute and value pairs\\n'); process.exit(2) }
const file = path.join(dir, crypto.createHash('sha256').update(attributes.join('\\0')).digest('hex') + '.secret')
if (command === 'store') fs.writeFileSync(file, fs.readFileSync(0))
else if (command === 'lookup') { if (!fs.existsSync(file)) process.exit(1); process.stdout.write(fs.readFileSync(file)) }
else if (command === 'clear') { if (!fs.existsSync(file)) process.exit(1); fs.rmSync(file) }
else { process.stderr.write('unknown command\\n'); process.exit(2) }
`

// security as macOS documents it: find-generic-password -s S -a A -w (exit 44 when absent),
// delete-generic-password -s S -a A, and -i reading "add-generic-password -U -s S -a A -X HEX".
const FAKE_SECURITY = `#!${process.execPath}
const fs = require('node:fs'), path = require('node:path')
const dir = process.env.FAKE_KEYRING_DIR
const argv = process.argv.slice(2)
fs.appendFileSync(path.join(dir, 'argv.log'), JSON.stringify(argv) + '\\n')
const option = (words, flag) => words[words.indexOf(flag) + 1]
const fileOf = (words) => path.join(dir, option(words, '-s') + '--' + option(words, '-a') + '.secret')
if (argv[0] === '-i') {
  for (const line of fs.readFileSync(0, 'utf8').split('\\n').filter(Boolean)) {
    const words = line.trim().split(/\\s+/)
    if (words[0] !== 'add-generic-password' || !words.includes('-X')) { process.stderr.write('security: unknown command\\n'); process.exit(1) }
    fs.writeFileSync(fileOf(words), Buffer.from(option(words, '-X'), 'hex'))
  }
} else if (argv[0] === 'find-generic-password') {
  if (!fs.existsSync(fileOf(argv))) { process.stderr.write('security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain.\\n'); process.exit(44) }
  process.stdout.write(fs.readFileSync(fileOf(argv), 'utf8') + '\\n')
} else if (argv[0] === 'delete-generic-password') {
  if (!fs.existsSync(fileOf(argv))) process.exit(44)
  fs.rmSync(fileOf(argv))
} else process.exit(2)
`

/** Installs a fake `tool` in a fresh folder (from `temp`) and returns the env that finds it. */
export function fakeKeyring(tool: 'secret-tool' | 'security', temp: (prefix: string) => string) {
  const bin = temp('fieldjobs-fake-bin-')
  const store = temp('fieldjobs-fake-keyring-')
  writeFileSync(join(bin, tool), tool === 'secret-tool' ? FAKE_SECRET_TOOL : FAKE_SECURITY)
  chmodSync(join(bin, tool), 0o755)
  const env: Record<string, string> = {
    PATH: `${bin}:/usr/bin:/bin`,
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus',
    FAKE_KEYRING_DIR: store,
  }
  const argv = () => (existsSync(join(store, 'argv.log')) ? readFileSync(join(store, 'argv.log'), 'utf8') : '')
  const stored = () =>
    readdirSync(store)
      .filter((name) => name.endsWith('.secret'))
      .map((name) => readFileSync(join(store, name), 'utf8'))
  return { env, argv, stored }
}
