// Detects changes that would cut the lab client's API access, so lockout tests can drop the
// connection the way a real router would. Deliberately simple, and documented as such:
// - the `api` or `api-ssl` service becomes disabled or changes port (the change names which, so a
//   lab server cuts only the connections of the service it serves);
// - the management address (the one the client connects to) no longer sits, enabled, on an
//   existing enabled interface;
// - an enabled `/ip/firewall/filter` rule appears with chain=input, action drop/reject/tarpit,
//   protocol=tcp and a dst-port covering the api or api-ssl port. Rule order, src-address and
//   in-interface are ignored: a rule that might block counts as blocking.
import type { RouterTables } from './menus/catalog'
import { formatId } from './menus/table'

export type AccessChangeReason = 'service-disabled' | 'service-port-changed' | 'address-removed' | 'firewall-blocks-api'

export interface AccessChange {
  readonly reason: AccessChangeReason
  /** Human words for logs and test failures. */
  readonly detail: string
  /** The service a service change concerns; absent for a change that cuts both (address, firewall). */
  readonly service?: 'api' | 'api-ssl'
}

interface ServiceState {
  readonly enabled: boolean
  readonly port: number
}

export interface AccessSnapshot {
  readonly services: Readonly<Record<'api' | 'api-ssl', ServiceState | undefined>>
  readonly addressReachable: boolean
  /** Ids of rules that block an api port. */
  readonly blockingRules: ReadonlySet<string>
}

const BLOCKING_ACTIONS = new Set(['drop', 'reject', 'tarpit'])

/** Whether a RouterOS port list (`8728`, `8000-9000,22`) covers a port. */
export function portListCovers(list: string, port: number): boolean {
  return list.split(',').some((part) => {
    const [low, high = low] = part.split('-').map(Number)
    return port >= low && port <= high
  })
}

export function accessSnapshot(tables: RouterTables, managementAddress: string): AccessSnapshot {
  const service = (name: 'api' | 'api-ssl'): ServiceState | undefined => {
    const item = tables.services.items.find((candidate) => candidate.values.name === name)
    return item && { enabled: item.values.disabled !== 'true', port: Number(item.values.port) }
  }
  const services = { api: service('api'), 'api-ssl': service('api-ssl') }
  const addressReachable = tables.addresses.items.some((item) => {
    if (item.values.disabled === 'true' || item.values.address?.split('/')[0] !== managementAddress) return false
    const target = tables.interfaceById(item.values.interface)
    return target !== undefined && target.values.disabled !== 'true'
  })
  const ports = Object.values(services)
    .filter((state): state is ServiceState => state?.enabled === true)
    .map((state) => state.port)
  const blockingRules = new Set(
    tables.filter.items
      .filter(
        ({ values }) =>
          values.chain === 'input' &&
          BLOCKING_ACTIONS.has(values.action) &&
          values.disabled !== 'true' &&
          values.protocol === 'tcp' &&
          values['dst-port'] !== undefined &&
          ports.some((port) => portListCovers(values['dst-port'], port)),
      )
      .map((item) => formatId(item.id)),
  )
  return { services, addressReachable, blockingRules }
}

/** What got worse between two snapshots (improvements are not reported). */
export function accessLosses(before: AccessSnapshot, after: AccessSnapshot): AccessChange[] {
  const changes: AccessChange[] = []
  for (const name of ['api', 'api-ssl'] as const) {
    const was = before.services[name]
    const now = after.services[name]
    if (!was?.enabled) continue
    if (!now?.enabled) changes.push({ reason: 'service-disabled', detail: `${name} service disabled`, service: name })
    else if (now.port !== was.port)
      changes.push({ reason: 'service-port-changed', detail: `${name} port ${was.port} -> ${now.port}`, service: name })
  }
  if (before.addressReachable && !after.addressReachable)
    changes.push({ reason: 'address-removed', detail: 'management address removed, moved or disabled' })
  for (const id of after.blockingRules)
    if (!before.blockingRules.has(id)) changes.push({ reason: 'firewall-blocks-api', detail: `filter rule ${id} drops the api port` })
  return changes
}
