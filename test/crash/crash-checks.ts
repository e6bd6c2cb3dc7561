// The verdict of a crash run, measured at the peers: how often each job's change is on the routers
// (re-runs), how many jobs the cloud fake created per job (duplicates), and whether the state the
// database shows tells the truth about both. A pure function, so its rules are tested on their own.
import { isFinished, type JobStatus } from '../../src-main/contract/job-schema'
import { type CreatedJob, isLanKind } from './crash-jobs'

/** A job's row as the harness reads it back from the database at the end. */
export interface StoredJob {
  id: string
  status: JobStatus
  sync_state: string
  cloud_job_id: string | null
  error_message: string | null
}

/** A job as the cloud fake holds it (undefined once deleted by a cancel). */
export interface CloudJobSeen {
  id: string
  started_at: string | null
  completed_at: string | null
  failed_at: string | null
}

export interface CrashEvidence {
  created: CreatedJob[]
  stored: Map<string, StoredJob>
  /** How many rules commented crash-<n> each router holds: effects(n)[routerIndex]. */
  effects(n: number): number[]
  /** Harness numbers of every crash-<n> rule on any router (to catch changes of no known job). */
  numbersOnRouters: number[]
  /** The fake's creates per idempotency key. */
  cloudCreatesByKey: Record<string, number>
  /** The fake's jobs per harness number (from their description), deleted ones excluded. */
  cloudJobsByNumber: Map<number, number>
  cloudJobByKey(key: string): CloudJobSeen | undefined
  /** Ids of jobs that were in progress (or canceling) in a child when it was killed. */
  interrupted: Set<string>
}

export interface CrashProblem {
  n: number
  id: string
  kind: string
  status: string
  problem: string
}

export interface CrashVerdict {
  jobs: number
  lost: number
  duplicates: number
  re_runs: number
  by_status: Record<string, number>
  unknown: number
  /** Of the unknown jobs, those whose change the router holds: the script did run before the kill. */
  unknown_ran: number
  problems: CrashProblem[]
}

export function judgeCrashRun(evidence: CrashEvidence): CrashVerdict {
  const problems: CrashProblem[] = []
  const byStatus: Record<string, number> = {}
  let lost = 0
  let duplicates = 0
  let reRuns = 0
  let unknownRan = 0
  const known = new Set<number>()

  for (const job of evidence.created) {
    known.add(job.n)
    const row = evidence.stored.get(job.id)
    const report = (problem: string) =>
      problems.push({ n: job.n, id: job.id, kind: job.kind, status: row?.status ?? 'missing', problem })
    if (!row) {
      lost++
      report(`created in round ${job.round} (via ${job.via}) but not in the database at the end`)
      continue
    }
    byStatus[row.status] = (byStatus[row.status] ?? 0) + 1

    const perRouter = evidence.effects(job.n)
    const onItsRouter = perRouter[job.site.router] ?? 0
    const elsewhere = perRouter.reduce((sum, count) => sum + count, 0) - onItsRouter
    const cloudCreates = evidence.cloudCreatesByKey[job.idempotency_key] ?? 0
    const cloudJobs = evidence.cloudJobsByNumber.get(job.n) ?? 0
    const onCloud = evidence.cloudJobByKey(job.idempotency_key)
    const interrupted = evidence.interrupted.has(job.id)

    if (onItsRouter > 1) {
      reRuns++
      report(`its change is on router ${job.site.router + 1} ${onItsRouter} times: the script ran more than once`)
    }
    if (elsewhere > 0) report(`its change is on another router ${elsewhere} time(s)`)
    if (cloudCreates > 1 || cloudJobs > 1) {
      duplicates++
      report(`the cloud created it ${Math.max(cloudCreates, cloudJobs)} times (per key: ${cloudCreates}, per job: ${cloudJobs})`)
    }
    if (!isFinished(row.status)) {
      lost++
      report(`still ${row.status} (sync ${row.sync_state}) after the final quiet run: it would wait forever`)
      continue
    }
    if (row.status === 'unknown' && !interrupted) report('unknown, but no kill ever caught it running')
    // Its worker died mid-run: nobody saw the outcome, so any other ending was guessed (or re-run).
    if (interrupted && row.status !== 'unknown') report(`a kill caught it running, yet it ended ${row.status}`)

    if (isLanKind(job.kind)) {
      if (cloudCreates > 0 || cloudJobs > 0) report('a LAN job reached the cloud')
      switch (row.status) {
        case 'completed':
          if (job.kind === 'lan-fails') report('completed, but its script fails on line 1')
          if (onItsRouter !== 1) report(`completed, but its change is on the router ${onItsRouter} times (must be once)`)
          break
        case 'failed':
          if (onItsRouter !== 0) report(`failed, but its change is on the router ${onItsRouter} time(s)`)
          if (job.kind !== 'lan-fails') report(`failed, though nothing in the harness makes it fail: ${row.error_message}`)
          break
        case 'canceled':
          if (onItsRouter !== 0) report(`canceled, but its change is on the router ${onItsRouter} time(s)`)
          break
        case 'unknown':
          // Truthful whether or not the router ran it; only more than once is wrong (counted above).
          if (onItsRouter > 0) unknownRan++
          break
        default:
          report(`ended ${row.status}, which a LAN job of this harness cannot reach`)
      }
      continue
    }

    // Cloud jobs: the cloud fake is the only place they may run.
    if (onItsRouter > 0) report(`a cloud job's change is on the router ${onItsRouter} time(s)`)
    switch (row.status) {
      case 'completed':
        if (job.kind === 'cloud-fails') report('completed, but the cloud device fails its script')
        if (!onCloud?.completed_at) report(`completed, but the cloud ${onCloud ? 'has not completed it' : 'does not hold it'}`)
        else if (row.cloud_job_id !== onCloud.id) report(`its cloud id ${row.cloud_job_id} is not the cloud's ${onCloud.id}`)
        break
      case 'failed':
        if (!onCloud?.failed_at) report(`failed, but the cloud ${onCloud ? 'did not fail it' : 'does not hold it'}: ${row.error_message}`)
        break
      case 'canceled':
        if (onCloud) report(`canceled, but the cloud still holds it (${onCloud.completed_at ? 'completed' : onCloud.started_at ? 'started' : 'waiting'})`)
        break
      case 'unknown':
        // Only a route-auto job caught during its LAN attempt; it then never reached the cloud.
        if (job.kind !== 'auto-offline') report('a cloud-route job cannot be interrupted on the LAN')
        if (cloudCreates > 0) report('unknown after its LAN attempt, yet the cloud created it')
        break
      default:
        report(`ended ${row.status}, which a cloud job of this harness cannot reach`)
    }
  }

  for (const n of new Set(evidence.numbersOnRouters)) {
    if (!known.has(n)) problems.push({ n, id: '-', kind: '-', status: '-', problem: 'a router holds the change of a job the harness never created' })
  }
  for (const n of evidence.cloudJobsByNumber.keys()) {
    if (!known.has(n)) problems.push({ n, id: '-', kind: '-', status: '-', problem: 'the cloud holds a job the harness never created' })
  }

  return {
    jobs: evidence.created.length,
    lost,
    duplicates,
    re_runs: reRuns,
    by_status: byStatus,
    unknown: byStatus.unknown ?? 0,
    unknown_ran: unknownRan,
    problems,
  }
}
