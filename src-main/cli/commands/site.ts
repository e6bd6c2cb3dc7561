// `fieldjobs site add|list|remove`
import { CliUsageError, type CliCommand } from '../io'
import { siteLine } from '../format'
import { integerOption, openCore, parseCommand, printJson, secretFromEnv } from '../options'

const usage =
  'fieldjobs site add --name NAME --host HOST [--port P] [--tls] --user USER --password-env VAR ' +
  '[--cloud-site-id UUID] [--code-page auto|utf-8|windows-1252|windows-1251] [--data-dir DIR] [--json]\n' +
  '       fieldjobs site list [--data-dir DIR] [--json]\n' +
  '       fieldjobs site remove NAME [--data-dir DIR] [--json]\n' +
  '       fieldjobs site check NAME [--data-dir DIR] [--json]'

export const siteCommand: CliCommand = async (args, io) => {
  const [action, ...rest] = args
  const subcommand = siteSubcommands[action as keyof typeof siteSubcommands]
  if (!subcommand) throw new CliUsageError(`unknown site command "${action ?? ''}"\nusage: ${usage}`)
  return subcommand(rest, io)
}

const siteSubcommands: Record<string, CliCommand> = {
  /** Probes the router now: online, identity, version, board, load, memory, uptime. */
  async check(args, io) {
    const { values, positionals } = parseCommand(args, {}, usage, true)
    if (positionals.length !== 1) throw new CliUsageError(`name the site to check\nusage: ${usage}`)
    const { SiteHealth } = await import('../../core/health/site-health')
    const core = openCore(values['data-dir'], io)
    try {
      const sample = await new SiteHealth(core).check(positionals[0] as string)
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
    } finally {
      await core.close()
    }
  },

  async add(args, io) {
    const { values } = parseCommand(
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
      },
      usage,
    )
    const password = secretFromEnv(values['password-env'], io, 'the router password')
    const core = openCore(values['data-dir'], io)
    try {
      const site = core.addSite({
        name: values.name ?? '',
        host: values.host ?? '',
        api_port: integerOption(values.port, 'port'),
        tls: values.tls,
        username: values.user ?? '',
        password,
        cloud_site_id: values['cloud-site-id'] ?? null,
        code_page: values['code-page'] ?? 'auto',
        allow_anonymous_dh: values['allow-anonymous-dh'],
      })
      if (values.json) printJson(io, site)
      else io.out(`added site ${site.name} (${site.host}:${site.api_port}${site.tls ? ', TLS' : ''})\n`)
      return 0
    } finally {
      await core.close()
    }
  },

  async list(args, io) {
    const { values } = parseCommand(args, {}, usage)
    const core = openCore(values['data-dir'], io)
    try {
      const sites = core.siteStore.list()
      if (values.json) printJson(io, sites)
      else if (sites.length === 0) io.out('no sites yet: add one with `fieldjobs site add`\n')
      else for (const site of sites) io.out(siteLine(site))
      return 0
    } finally {
      await core.close()
    }
  },

  async remove(args, io) {
    const { values, positionals } = parseCommand(args, {}, usage, true)
    if (positionals.length !== 1) throw new CliUsageError(`name the site to remove\nusage: ${usage}`)
    const core = openCore(values['data-dir'], io)
    try {
      core.removeSite(positionals[0] as string)
      if (values.json) printJson(io, { removed: positionals[0] })
      else io.out(`removed site ${positionals[0]}\n`)
      return 0
    } finally {
      await core.close()
    }
  },
}
