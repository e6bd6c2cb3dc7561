// `fieldjobs site add|list|remove|check|trust`
import type { ParseArgsConfig } from 'node:util'
import type { Site } from '../../contract/site-schema'
import { ANONYMOUS_DH_WARNING } from '../../core/routeros/site-trust'
import { CliUsageError, type CliCommand, type CliIo } from '../io'
import { siteLine } from '../format'
import { withCore } from '../open-core'
import { dispatchSubcommand, integerOption, parseCommand, printJson, secretFromEnv, withFlagTerms } from '../options'

/** The site fields by the flags that set them, so a validation error names the flag to fix. */
const siteFlags = {
  name: '--name',
  host: '--host',
  api_port: '--port',
  username: '--user',
  cloud_site_id: '--cloud-site-id',
  code_page: '--code-page',
  tls_fingerprint: '--fingerprint',
}


const usage =
  'fieldjobs site add --name NAME --host HOST [--port P] [--tls [--allow-anonymous-dh]] --user USER --password-env VAR ' +
  '[--cloud-site-id UUID] [--code-page auto|utf-8|windows-1252|windows-1251] [--from-discovery MAC] [--data-dir DIR] [--json]\n' +
  '       fieldjobs site list [--data-dir DIR] [--json]\n' +
  '       fieldjobs site remove NAME [--data-dir DIR] [--json]\n' +
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
  return { identity: router.identity ?? undefined, ipv4: router.ipv4 ?? undefined, api_port: announcedApiPort(router) ?? undefined }
}

function warnAnonymousDh(io: CliIo, site: Site): void {
  if (site.tls && site.allow_anonymous_dh) io.err(`site "${site.name}": ${ANONYMOUS_DH_WARNING}\n`)
}

/** The site subcommands' parser: `--help` on any of them prints the whole site help. */
function parseSiteCommand<const O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, allowPositionals = false) {
  return parseCommand(args, options, usage, allowPositionals, help)
}

export const siteCommand: CliCommand = async (args, io) => {
  return dispatchSubcommand(siteSubcommands, args, io, 'site', help)
}

const siteSubcommands: Record<string, CliCommand> = {
  /** Probes the router now: online, identity, version, board, load, memory, uptime. */
  async check(args, io) {
    const { values, positionals } = parseSiteCommand(args, {}, true)
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
        'from-discovery': { type: 'string' },
      },
    )
    if (values['allow-anonymous-dh'] && !values.tls) {
      throw new CliUsageError('--allow-anonymous-dh is for api-ssl: add --tls, or leave it out')
    }
    const password = secretFromEnv(values['password-env'], io, 'the router password')
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
      }))
      if (values.json) printJson(io, site)
      else io.out(`added site ${site.name} (${site.host}:${site.api_port}${site.tls ? ', TLS: the certificate is pinned on first use' : ''})\n`)
      warnAnonymousDh(io, site)
      return 0
    })
  },

  async list(args, io) {
    const { values } = parseSiteCommand(args, {})
    return withCore(values['data-dir'], io, (core) => {
      const sites = core.siteStore.list()
      if (values.json) printJson(io, sites)
      else if (sites.length === 0) io.out('no sites yet: add one with `fieldjobs site add`\n')
      else for (const site of sites) io.out(siteLine(site))
      if (!values.json) io.out(`passwords are kept in: ${core.secrets.description}\n`)
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

  async remove(args, io) {
    const { values, positionals } = parseSiteCommand(args, {}, true)
    if (positionals.length !== 1) throw new CliUsageError(`name the site to remove\nusage: ${usage}`)
    return withCore(values['data-dir'], io, (core) => {
      core.removeSite(positionals[0] as string)
      if (values.json) printJson(io, { removed: positionals[0] })
      else io.out(`removed site ${positionals[0]}\n`)
      return 0
    })
  },
}
