// `fieldjobs site add|edit|update|list|remove|check|trust|var`
import type { ParseArgsConfig } from 'node:util'
import type { Site, SiteUpdate } from '../../contract/site-schema'
import { defaultPort } from '../../contract/site-values'
import { ANONYMOUS_DH_WARNING } from '../../core/routeros/site-trust'
import { FieldjobsError } from '../../core/errors'
import { CliUsageError, type CliCommand, type CliIo } from '../io'
import { siteLine } from '../format'
import { withCore, withStores } from '../open-core'
import { dispatchSubcommand, integerOption, parseCommand, printJson, secretFromEnv, subcommandHelp, withFlagTerms } from '../options'
import { counted } from '../../contract/counted'

/** The site fields by the flags that set them, so a validation error names the flag to fix. */
const siteFlags = {
  name: '--name',
  host: '--host',
  api_port: '--port',
  username: '--user',
  cloud_site_id: '--cloud-site-id',
  code_page: '--code-page',
  tls_fingerprint: '--fingerprint',
  tags: '--tag',
  vars: 'KEY',
}


const usage =
  'fieldjobs site add --name NAME --host HOST [--port P] [--tls [--allow-anonymous-dh]] --user USER --password-env VAR ' +
  '[--cloud-site-id UUID] [--code-page auto|utf-8|windows-1252|windows-1251] [--from-discovery MAC] [--tag T]... [--no-check] [--data-dir DIR] [--json]\n' +
  '       (add logs in to the router first and saves nothing if that fails; --no-check skips it)\n' +
  '       fieldjobs site edit NAME [--name NEW] [--host HOST] [--port P] [--tls | --no-tls] [--user USER] [--password-env VAR] ' +
  '[--cloud-site-id UUID | --no-cloud-site-id] [--code-page CP] [--tag T]... [--untag T]... [--data-dir DIR] [--json]\n' +
  '       fieldjobs site update NAME ...   (the same as site edit)\n' +
  '       fieldjobs site list [--tag T] [--data-dir DIR] [--json]\n' +
  '       fieldjobs site var set NAME KEY VALUE | var unset NAME KEY | var list NAME [--data-dir DIR] [--json]\n' +
  '       fieldjobs site remove NAME [--purge] [--data-dir DIR] [--json]   (--purge: also delete its jobs and backups)\n' +
  '       fieldjobs site check NAME [--data-dir DIR] [--json]\n' +
  '       fieldjobs site trust NAME [--reset | --fingerprint SHA256] [--allow-anonymous-dh | --no-anonymous-dh] [--data-dir DIR] [--json]'

const help =
  `usage: ${usage}\n\n` +
  'Passwords come from the environment variable named by --password-env, never from argv. They are kept\n' +
  'in the OS keyring when one works, else sealed in the data folder\'s key file (`site list` says which;\n' +
  'FIELDJOBS_SECRET_STORE=keyring|keyfile forces one).\n\n' +
  'api-ssl (--tls) pins the router\'s certificate on first use: the SHA-256 fingerprint of the first\n' +
  'certificate seen is saved to the site, and a router presenting another one is refused.\n' +
  '  site trust NAME                      shows the pinned fingerprint\n' +
  '  site trust NAME --reset              forgets it: the next connection pins the certificate it sees\n' +
  '  site trust NAME --fingerprint FP     pins FP (64 hex digits, colons optional), as shown on the router\n' +
  '                                       by /certificate print detail (fingerprint)\n' +
  '  --allow-anonymous-dh                 lets a router without a certificate connect with anonymous DH:\n' +
  '                                       encrypted but unauthenticated (no protection against interception)\n' +
  '  --no-anonymous-dh                    turns that off again\n'

async function discoveredRouter(dataDir: string, mac: string) {
  const { loadLastDiscovery } = await import('../../core/discovery/last-discovery')
  const { announcedApiPort } = await import('../../core/discovery/mndp-scan')
  const router = loadLastDiscovery(dataDir).find((entry) => entry.mac?.toUpperCase() === mac.toUpperCase())
  if (!router) throw new CliUsageError(`--from-discovery ${mac}: no router with that MAC in the last discovery; run \`fieldjobs discover\` first`)
  return { identity: router.identity ?? undefined, ipv4: router.ipv4 ?? undefined, api_port: announcedApiPort(router) ?? undefined, mac: router.mac ?? null }
}

