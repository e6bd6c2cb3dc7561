// The command tree both front ends share: the API resolves `/ip/address/add` through it, the
// script resolver resolves `/ip address` + `add address=...` through it, and both end in the same
// verb handlers, so a script and an API client see the same validation and the same messages.
import { RouterTrap, TrapCategory } from '../contract'
import type { Menu } from '../menus/menu'

export interface VerbContext {
  readonly user: string
  readonly signal: AbortSignal
  /** `api` prints items as `!re`; `script` prints text lines (print, export). */
  readonly origin: 'api' | 'script'
  emitItem(attributes: Record<string, string>): void
  output(line: string): void
}

export interface VerbRequest {
  readonly args: ReadonlyMap<string, string>
  readonly queries: readonly string[]
}

export interface VerbResult {
  /** `!done =ret=` over the API, the command's value in a script. */
  readonly ret?: string
  /** A list value in scripts (`[find]`); joined with `;` for `ret`. */
  readonly list?: readonly string[]
}

export interface VerbSpec {
  /** Named arguments the verb accepts (dot names like `.id` and `.proplist` are always allowed). */
  readonly args: ReadonlySet<string>
  /** Script only: bare words that are switches (`print detail`, `export show-sensitive`). */
  readonly flags?: ReadonlySet<string>
  /** Script only: names for unnamed values in order (`set ether1 ...` -> `numbers`). */
  readonly positional?: readonly string[]
  /** Script only: accepts `where a=b and c=d` (equality terms become named arguments). */
  readonly where?: boolean
  /** Changes configuration (users in the `read` group may not run it). */
  readonly mutates?: boolean
  run(request: VerbRequest, ctx: VerbContext): VerbResult | Promise<VerbResult>
}

export class CommandNode {
  readonly children = new Map<string, CommandNode>()
  readonly verbs = new Map<string, VerbSpec>()
  menu?: Menu

  constructor(
    readonly path: string,
    readonly parent?: CommandNode,
  ) {}
}

export class CommandTree {
  readonly root = new CommandNode('')

  /** The node for `/ip/address`, created on demand. */
  node(path: string): CommandNode {
    let node = this.root
    for (const segment of path.split('/').filter(Boolean)) {
      let child = node.children.get(segment)
      if (!child) {
        child = new CommandNode(`${node.path}/${segment}`, node)
        node.children.set(segment, child)
      }
      node = child
    }
    return node
  }

  find(path: string): CommandNode | undefined {
    let node: CommandNode | undefined = this.root
    for (const segment of path.split('/').filter(Boolean)) node = node?.children.get(segment)
    return node
  }

  verb(path: string, name: string, spec: VerbSpec): void {
    this.node(path).verbs.set(name, spec)
  }

  /** API form: `/ip/address/add`. Unknown menu -> `no such command prefix`, unknown verb -> `no such command`. */
  resolveApi(command: string): VerbSpec {
    const segments = command.split('/').filter(Boolean)
    const verbName = segments.pop()
    let node = this.root
    for (const segment of segments) {
      const child = node.children.get(segment)
      if (!child) throw new RouterTrap('no such command prefix', TrapCategory.missingItemOrCommand)
      node = child
    }
    const verb = verbName === undefined ? undefined : node.verbs.get(verbName)
    if (!verb || verbName === undefined) {
      const prefixOnly = verbName !== undefined && node.children.has(verbName)
      throw new RouterTrap(
        node === this.root || prefixOnly ? 'no such command prefix' : 'no such command',
        TrapCategory.missingItemOrCommand,
      )
    }
    return verb
  }
}
