// A job with --backup gets a backup before its script and an after-snapshot once the script
// succeeded, both recorded for the job: `job show` lists them and names the diff of what the job
// changed; `backup diff` of the two shows exactly the job's change. Through the CLI, against the lab.
import { afterEach, describe, expect, it } from 'vitest'
import type { Backup } from '../../src-main/contract/ipc-contract'
import type { Job } from '../../src-main/contract/job-schema'
import { startLab, type Lab } from '../../src-main/lab/lab'
import { cli } from '../support/cli-harness'
import { useTempDirs } from '../support/temp-dirs'

const tempDir = useTempDirs()
let lab: Lab | undefined
afterEach(async () => {
  await lab?.close()
  lab = undefined
})

describe('what a job changed', () => {
  it('job create --backup records before and after; job show lists them; the diff is the change', async () => {
    lab = await startLab({ routers: 1 })
    const router = lab.routers[0]!
    const common = ['--data-dir', tempDir()]
    const added = await cli(['site', 'add', '--name', 'office', '--host', router.host, '--port', String(router.port), '--user', router.user, '--password-env', 'PW', ...common], {
      env: { PW: router.password },
    })
    expect(added.code, added.stderr).toBe(0)
    const created = await cli(['job', 'create', '--site', 'office', '--description', 'add an address', '--script', '-', '--backup', '--json', ...common], {
      stdin: '/ip address add address=10.10.10.1/24 interface=ether2\n',
    })
    const job = created.json<Job>()
    const ran = await cli(['run', '--once', ...common])
    expect(ran.stdout).toMatch(new RegExp(`^  ${job.token}  after-snapshot saved as backup 2: `, 'm'))

    const shown = (await cli(['job', 'show', job.token, '--json', ...common])).json<Job & { backups: Backup[] }>()
    expect(shown.backups.map((backup) => [backup.job_id, backup.changed])).toEqual([
      [job.id, true],
      [job.id, true],
    ])
    expect(shown.backups[0]!.path).toBe(shown.associated_backup)
    const [before, after] = shown.backups
    const text = await cli(['job', 'show', job.token, ...common])
    expect(text.stdout).toContain(`${'changed'.padEnd(16)}fieldjobs backup diff ${before!.id} ${after!.id}\n`)

    // backup list names the job by its token, the handle job show and job list use.
    const listed = await cli(['backup', 'list', ...common])
    expect(listed.stdout.split('\n').filter((line) => line.includes(`\t${job.token}\t`))).toHaveLength(2)

    const diff = await cli(['backup', 'diff', String(before!.id), String(after!.id), ...common])
    const changes = diff.stdout.split('\n').filter((line) => /^[-+][^-+]/.test(line))
    expect(changes).toEqual(['+add address=10.10.10.1/24 interface=ether2 network=10.10.10.0'])

    // A failed script gets no after-snapshot: only the backup from before.
    const failing = (
      await cli(['job', 'create', '--site', 'office', '--description', 'typo', '--script', '-', '--backup', '--json', ...common], {
        stdin: '/ip address add address=10.2.2.1/24 interface=ether99\n',
      })
    ).json<Job>()
    await cli(['run', '--once', ...common])
    const failed = (await cli(['job', 'show', failing.token, '--json', ...common])).json<Job & { backups: Backup[] }>()
    expect(failed.status).toBe('failed')
    expect(failed.backups).toHaveLength(1)
  })
})
