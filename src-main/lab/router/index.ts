// The simulated MikroTik router behind the lab's wire server (see contract.ts for the boundary).
import { LabRouter, type LabRouterOptions } from './model'

export { LabRouter, type LabRouterOptions, type UserGroup } from './model'
export type { AccessChange, AccessChangeReason } from './access'
export { parseVersion, traitsOf, type VersionTraits } from './version'
export { compareRouterOsVersions, isVersionAtLeast } from '../routeros-version'
export { fromByteString, toByteString, type LabTextEncoding } from './text'
export { runScript, describeFailure, type ScriptRun, type ScriptFailure, type ScriptHost } from './script'
export { withoutHeader } from './export'
export * from './contract'

export function createSimulatedRouter(options: LabRouterOptions): LabRouter {
  return new LabRouter(options)
}
