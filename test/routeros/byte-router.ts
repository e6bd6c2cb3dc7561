// A minimal SimulatedRouter for the client's tests: it keeps text as raw bytes (latin1 strings, as the
// lab's contract says), so the text policy can be checked byte for byte. The executor's tests use the
// lab's full simulator instead.
import { RouterTrap, TrapCategory, type ApiCommand, type CommandContext, type SimulatedRouter } from '../../src-main/lab/router/contract'

export class ByteRouter implements SimulatedRouter {
  /** The identity as the router stores it: one JS char per byte. */
  identityBytes: string
  readonly comments: string[] = []

  constructor(
    readonly version = '7.18.2',
    identity = 'byte-router',
  ) {
    this.identityBytes = identity
  }

  get identity(): string {
    return this.identityBytes
  }

  authenticate(user: string, password: string): boolean {
    return user === 'admin' && password === 'secret'
  }

  passwordOf(user: string): string | undefined {
    return user === 'admin' ? 'secret' : undefined
  }

  hasApiPolicy(): boolean {
    return true
  }

  async run(command: ApiCommand, ctx: CommandContext): Promise<Record<string, string>> {
    switch (command.command) {
      case '/system/identity/print':
        ctx.emitItem({ name: this.identityBytes })
        return {}
      case '/system/identity/set':
        this.identityBytes = command.attributes.get('name') ?? ''
        return {}
      case '/ip/address/print':
        return {}
      case '/ip/address/add':
        throw new RouterTrap('input does not match any value of interface', TrapCategory.argumentValueFailure)
      case '/slow':
        return new Promise((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => reject(new RouterTrap('interrupted', TrapCategory.executionInterrupted)))
        })
      default:
        throw new RouterTrap('no such command prefix', TrapCategory.missingItemOrCommand)
    }
  }
}
