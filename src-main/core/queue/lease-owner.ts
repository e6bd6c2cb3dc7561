// Who holds a lease: host, process id and a random part. After a crash the next start can tell at
// once that a lease's process is gone (same host, no such pid) instead of waiting for it to expire.
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'

export const newLeaseOwner = () => `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`

export function isLeaseOwnerGone(owner: string): boolean {
  const [host, pidText] = owner.split('/')
  if (host !== hostname()) return false
  const pid = Number(pidText)
  if (!Number.isInteger(pid) || pid <= 0) return false
  if (pid === process.pid) return false
  try {
    process.kill(pid, 0)
    return false
  } catch (error) {
    // EPERM: the process exists but is not ours to signal, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}
