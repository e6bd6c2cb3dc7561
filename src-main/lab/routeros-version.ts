// RouterOS version arithmetic for the behaviours that changed between releases (`!empty` since 7.18,
// the challenge login before 6.43 and gone in 6.45.1).

/**
 * The RouterOS a lab router runs unless told otherwise, and the one `fieldjobs job create` lints
 * against. Here, not in lab.ts, so the lint loads the router model without the lab's servers.
 */
export const DEFAULT_LAB_VERSION = '7.18.2'

interface ParsedVersion {
  readonly parts: readonly [number, number, number]
  /** 0 beta, 1 rc, 2 release: 7.18beta4 < 7.18rc1 < 7.18. */
  readonly stage: number
  readonly stageNumber: number
}

const VERSION = /^\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(beta|rc)(\d+)?)?/i

export function parseRouterOsVersion(version: string): ParsedVersion {
  // `7.11.2 (stable)` as printed by /system/resource: the channel in brackets is ignored.
  const match = VERSION.exec(version)
  if (!match) throw new RangeError(`not a RouterOS version: ${JSON.stringify(version)}`)
  const stageName = match[4]?.toLowerCase()
  return {
    parts: [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)],
    stage: stageName === 'beta' ? 0 : stageName === 'rc' ? 1 : 2,
    stageNumber: Number(match[5] ?? 0),
  }
}

/** Negative when a < b, 0 when equal, positive when a > b. */
export function compareRouterOsVersions(a: string, b: string): number {
  const left = parseRouterOsVersion(a)
  const right = parseRouterOsVersion(b)
  for (let i = 0; i < 3; i++) {
    const diff = left.parts[i] - right.parts[i]
    if (diff !== 0) return diff
  }
  return left.stage - right.stage || left.stageNumber - right.stageNumber
}

export function isVersionAtLeast(version: string, minimum: string): boolean {
  return compareRouterOsVersions(version, minimum) >= 0
}

/** RouterOS 7.18 and later answer a print that found nothing with `!empty` before `!done`. */
export function answersEmptyPrint(version: string): boolean {
  return isVersionAtLeast(version, '7.18')
}
