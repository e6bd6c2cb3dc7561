// Fleet: one templated change to 100 lab routers (each answers after 5-50 ms), end to end from one
// `fieldjobs batch create` to all results stored (`fieldjobs run --once` exits), side by side in
// the same run with Ansible's community.routeros doing the same change to the same routers
// (api_modify on /system identity, forks 50; Debian's `ansible`, as .ci/run installs it). Both are
// real processes started the way a user starts them; the routers are counted afterwards: a change
// is only counted when the router's identity is what that run set.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { promisify } from 'node:util'
import { FieldjobsCore } from '../src-main/core/app/fieldjobs-core'
import { startLab } from '../src-main/lab/lab'
import { run as discoverBench } from './discover'
import { median, round } from './stats'

const exec = promisify(execFile)
const ROUTERS = 100
const RUNS = 3
const FORKS = 50
const LATENCY_MS: [number, number] = [5, 50]
const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'fieldjobs.js')

export async function run(): Promise<Record<string, unknown>> {
  const lab = await startLab({ routers: ROUTERS, latencyMs: LATENCY_MS })
  const work = mkdtempSync(join(tmpdir(), 'fieldjobs-bench-fleet-'))
  try {
    const dataDir = join(work, 'data')
    // The sites, as `site add` would make them (not measured); the batch's concurrency matches forks.
    const core = FieldjobsCore.open({ dataDir })
    lab.routers.forEach((router, index) =>
      core.addSite({ name: `r${index + 1}`, host: router.host, api_port: router.port, username: router.user, password: router.password, tags: ['fleet'] }),
    )
    await core.close(100)
    const env = { ...process.env, FIELDJOBS_DATA_DIR: dataDir }
    // As many routers at once as Ansible's forks: the queue's limit, not only the batch's.
    await exec(process.execPath, [BIN, 'settings', 'set', 'concurrency', String(FORKS)], { env })

    const inventory = join(work, 'inventory.ini')
    writeFileSync(
      inventory,
      `[routers]\n${lab.routers.map((router, index) => `r${index + 1} ansible_host=${router.host} api_port=${router.port}`).join('\n')}\n\n` +
        `[routers:vars]\nansible_connection=local\nansible_python_interpreter=/usr/bin/python3\n`,
    )
    const play = join(work, 'identity.yml')
    writeFileSync(
      play,
      `- hosts: routers\n  gather_facts: false\n  tasks:\n    - community.routeros.api_modify:\n` +
        `        hostname: "{{ ansible_host }}"\n        port: "{{ api_port }}"\n        username: ${lab.routers[0]!.user}\n` +
        `        password: ${lab.routers[0]!.password}\n        tls: false\n        path: system identity\n` +
        `        data:\n          - name: "{{ label }}-{{ inventory_hostname }}"\n`,
    )
    const changed = (label: string) => lab.routers.filter((router, index) => router.router.identity === `${label}-r${index + 1}`).length

    const fieldjobs: number[] = []
    const ansible: number[] = []
    const changedOnRouters = { fieldjobs: [] as number[], ansible: [] as number[] }
    for (let round_ = 1; round_ <= RUNS; round_++) {
      const script = join(work, `change-${round_}.rsc`)
      writeFileSync(script, `/system identity set name="fj${round_}-{{site.name}}"\n`)
      const started = performance.now()
      await exec(process.execPath, [BIN, 'batch', 'create', '--script', script, '--description', `fleet round ${round_}`, '--tag', 'fleet', '--route', 'lan', '--concurrency', String(FORKS)], { env })
      await exec(process.execPath, [BIN, 'run', '--once'], { env: { ...env }, maxBuffer: 64 * 1024 * 1024 }).catch((error: { code?: number }) => {
        if (error.code !== 1) throw error // 1: a job failed; counted on the routers below.
      })
      fieldjobs.push((performance.now() - started) / 1000)
      changedOnRouters.fieldjobs.push(changed(`fj${round_}`))

      const ansibleStarted = performance.now()
      await exec('ansible-playbook', ['-i', inventory, '-f', String(FORKS), play, '-e', `label=an${round_}`], {
        env: { ...process.env, ANSIBLE_HOST_KEY_CHECKING: 'false', ANSIBLE_NOCOLOR: '1' },
        maxBuffer: 64 * 1024 * 1024,
      })
      ansible.push((performance.now() - ansibleStarted) / 1000)
      changedOnRouters.ansible.push(changed(`an${round_}`))
    }
    const discover = await discoverBench()
    const fieldjobsS = median(fieldjobs)
    const ansibleS = median(ansible)
    return {
      fieldjobs_s: round(fieldjobsS, 2),
      ansible_s: round(ansibleS, 2),
      ratio: round(ansibleS / fieldjobsS, 2),
      changed_on_routers: Math.min(...changedOnRouters.fieldjobs, ...changedOnRouters.ansible),
      changed_on_routers_by_run: changedOnRouters,
      discover_s: discover.discover_s,
      routers: ROUTERS,
      latency_ms: LATENCY_MS,
      forks: FORKS,
      runs: { fieldjobs_s: fieldjobs.map((s) => round(s, 2)), ansible_s: ansible.map((s) => round(s, 2)) },
      goals: { ratio: '>= 5', changed_on_routers: '100 for both', discover_s: '<= 2' },
    }
  } finally {
    await lab.close()
    rmSync(work, { recursive: true, force: true })
  }
}

