// A tiny SimulatedRouter for the wire server's tests, so the server is tested apart from the real
// simulator in src-main/lab/router.
import { RouterTrap, TrapCategory, type ApiCommand, type CommandContext, type SimulatedRouter } from '../../src-main/lab/router/contract'

export interface FakeRouterOptions {
  identity?: string
  version?: string
  users?: Record<string, { password: string; api?: boolean }>
  addresses?: Array<Record<string, string>>
}

export class FakeRouter implements SimulatedRouter {
  readonly identity: string
  readonly version: string
  readonly users: Record<string, { password: string; api?: boolean }>
  addresses: Array<Record<string, string>>
  /** Commands received, in order. */
  readonly commands: ApiCommand[] = []
  /** Commands whose signal was aborted, in order. */
  readonly aborted: string[] = []
  private abortWaiters: Array<() => void> = []

  constructor(options: FakeRouterOptions = {}) {
    this.identity = options.identity ?? 'fake-router'
    this.version = options.version ?? '7.18.2'
    this.users = options.users ?? { admin: { password: 'secret' }, viewer: { password: 'view', api: false } }
    this.addresses = options.addresses ?? []
  }

  authenticate(user: string, password: string): boolean {
    return this.users[user]?.password === password
  }

  passwordOf(user: string): string | undefined {
    return this.users[user]?.password
  }

  hasApiPolicy(user: string): boolean {
    return this.users[user]?.api !== false
  }

  /** Resolves when `count` commands have seen their signal abort. */
  async abortedAtLeast(count: number): Promise<string[]> {
    while (this.aborted.length < count) await new Promise<void>((resolve) => this.abortWaiters.push(resolve))
    return this.aborted
  }

  async run(command: ApiCommand, ctx: CommandContext): Promise<Record<string, string>> {
    this.commands.push(command)
    ctx.signal.addEventListener('abort', () => {
      this.aborted.push(command.command)
      const waiters = this.abortWaiters
      this.abortWaiters = []
      for (const wake of waiters) wake()
    })
    switch (command.command) {
      case '/system/identity/print':
        ctx.emitItem({ name: this.identity })
        return {}
      case '/ip/address/print':
        for (const address of this.addresses) ctx.emitItem(address)
        return {}
      case '/interface/print':
        if (command.attributes.has('count-only')) return { ret: '3' }
        ctx.emitItem({ '.id': '*1', name: 'ether1', type: 'ether', comment: '' })
        ctx.emitItem({ '.id': '*2', name: 'ether2', type: 'ether', comment: 'uplink' })
        ctx.emitItem({ '.id': '*3', name: 'vlan10', type: 'vlan', comment: '' })
        return {}
      case '/interface/listen':
        // Runs until cancelled, like a real listen.
        return new Promise((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => reject(new RouterTrap('interrupted', TrapCategory.executionInterrupted)))
        })
      case '/stuck':
        // A command that ignores its signal: /cancel must still produce the documented ending.
        return new Promise(() => {})
      case '/interface/set':
        return {}
      case '/ip/address/add': {
        if (command.attributes.get('interface') !== 'ether1') {
          throw new RouterTrap('input does not match any value of interface', TrapCategory.argumentValueFailure)
        }
        return { ret: '*A' }
      }
      case '/echo':
        // Echoes attributes back as one item: shows how words were split.
        ctx.emitItem(Object.fromEntries(command.attributes))
        return {}
      case '/trap-no-category':
        throw new RouterTrap('plain failure')
      case '/bug':
        throw new TypeError('simulated bug')
      default:
        throw new RouterTrap('no such command prefix', TrapCategory.missingItemOrCommand)
    }
  }
}
