// What shell completion offers: every command, its subcommands and their flags, and what a flag's
// value or a positional word is (a site name, a file, one of a few words). Kept by hand beside the
// commands; test/cli/completion.test.ts checks it against each command's --help, so a new flag that
// is not here fails a test instead of silently not completing.

/** What a flag's value, or a positional word, completes to. */
export type ValueKind =
  | { kind: 'site' }
  | { kind: 'sites' } // a comma-separated list of site names
  | { kind: 'file' }
  | { kind: 'directory' }
  | { kind: 'words'; words: readonly string[] }
  | { kind: 'any' } // a number, a name, a UUID: nothing to offer

export interface CompletionEntry {
  /** Flags without their `--`; a flag with a value says what the value is, a switch is `null`. */
  readonly flags: Readonly<Record<string, ValueKind | null>>
  /** The positional words, in order. */
  readonly positionals?: readonly ValueKind[]
}

const any: ValueKind = { kind: 'any' }
const site: ValueKind = { kind: 'site' }
const file: ValueKind = { kind: 'file' }
const codePage: ValueKind = { kind: 'words', words: ['auto', 'utf-8', 'windows-1252', 'windows-1251', 'windows-1250', 'iso-8859-1'] }
const settingKeys: ValueKind = { kind: 'words', words: ['concurrency', 'probe_interval_s', 'default_revert_after_s', 'cloud_api_url', 'cloud_token'] }

/** Taken by every command, before or after it. */
export const globalFlags: Readonly<Record<string, ValueKind | null>> = { 'data-dir': { kind: 'directory' }, json: null, help: null }

const connection = { host: any, port: any, tls: null, user: any, 'password-env': any, 'cloud-site-id': any, 'code-page': codePage } as const

/** command -> subcommand (or '' for a command without subcommands) -> what it takes. */
export const completionTable: Readonly<Record<string, Readonly<Record<string, CompletionEntry>>>> = {
  site: {
    add: { flags: { name: any, ...connection, 'allow-anonymous-dh': null, 'from-discovery': any, 'no-check': null, tag: any } },
    edit: { flags: { name: any, ...connection, 'no-tls': null, 'no-cloud-site-id': null, tag: any, untag: any }, positionals: [site] },
    update: { flags: { name: any, ...connection, 'no-tls': null, 'no-cloud-site-id': null, tag: any, untag: any }, positionals: [site] },
    list: { flags: { tag: any } },
    var: { flags: {}, positionals: [{ kind: 'words', words: ['set', 'unset', 'list'] }, site, any, any] },
    remove: { flags: { purge: null }, positionals: [site] },
    check: { flags: {}, positionals: [site] },
    trust: { flags: { reset: null, fingerprint: any, 'allow-anonymous-dh': null, 'no-anonymous-dh': null }, positionals: [site] },
  },
  job: {
    create: {
      flags: {
        site,
        description: any,
        script: file,
        route: { kind: 'words', words: ['auto', 'lan', 'cloud'] },
        backup: null,
        'no-ack': null,
        express: null,
        'idempotency-key': any,
        'revert-after': any,
        'not-before': any,
        'no-lint': null,
      },
    },
    list: {
      flags: {
        site,
        status: { kind: 'words', words: ['pending', 'in_progress', 'completed', 'failed', 'canceling', 'canceled', 'unknown', 'reverted'] },
        route: { kind: 'words', words: ['auto', 'lan', 'cloud'] },
        search: any,
        limit: any,
        format: { kind: 'words', words: ['csv', 'json'] },
        'no-header': null,
      },
    },
    show: { flags: {}, positionals: [any] },
    cancel: { flags: {}, positionals: [any] },
  },
  run: { '': { flags: { once: null } } },
  exec: { '': { flags: { host: any, port: any, tls: null, user: any, 'password-env': any, script: file, timeout: any, 'code-page': codePage, 'no-ack': null, output: null } } },
  sync: { '': { flags: { once: null, concurrency: any, 'poll-interval': any } } },
  lab: { '': { flags: { routers: any, 'base-port': any, 'latency-ms': any, version: { kind: 'words', words: ['7.17', '7.18'] }, tls: null, 'mndp-port': any } } },
  serve: { '': { flags: { port: any, host: any, 'token-env': any, 'no-window': null } } },
  db: { copy: { flags: {}, positionals: [file] } },
  settings: {
    get: { flags: {}, positionals: [settingKeys] },
    set: { flags: { 'value-env': any }, positionals: [settingKeys, any] },
  },
  backup: {
    run: { flags: { sites: { kind: 'sites' }, tag: any, all: null, concurrency: any } },
    list: { flags: { site, changed: null } },
    diff: { flags: {}, positionals: [any, any] },
  },
  discover: { '': { flags: { timeout: any, port: any } } },
  batch: {
    create: {
      flags: {
        script: file,
        description: any,
        sites: { kind: 'sites' },
        tag: any,
        all: null,
        route: { kind: 'words', words: ['auto', 'lan', 'cloud'] },
        backup: null,
        'revert-after': any,
        canary: any,
        'stop-on-failure': null,
        concurrency: any,
        'not-before': any,
        'idempotency-key': any,
        'no-lint': null,
      },
    },
    list: { flags: {} },
    show: { flags: {}, positionals: [any] },
    cancel: { flags: {}, positionals: [any] },
  },
  completion: { '': { flags: {}, positionals: [{ kind: 'words', words: ['bash', 'zsh', 'fish'] }] } },
}

/** Flags that take a value, in any command: the shells skip their values when they look for the command. */
export function flagsWithValues(): string[] {
  const names = new Set<string>(['data-dir'])
  for (const subcommands of Object.values(completionTable)) {
    for (const entry of Object.values(subcommands)) for (const [flag, value] of Object.entries(entry.flags)) if (value) names.add(flag)
  }
  return [...names].sort()
}
