// A small JSON map in a file only its owner may read (0600), as both file-backed secret stores keep
// theirs. Written whole, to a temporary file renamed over the old one, so a crash mid-write leaves
// the old file, never half of one. Read once and kept: a job reads its site's password every run,
// and parsing the whole file each time grew with the number of sites. The cache is checked against
// the file's identity (inode, size, change time), and a rename always brings a new inode, so a write
// by another process (the CLI beside the app) is seen at the next read.
import { chmodSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'

export class PrivateJsonFile<T> {
  private cached: { identity: string; value: Record<string, T> } | undefined

  constructor(readonly path: string) {}

  read(): Record<string, T> {
    const identity = this.identity()
    if (identity === undefined) return {}
    if (this.cached?.identity !== identity) {
      this.cached = { identity, value: JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, T> }
    }
    // A copy: callers change the map they get before writing it back.
    return { ...this.cached.value }
  }

  write(value: Record<string, T>): void {
    const temporary = `${this.path}.tmp`
    writeFileSync(temporary, JSON.stringify(value, null, 2), { mode: 0o600 })
    chmodSync(temporary, 0o600)
    renameSync(temporary, this.path)
    this.cached = undefined
  }

  private identity(): string | undefined {
    const stat = statSync(this.path, { bigint: true, throwIfNoEntry: false })
    return stat && `${stat.ino}:${stat.size}:${stat.ctimeNs}:${stat.mtimeNs}`
  }
}
