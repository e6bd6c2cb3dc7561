// The crash harness's jobs: a mix of LAN jobs (several lab sites, with and without backup, with and
// without acknowledgement, scripts that pause before or after their change, scripts that fail) and
// cloud jobs (route cloud, and route auto on a site whose router is down, which the queue hands to
// the cloud). Every script makes one countable change on the router, a firewall rule commented
// `crash-<n>`, so the routers themselves say how often each job ran.
import type { Job, NewJobInput } from '../../src-main/contract/job-schema'

export type CrashJobKind =
  /** add the rule; acknowledged */
  | 'lan'
  /** `:delay`, then add: a kill mid-run stops it before the change */
  | 'lan-delay-first'
  /** add, then `:delay`: a kill mid-run leaves the change made */
  | 'lan-delay-after'
  /** without acknowledgement: `/execute` starts it in the background */
  | 'lan-no-ack'
  /** fails on line 1, before its change: must end failed (or unknown), never with a change */
  | 'lan-fails'
  | 'cloud'
  /** the cloud device fails it (`:error`) */
  | 'cloud-fails'
  /** route auto on the site whose router refuses connections: the queue hands it to the cloud */
  | 'auto-offline'

export interface CrashSite {
  id: string
  name: string
  /** Index into the lab's routers. */
  router: number
}

export interface PlannedJob {
  n: number
  kind: CrashJobKind
  site: CrashSite
  backup: boolean
}

export const isLanKind = (kind: CrashJobKind) => kind.startsWith('lan')
export const isCloudKind = (kind: CrashJobKind) => !isLanKind(kind)
export const commentOf = (n: number) => `crash-${n}`
export const descriptionOf = (job: Pick<PlannedJob, 'n' | 'kind'>) => `crash job ${job.n} (${job.kind})`

/** Reads a job's harness number back from its description, or undefined for a job not ours. */
export function numberOf(description: string): number | undefined {
  const match = /^crash job (\d+) \(/.exec(description)
  return match ? Number(match[1]) : undefined
}

/** How long a pausing script waits: long enough that kills land while the router runs it. */
const PAUSE = ':delay 40ms'

export function scriptOf(job: Pick<PlannedJob, 'n' | 'kind'>): string {
  const add = `/ip firewall filter add chain=forward action=accept comment=${commentOf(job.n)}`
  switch (job.kind) {
    case 'lan-delay-first':
      return `${PAUSE}\n${add}`
    case 'lan-delay-after':
      return `${add}\n${PAUSE}`
    case 'lan-fails':
    case 'cloud-fails':
      return `:error "${commentOf(job.n)} fails on purpose before its change"\n${add}`
    default:
      return add
  }
}

/** The job as `jobs.create` takes it. */
export function newJobInput(job: PlannedJob): NewJobInput {
  return {
    site_id: job.site.id,
    description: descriptionOf(job),
    script: scriptOf(job),
    route: job.kind === 'auto-offline' ? 'auto' : isLanKind(job.kind) ? 'lan' : 'cloud',
    should_backup: job.backup,
    needs_acknowledgement: job.kind !== 'lan-no-ack',
  }
}

/** The same job as `fieldjobs job create` arguments (the script comes on standard input). */
export function jobCreateArgs(job: PlannedJob, dataDir: string): string[] {
  const input = newJobInput(job)
  return [
    'job', 'create', '--site', job.site.name, '--description', input.description, '--script', '-',
    '--route', input.route as string, ...(job.backup ? ['--backup'] : []), ...(job.kind === 'lan-no-ack' ? ['--no-ack'] : []),
    '--data-dir', dataDir, '--json',
  ]
}

/** The weights of the mix: mostly LAN, a fifth cloud. */
const MIX: Array<[CrashJobKind, number]> = [
  ['lan', 30],
  ['lan-delay-first', 12],
  ['lan-delay-after', 12],
  ['lan-no-ack', 10],
  ['lan-fails', 6],
  ['cloud', 16],
  ['cloud-fails', 4],
  ['auto-offline', 10],
]

export interface CrashSites {
  /** LAN sites, each with its own lab router; the first also has a cloud twin. */
  lan: CrashSite[]
  /** Has a cloud twin and a router that refuses connections. */
  offline: CrashSite
}

export function planJob(n: number, sites: CrashSites, random: () => number): PlannedJob {
  const kind = pickWeighted(MIX, random)
  const lanSite = sites.lan[Math.floor(random() * sites.lan.length)] as CrashSite
  const site = kind === 'auto-offline' ? sites.offline : isCloudKind(kind) ? (sites.lan[0] as CrashSite) : lanSite
  // Backups only where they run on the LAN (a cloud backup is the device's business).
  const backup = isLanKind(kind) && kind !== 'lan-no-ack' && random() < 0.3
  return { n, kind, site, backup }
}

/** What the harness remembers of a job it created. */
export interface CreatedJob extends PlannedJob {
  id: string
  idempotency_key: string
  via: 'core' | 'cli'
  /** The round during which (or before which, 0) it was created. */
  round: number
}

export const createdFrom = (plan: PlannedJob, job: Pick<Job, 'id' | 'idempotency_key'>, via: CreatedJob['via'], round: number): CreatedJob => ({
  ...plan,
  id: job.id,
  idempotency_key: job.idempotency_key,
  via,
  round,
})

/** One of `choices`, each as likely as its weight. */
export function pickWeighted<T>(choices: ReadonlyArray<readonly [T, number]>, random: () => number): T {
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0)
  let pick = random() * total
  for (const [choice, weight] of choices) {
    pick -= weight
    if (pick < 0) return choice
  }
  return choices.at(-1)![0]
}