function warnAnonymousDh(io: CliIo, site: Site): void {
  if (site.tls && site.allow_anonymous_dh) io.err(`site "${site.name}": ${ANONYMOUS_DH_WARNING}\n`)
}

const connectionFlags = [
  ['--host HOST', 'the router\'s address (IP or name) as this machine reaches it'],
  ['--port P', 'the API port (default 8728, or 8729 with --tls)'],
  ['--tls', 'use api-ssl; the certificate is pinned on first use (see `site trust`)'],
  ['--user USER', 'the RouterOS user'],
  ['--password-env VAR', 'the environment variable holding the password (never in argv)'],
  ['--cloud-site-id UUID', 'the site\'s id in Altostrat SDX, for jobs routed through the cloud'],
  ['--code-page CP', 'auto, utf-8, windows-1252 or windows-1251: how the router encodes text'],
] as const

/** Each subcommand's own --help: its usage line, what it does, its flags. */
const subcommandHelps: Record<string, string> = {
  add: subcommandHelp(
    'fieldjobs site add --name NAME --host HOST --user USER --password-env VAR [options]',
    'Adds a router. It logs in first, as the window\'s "Test connection" does, and saves nothing if that fails.',
    [
      ['--name NAME', 'the site\'s name, used by every other command'],
      ...connectionFlags,
      ['--allow-anonymous-dh', 'with --tls: accept a router without a certificate (encrypted, not authenticated)'],
      ['--no-check', 'save without logging in (a router that is offline now)'],
      ['--from-discovery MAC', 'name, host and port from the router `fieldjobs discover` last saw with this MAC (flags still win)'],
      ['--tag T', 'put the site in group T (repeat for several); batches and backups select by --tag'],
    ],
  ),
  edit: subcommandHelp('fieldjobs site edit NAME [options]', 'Changes a router in place, keeping its jobs and backups.', [
    ['--name NEW', 'rename the site'],
    ...connectionFlags,
    ['--no-tls', 'back to the plain API'],
    ['--no-cloud-site-id', 'forget the SDX site id'],
    ['--tag T', 'add the site to group T (repeat for several)'],
    ['--untag T', 'take the site out of group T'],
  ]),
  list: subcommandHelp('fieldjobs site list [--tag T]', 'Lists the sites, and says where their passwords are kept.', [
    ['--tag T', 'only the sites in group T'],
  ]),
  var: subcommandHelp(
    'fieldjobs site var set NAME KEY VALUE | site var unset NAME KEY | site var list NAME',
    'A site\'s variables: what a templated script\'s {{var.KEY}} becomes on this router.',
    [],
  ),
  remove: subcommandHelp('fieldjobs site remove NAME [--purge]', 'Removes a site and its password. A site with jobs or backups is kept unless --purge.', [
    ['--purge', 'also delete its jobs and backups (the record of what was done to the router)'],
  ]),
  check: subcommandHelp('fieldjobs site check NAME', 'Logs in now and shows identity, version, board, load, memory and uptime; exit 1 when offline.', []),
  trust: help,
}

/** The site subcommands' parser: `--help` on one prints that subcommand's help. */
function parseSiteCommand<const O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, allowPositionals = false, subcommand = 'trust') {
  return parseCommand(args, options, usage, allowPositionals, subcommandHelps[subcommand] ?? help)
}

export const siteCommand: CliCommand = async (args, io) => {
  return dispatchSubcommand(siteSubcommands, args, io, 'site', help)
}

