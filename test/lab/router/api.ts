// Test helper: drive a LabRouter the way the wire server does, collecting `!re` items.
import { type ApiCommand, createSimulatedRouter, type LabRouter, type LabRouterOptions } from '../../../src-main/lab/router'

export interface Reply {
  readonly items: Record<string, string>[]
  readonly done: Record<string, string>
}

/** `api(router, '/ip/address/add', { address: '...' }, ['type=ether'])` */
export async function api(
  router: LabRouter,
  command: string,
  attributes: Record<string, string> = {},
  queries: string[] = [],
  options: { user?: string; signal?: AbortSignal } = {},
): Promise<Reply> {
  const items: Record<string, string>[] = []
  const request: ApiCommand = { command, attributes: new Map(Object.entries(attributes)), queries }
  const done = await router.run(request, {
    user: options.user ?? 'admin',
    signal: options.signal ?? new AbortController().signal,
    emitItem: (item) => items.push(item),
  })
  return { items, done }
}

export function labRouter(overrides: Partial<LabRouterOptions> = {}): LabRouter {
  return createSimulatedRouter({ identity: 'lab-router-1', version: '7.18.2', password: 'secret', ...overrides })
}
