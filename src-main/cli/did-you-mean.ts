// "did you mean ...?" for a mistyped command, as git answers `git sttaus`. Engineers type fast on a
// laptop in a rack room; a near miss should say what was meant instead of only printing the usage.

/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) (rows[0] as number[])[j] = j
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[]
    const previous = rows[i - 1] as number[]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row[j] = Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, (previous[j - 1] as number) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((rows[i - 2] as number[])[j - 2] as number) + 1)
      }
    }
  }
  return (rows[a.length] as number[])[b.length] as number
}

/** `word` and `candidate` where one starts the other (`bat` and batch, `username` and user). */
const startsEitherWay = (typed: string, candidate: string) =>
  (typed.length >= 2 && candidate.startsWith(typed)) || (candidate.length >= 3 && typed.startsWith(candidate))

/**
 * The candidates closest to `word`, when any is close enough to be what was meant: at most two edits
 * (one for words of up to four letters, so `xyz` suggests nothing), or one starts the other.
 */
export function closestTo(word: string, candidates: readonly string[]): string[] {
  const typed = word.toLowerCase()
  const allowed = typed.length <= 4 ? 1 : 2
  const scored = candidates
    .map((candidate) => ({ candidate, distance: startsEitherWay(typed, candidate) ? 0 : editDistance(typed, candidate) }))
    .filter(({ distance }) => distance <= allowed)
  const best = Math.min(...scored.map(({ distance }) => distance))
  return scored.filter(({ distance }) => distance === best).map(({ candidate }) => candidate)
}

/** ` (did you mean "site"?)`, or nothing when no candidate is close; `shown` writes a candidate as typed (a flag's `--`). */
export function didYouMean(word: string, candidates: readonly string[], shown = (candidate: string) => candidate): string {
  const closest = closestTo(word, candidates)
  if (closest.length === 0) return ''
  return ` (did you mean ${closest.map((candidate) => `"${shown(candidate)}"`).join(' or ')}?)`
}