const siteSubcommands: Record<string, CliCommand> = {
  /** Probes the router now: online, identity, version, board, load, memory, uptime. */
  async check(args, io) {
    const { values, positionals } = parseSiteCommand(args, {}, true, 'check')
    if (positionals.length !== 1) throw new CliUsageError(`name the site to check\nusage: ${usage}`)
    const { SiteHealth } = await import('../../core/health/site-health')
    return withCore(values['data-dir'], io, async (core) => {
      const before = core.siteStore.find(positionals[0] as string)
      warnAnonymousDh(io, before)
      const sample = await new SiteHealth(core).check(before.id)
      const pinned = core.siteStore.get(before.id).tls_fingerprint
      if (pinned && !before.tls_fingerprint) io.err(`pinned the certificate of "${before.name}" on first use: SHA-256 ${pinned}\n`)
      if (values.json) printJson(io, sample)
      else if (!sample.online) io.out(`offline: ${sample.error}\n`)
      else {
        const memory =
          sample.free_memory !== null && sample.total_memory !== null
            ? `${Math.round(sample.free_memory / 2 ** 20)}/${Math.round(sample.total_memory / 2 ** 20)} MiB free`
            : 'memory unknown'
        io.out(`online: ${sample.identity} (${sample.board}, RouterOS ${sample.version}), cpu ${sample.cpu_load}%, ${memory}, up ${sample.uptime}\n`)
      }
      return sample.online ? 0 : 1
    })
  },

  async add(args, io) {
    const { values } = parseSiteCommand(
      args,
      {
        name: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        tls: { type: 'boolean', default: false },
        user: { type: 'string' },
        'password-env': { type: 'string' },
        'cloud-site-id': { type: 'string' },
        'code-page': { type: 'string' },
        'allow-anonymous-dh': { type: 'boolean', default: false },
        'no-check': { type: 'boolean', default: false },
        'from-discovery': { type: 'string' },
        tag: { type: 'string', multiple: true },
      },
      false,
      'add',
    )
    if (values['allow-anonymous-dh'] && !values.tls) {
      throw new CliUsageError('--allow-anonymous-dh is for api-ssl: add --tls, or leave it out')
    }
    const password = secretFromEnv(values['password-env'], io, 'the router password')
    const { SiteHealth } = values['no-check'] ? { SiteHealth: undefined } : await import('../../core/health/site-health')
    return withCore(values['data-dir'], io, async (core) => {
      // --from-discovery MAC: name, host and port from the last `fieldjobs discover`; flags still win.
      const discovered = values['from-discovery'] === undefined ? undefined : await discoveredRouter(core.dataDir, values['from-discovery'])
      const site = withFlagTerms(siteFlags, () => core.addSite({
        name: values.name ?? discovered?.identity ?? '',
        host: values.host ?? discovered?.ipv4 ?? '',
        api_port: integerOption(values.port, 'port') ?? discovered?.api_port,
        tls: values.tls,
        username: values.user ?? '',
        password,
        cloud_site_id: values['cloud-site-id'] ?? null,
        code_page: values['code-page'] ?? 'auto',
        allow_anonymous_dh: values['allow-anonymous-dh'],
        tags: values.tag ?? [],
        mac: discovered?.mac ?? null,
      }))
      // A wrong password saved silently fails every job later, far from here: log in now, as the
      // window's "Test connection" does, and keep nothing if it fails (a new site has no history).
      if (SiteHealth) {
        const sample = await new SiteHealth(core).check(site.id)
        if (!sample.online) {
          core.removeSite(site.id, { purge: true })
          throw new FieldjobsError(
            'unavailable',
            `could not log in to ${site.host}:${site.api_port} as "${site.username}": ${sample.error}; the site was not saved. ` +
              'Check the address, user and password, or add --no-check to save it without trying (a router that is offline now)',
          )
        }
      }
      if (values.json) printJson(io, site)
      else io.out(`added site ${site.name} (${site.host}:${site.api_port}${site.tls ? ', TLS: the certificate is pinned on first use' : ''})\n`)
      warnAnonymousDh(io, site)
      return 0
    })
  },

  async list(args, io) {
    const { values } = parseSiteCommand(args, { tag: { type: 'string' } }, false, 'list')
    return withStores(values['data-dir'], io, (stores) => {
      const sites = values.tag === undefined ? stores.siteStore.list() : stores.siteStore.withTag(values.tag)
      if (values.json) printJson(io, sites)
      else if (sites.length === 0) io.out('no sites yet: add one with `fieldjobs site add`\n')
      else for (const site of sites) io.out(siteLine(site))
      if (!values.json) io.out(`passwords are kept in: ${stores.secrets.description}\n`)
      return 0
    })
  },

  /** Shows, pins, forgets the site's api-ssl certificate; allows or refuses anonymous DH. */
  async trust(args, io) {
    const { values, positionals } = parseSiteCommand(
      args,
      {
        reset: { type: 'boolean', default: false },
        fingerprint: { type: 'string' },
        'allow-anonymous-dh': { type: 'boolean', default: false },
        'no-anonymous-dh': { type: 'boolean', default: false },
      },
      true,
    )
    if (positionals.length !== 1) throw new CliUsageError(`name the site to trust\nusage: ${usage}`)
    if (values.reset && values.fingerprint !== undefined) throw new CliUsageError('give --reset or --fingerprint, not both')
    if (values['allow-anonymous-dh'] && values['no-anonymous-dh']) {
      throw new CliUsageError('give --allow-anonymous-dh or --no-anonymous-dh, not both')
    }
    return withCore(values['data-dir'], io, (core) => {
      let site = core.siteStore.find(positionals[0] as string)
      const update: Record<string, unknown> = {}
      if (values.reset) update.tls_fingerprint = null
      if (values.fingerprint !== undefined) update.tls_fingerprint = values.fingerprint
      if (values['allow-anonymous-dh']) update.allow_anonymous_dh = true
      if (values['no-anonymous-dh']) update.allow_anonymous_dh = false
      if (Object.keys(update).length > 0) site = withFlagTerms(siteFlags, () => core.updateSite({ id: site.id, ...update }))
      if (values.json) printJson(io, { site: site.name, tls: site.tls, tls_fingerprint: site.tls_fingerprint, allow_anonymous_dh: site.allow_anonymous_dh })
      else if (!site.tls) io.out(`site ${site.name} does not use api-ssl (TLS): there is no certificate to trust\n`)
      else if (site.tls_fingerprint) io.out(`site ${site.name} trusts the certificate with SHA-256 ${site.tls_fingerprint}\n`)
      else io.out(`site ${site.name} has no pinned certificate: the next connection pins the one the router presents\n`)
      warnAnonymousDh(io, site)
      return 0
    })
  },

  /** Changes a site in place (a new address, user or password), keeping its jobs and backups. */
  async edit(args, io) {
    const { values, positionals } = parseSiteCommand(
      args,
      {
        name: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        tls: { type: 'boolean' },
        'no-tls': { type: 'boolean' },
        user: { type: 'string' },
        'password-env': { type: 'string' },
        'cloud-site-id': { type: 'string' },
        'no-cloud-site-id': { type: 'boolean' },
        'code-page': { type: 'string' },
        tag: { type: 'string', multiple: true },
        untag: { type: 'string', multiple: true },
      },
      true,
      'edit',
    )
    if (positionals.length !== 1) throw new CliUsageError(`name the site to edit\nusage: ${usage}`)
    if (values.tls && values['no-tls']) throw new CliUsageError('give --tls or --no-tls, not both')
    if (values['cloud-site-id'] !== undefined && values['no-cloud-site-id']) {
      throw new CliUsageError('give --cloud-site-id UUID or --no-cloud-site-id, not both')
    }
    const password = values['password-env'] === undefined ? undefined : secretFromEnv(values['password-env'], io, 'the router password')
    return withCore(values['data-dir'], io, (core) => {
      const site = core.siteStore.find(positionals[0] as string)
      const tls = values.tls ? true : values['no-tls'] ? false : undefined
      const change: SiteUpdate = { id: site.id }
      if (values.name !== undefined) change.name = values.name
      if (values.host !== undefined) change.host = values.host
      if (values.port !== undefined) change.api_port = integerOption(values.port, 'port')
      // Switching api to api-ssl (or back) on the default port moves to the other default port.
      else if (tls !== undefined && tls !== site.tls && site.api_port === defaultPort(site.tls)) change.api_port = defaultPort(tls)
      if (tls !== undefined) change.tls = tls
      if (values.user !== undefined) change.username = values.user
      if (password !== undefined) change.password = password
      if (values['cloud-site-id'] !== undefined) change.cloud_site_id = values['cloud-site-id']
      if (values['no-cloud-site-id']) change.cloud_site_id = null
      if (values['code-page'] !== undefined) change.code_page = values['code-page'] as SiteUpdate['code_page']
      if (values.tag !== undefined || values.untag !== undefined) {
        const untag = new Set(values.untag ?? [])
        const unknown = [...untag].filter((tag) => !site.tags.includes(tag))
        if (unknown.length > 0) throw new CliUsageError(`--untag: site "${site.name}" has no tag ${unknown.map((tag) => `"${tag}"`).join(', ')} (it has: ${site.tags.join(', ') || 'none'})`)
        change.tags = [...site.tags, ...(values.tag ?? [])].filter((tag) => !untag.has(tag))
      }
      if (Object.keys(change).length === 1) throw new CliUsageError(`say what to change, e.g. --host or --password-env\nusage: ${usage}`)
      const edited = withFlagTerms(siteFlags, () => core.updateSite(change))
      if (values.json) printJson(io, edited)
      else io.out(`edited site ${edited.name}: ${siteLine(edited)}`)
      return 0
    })
  },

  /** `site update` is `site edit`: the issue's word and git's habit of one verb per change both read well. */
  update(args, io) {
    return siteSubcommands.edit!(args, io)
  },

  /** A site's template variables: set, unset, list. */
  async var(args, io) {
    const { values, positionals } = parseSiteCommand(args, {}, true, 'var')
    const [action, name, key, ...rest] = positionals
    const arity: Record<string, number> = { set: 4, unset: 3, list: 2 }
    const varUsage = 'usage: fieldjobs site var set NAME KEY VALUE | site var unset NAME KEY | site var list NAME'
    if (action === undefined || !Object.hasOwn(arity, action)) throw new CliUsageError(varUsage)
    if (positionals.length !== arity[action]) {
      throw new CliUsageError(`site var ${action} takes ${['NAME', 'KEY', 'VALUE'].slice(0, (arity[action] as number) - 1).join(' ')}\n${varUsage}`)
    }
    return withCore(values['data-dir'], io, (core) => {
      const site = core.siteStore.find(name as string)
      let vars = site.vars
      if (action === 'set') vars = { ...site.vars, [key as string]: rest[0] as string }
      if (action === 'unset') {
        if (!Object.hasOwn(site.vars, key as string)) throw new FieldjobsError('not_found', `site "${site.name}" has no variable "${key}": see fieldjobs site var list ${site.name}`)
        vars = Object.fromEntries(Object.entries(site.vars).filter(([candidate]) => candidate !== key))
      }
      const current = action === 'list' ? site : withFlagTerms(siteFlags, () => core.updateSite({ id: site.id, vars }))
      if (values.json) printJson(io, current.vars)
      else if (action !== 'list') io.out(`site ${current.name}: ${action === 'set' ? `${key}=${rest[0]}` : `${key} removed`}\n`)
      else if (Object.keys(current.vars).length === 0) io.out(`site ${current.name} has no variables: set one with fieldjobs site var set ${current.name} KEY VALUE\n`)
      else for (const [variable, value] of Object.entries(current.vars).sort(([a], [b]) => a.localeCompare(b))) io.out(`${variable}\t${value}\n`)
      return 0
    })
  },

  async remove(args, io) {
    const { values, positionals } = parseSiteCommand(args, { purge: { type: 'boolean', default: false } }, true, 'remove')
    if (positionals.length !== 1) throw new CliUsageError(`name the site to remove\nusage: ${usage}`)
    return withCore(values['data-dir'], io, (core) => {
      const removed = core.removeSite(positionals[0] as string, { purge: values.purge })
      if (values.json) printJson(io, { removed: positionals[0], jobs_deleted: removed.jobs, backups_deleted: removed.backups })
      else {
        const history = removed.jobs + removed.backups > 0 ? `, with its ${counted(removed.jobs, 'job')} and ${counted(removed.backups, 'backup')}` : ''
        io.out(`removed site ${positionals[0]}${history}\n`)
      }
      return 0
    })
  },
}
