// RouterOS version arithmetic and the behaviours that hinge on it. Everything version-dependent in
// the lab asks `traitsOf(version)` instead of comparing strings, so one table says what changed when.
import { answersEmptyPrint, isVersionAtLeast, parseRouterOsVersion } from '../routeros-version'

export interface RouterOsVersion {
  readonly major: number
  readonly minor: number
  readonly patch: number
}

/** Parses `7.18.2`, `6.49.10`, `7.17`, and the behaviour names `7.18+` / `6.49.x` (suffixes ignored). */
export function parseVersion(text: string): RouterOsVersion {
  const [major, minor, patch] = parseRouterOsVersion(text).parts
  return { major, minor, patch }
}

/** A behaviour name like `7.18+` or `6.49.x` becomes a concrete release the router reports. */
export function concreteVersion(text: string): string {
  const v = parseVersion(text)
  if (/^\d+\.\d+\.\d+$/.test(text.trim())) return text.trim()
  if (/^\d+\.\d+$/.test(text.trim())) return text.trim()
  // `6.49.x` -> the last 6.49 long-term; `7.18+` -> 7.18.2 (the note's example).
  if (v.major === 6) return `${v.major}.${v.minor}.10`
  return `${v.major}.${v.minor}.2`
}

export interface VersionTraits {
  readonly version: string
  readonly major: number
  /** v7 prints booleans as `true`/`false`, v6 as `yes`/`no`; both accept either on input. */
  readonly printTrue: string
  readonly printFalse: string
  /** `/execute =as-string=` exists on v7 only; v6 answers `unknown parameter`. */
  readonly executeAsString: boolean
  /** Scheduler, clock and export header dates are ISO (`2023-07-14`) since 7.10, `jul/14/2023` before. */
  readonly isoDates: boolean
  /** `/export show-sensitive` exists on v7 only. */
  readonly showSensitive: boolean
  /** 7.18+ answers an empty print with `!empty` (the wire server emits it; recorded here for it). */
  readonly emptyReply: boolean
  /** `/file/add` exists on v7. */
  readonly fileAdd: boolean
  /** 7.17 made `/ip cloud ddns-enabled` `auto|yes` (default auto: on while Back To Home is); before, `yes|no`. */
  readonly ddnsAuto: boolean
  /** Release channel printed after the version in /system/resource. */
  readonly channel: 'stable' | 'long-term'
}

export function traitsOf(version: string): VersionTraits {
  const v7 = isVersionAtLeast(version, '7.0')
  return {
    version,
    major: parseVersion(version).major,
    printTrue: v7 ? 'true' : 'yes',
    printFalse: v7 ? 'false' : 'no',
    executeAsString: v7,
    isoDates: isVersionAtLeast(version, '7.10'),
    showSensitive: v7,
    emptyReply: answersEmptyPrint(version),
    fileAdd: v7,
    ddnsAuto: isVersionAtLeast(version, '7.17'),
    channel: v7 ? 'stable' : 'long-term',
  }
}
