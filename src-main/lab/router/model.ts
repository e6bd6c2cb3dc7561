// The simulated router: state (tables and menus), the command tree both front ends share, script
// jobs, the scheduler, and the hooks the lab server and tests use (access changes, reboots).
import { accessLosses, type AccessChange, accessSnapshot, type AccessSnapshot } from './access'
import { registerMenuVerbs, registerMove } from './commands/menu-verbs'
import { registerSystemVerbs, type StartedScript, type SystemHost } from './commands/system-verbs'
import { CommandTree, type VerbContext } from './commands/tree'
import { type ApiCommand, type CommandContext, RouterTrap, type SimulatedRouter } from './contract'
import { seedDefaultConfiguration, seedSoftwareDefaults } from './defconf'
import { type ExportOptions, renderExport, withoutHeader } from './export'
import { type DeviceFacts, deviceFacts } from './facts'
import { ScriptJobs } from './jobs'
import { buildMenus, FULL_POLICY, RouterTables, USER_GROUPS } from './menus/catalog'
import type { FieldEnv } from './menus/field'
import type { Menu } from './menus/menu'
import { formatId, type Item } from './menus/table'
import { describeFailure, runScript, type RunScriptOptions, type ScriptHost, type ScriptRun, type ScriptValue } from './script'
import { SchedulerRunner } from './scheduler'
import { type LabTextEncoding, toByteString } from './text'
import { formatDateTime, globalTimers, type LabTimers, sleep } from './time'
import { concreteVersion, traitsOf, type VersionTraits } from './version'

export type UserGroup = (typeof USER_GROUPS)[number]

export interface LabRouterOptions {
  /** Human text; encoded to bytes with `textEncoding`. */
  readonly identity: string
  /** `7.18.2`, `7.17`, `6.49.10`, or a behaviour name like `7.18+` / `6.49.x`. */
  readonly version: string
  /** Extra users (or `admin` with another password/group). */
  readonly users?: ReadonlyArray<{ name: string; password: string; group?: 'full' | 'read' | 'noapi' }>
  /** The default `admin` user's password (default empty, as on an unconfigured router). */
  readonly password?: string
  /** Drives serial number, MACs, software id and uptime. Default 1. */
  readonly seed?: number
  /** Router clock (ms since epoch, UTC). Default Date.now, which vitest fake timers also move. */
  readonly now?: () => number
  /** Timers for `:delay` and the scheduler. Default: the global timers, looked up at each call. */
  readonly timers?: LabTimers
  /** How `identity` and user names/passwords become bytes. Default `utf-8`. */
  readonly textEncoding?: LabTextEncoding
  /** Seed MikroTik's default configuration (bridge, LAN address, firewall). Default true. */
  readonly defaultConfig?: boolean
  /** The address the lab client connects to, watched for access changes. Default `192.168.88.1`. */
  readonly managementAddress?: string
}

export class LabRouter implements SimulatedRouter, ScriptHost, SystemHost {
  readonly version: string
  readonly traits: VersionTraits
  readonly facts: DeviceFacts
  readonly tables = new RouterTables()
  readonly menus: ReadonlyMap<string, Menu>
  readonly commands = new CommandTree()
  readonly globals = new Map<string, ScriptValue>()
  readonly jobs: ScriptJobs
  readonly scheduler: SchedulerRunner
  readonly textEncoding: LabTextEncoding
  private readonly clock: () => number
  private readonly timerPort: LabTimers | undefined
  private bootedAt: number
  private uptimeAtBoot: number
  private managementAddress: string
  private accessBefore: AccessSnapshot
  private resetting = false
  /** The last reset's run-after-reset script (a restore), so tests can wait for it to end. */
  private afterReset: Promise<void> = Promise.resolve()
  private readonly accessListeners = new Set<(change: AccessChange) => void>()
  private readonly rebootListeners = new Set<() => void>()

  constructor(private readonly options: LabRouterOptions) {
    this.version = concreteVersion(options.version)
    this.traits = traitsOf(this.version)
    this.facts = deviceFacts(options.seed ?? 1)
    this.textEncoding = options.textEncoding ?? 'utf-8'
    this.clock = options.now ?? (() => Date.now())
    this.timerPort = options.timers
    this.bootedAt = this.clock()
    this.uptimeAtBoot = this.facts.initialUptimeMs
    this.managementAddress = options.managementAddress ?? '192.168.88.1'

    const env: FieldEnv = {
      traits: this.traits,
      interfaceIdByName: (name) => {
        const item = this.tables.interfaces.items.find((candidate) => candidate.values.name === name)
        return item && formatId(item.id)
      },
      interfaceNameById: (id) => this.tables.interfaceById(id)?.values.name,
    }
    this.jobs = new ScriptJobs(this.tables.jobs, () => this.timestamp())
    this.scheduler = new SchedulerRunner(this.tables.scheduler, {
      now: () => this.now(),
      timers: () => this.timers(),
      fire: (item) => this.fireScheduler(item),
    })
    this.menus = buildMenus({
      tables: this.tables,
      env,
      traits: this.traits,
      facts: this.facts,
      now: () => this.now(),
      uptimeMs: () => this.uptimeMs(),
      nextRunOf: (values) => {
        const item = this.tables.scheduler.items.find((candidate) => candidate.values === values)
        return item ? this.scheduler.armedTarget(item.id) : undefined
      },
      stopJob: (item) => this.jobs.stop(item),
    })
    for (const menu of this.menus.values()) registerMenuVerbs(this.commands, menu)
    registerMove(this.commands, this.menu('/ip/firewall/filter'))
    registerMove(this.commands, this.menu('/ip/firewall/nat'))
    registerMove(this.commands, this.menu('/ip/firewall/mangle'))
    registerSystemVerbs(this.commands, this)

    this.tables.resource.insert({})
    this.tables.routerboard.insert({})
    this.seedUsers()
    this.seedConfiguration(options.defaultConfig !== false)
    this.setIdentity(options.identity)

    this.accessBefore = this.accessNow()
    for (const table of [this.tables.services, this.tables.addresses, this.tables.interfaces, this.tables.filter])
      table.subscribe(() => this.checkAccess())
  }

  // --- SimulatedRouter -----------------------------------------------------------------------

  get identity(): string {
    return this.menu('/system/identity').items()[0]?.values.name ?? ''
  }

  authenticate(user: string, password: string): boolean {
    const item = this.user(user)
    return item !== undefined && item.values.disabled !== 'true' && (item.values.password ?? '') === password
  }

  passwordOf(user: string): string | undefined {
    const item = this.user(user)
    return item && item.values.disabled !== 'true' ? (item.values.password ?? '') : undefined
  }

  hasApiPolicy(user: string): boolean {
    // `noapi` is a lab group: a real group without the `api` policy.
    const group = this.user(user)?.values.group
    return group !== undefined && group !== 'noapi'
  }

  async run(command: ApiCommand, ctx: CommandContext): Promise<Record<string, string>> {
    const verb = this.commands.resolveApi(command.command)
    for (const name of command.attributes.keys())
      if (!name.startsWith('.') && !verb.args.has(name)) throw new RouterTrap('unknown parameter')
    if (verb.mutates && this.user(ctx.user)?.values.group === 'read') throw new RouterTrap('not enough permissions (9)')
    const result = await verb.run(
      { args: command.attributes, queries: command.queries },
      { user: ctx.user, signal: ctx.signal, origin: 'api', emitItem: (item) => ctx.emitItem(item), output: () => {} },
    )
    return result.ret !== undefined ? { ret: result.ret } : {}
  }

  // --- ScriptHost --------------------------------------------------------------------------

  log(topics: string, message: string): void {
    this.tables.log.insert({ time: this.timestamp(), topics, message })
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return sleep(ms, signal, this.timers())
  }

  // --- SystemHost --------------------------------------------------------------------------

  hasMenu(path: string): boolean {
    return this.menus.has(path)
  }

  menu(path: string): Menu {
    const menu = this.menus.get(path)
    if (!menu) throw new Error(`no menu ${path}`)
    return menu
  }

  timestamp(): string {
    return formatDateTime(this.now(), this.traits.isoDates)
  }

  markScriptStarted(script: Item): void {
    this.tables.scripts.update(script, { 'run-count': String(Number(script.values['run-count'] ?? '0') + 1), 'last-started': this.timestamp() })
  }

  exportText(options: Partial<ExportOptions> = {}): string {
    return renderExport(this.menus, { traits: this.traits, facts: this.facts, now: this.now(), ...options })
  }

  writeFile(name: string, contents: string): void {
    const files = this.menu('/file')
    const existing = files.items().find((item) => item.values.name === name)
    if (existing) files.spec.table.update(existing, { contents })
    else files.spec.table.insert({ name, contents, 'creation-time': this.timestamp() })
  }

  readFile(name: string): string | undefined {
    return this.tables.files.items.find((item) => item.values.name === name)?.values.contents
  }

  startScript(source: string, info: { owner: string; script?: string; type: string }, signal?: AbortSignal): StartedScript {
    const job = this.jobs.start({ ...info, policy: FULL_POLICY }, signal)
    const done = runScript(source, this, { signal: job.signal, user: info.owner }).finally(() => job.finish())
    return { jobId: job.id, done }
  }

  runInline(source: string, ctx: VerbContext): Promise<ScriptRun> {
    return runScript(source, this, { signal: ctx.signal, user: ctx.user, onOutput: (line) => ctx.output(line) })
  }

  /**
   * Like `/system reset-configuration`: stops every script, empties the configuration, seeds the
   * software defaults (plus defconf unless `noDefaults`), then runs `runAfterReset` from /file.
   * Lab simplifications: users and files survive (as with keep-users), the router does not go
   * offline; onReboot listeners hear about it so the wire server can drop its connections.
   */
  resetConfiguration(options: { noDefaults: boolean; runAfterReset?: string }): void {
    this.resetting = true
    try {
      this.jobs.stopAll()
      for (const table of this.tables.configuration()) table.clear()
      this.globals.clear()
      this.seedConfiguration(!options.noDefaults)
    } finally {
      this.resetting = false
    }
    this.bootedAt = this.now()
    this.uptimeAtBoot = 0
    this.accessBefore = this.accessNow()
    for (const listener of [...this.rebootListeners]) listener()
    const file = options.runAfterReset
    if (file) {
      const source = this.readFile(file) ?? ''
      this.afterReset = this.startScript(source, { owner: 'admin', type: 'script' }).done.then((run) => this.logFailure(run, `run-after-reset ${file}`))
    }
  }

  reboot(): void {
    this.jobs.stopAll()
    this.globals.clear()
    this.bootedAt = this.now()
    this.uptimeAtBoot = 0
    for (const listener of [...this.rebootListeners]) listener()
  }

  // --- Lab and test hooks ------------------------------------------------------------------

  now(): number {
    return this.clock()
  }

  timers(): LabTimers {
    return this.timerPort ?? globalTimers
  }

  uptimeMs(): number {
    return this.uptimeAtBoot + Math.max(0, this.now() - this.bootedAt)
  }

  /** Human text -> the bytes a client in that code page would have stored. */
  bytes(text: string, encoding: LabTextEncoding = this.textEncoding): string {
    return toByteString(text, encoding)
  }

  setIdentity(text: string, encoding: LabTextEncoding = this.textEncoding): void {
    const menu = this.menu('/system/identity')
    menu.set(menu.items(), new Map([['name', this.bytes(text, encoding)]]))
  }

  /** Seeds a comment in a given code page, e.g. `setComment('/interface', 'ether1', 'Офис', 'cp1251')`. */
  setComment(path: string, selector: string, text: string, encoding: LabTextEncoding = this.textEncoding): void {
    const menu = this.menu(path)
    menu.set(menu.resolve(selector), new Map([['comment', this.bytes(text, encoding)]]))
  }

  /** Runs script text as the admin would from a terminal (no job entry). */
  runScript(source: string, options: RunScriptOptions = {}): Promise<ScriptRun> {
    return runScript(source, this, options)
  }

  /** The lockout auto-revert's restore: reset to software defaults, then run the snapshot. */
  async restoreFromExport(text: string): Promise<ScriptRun> {
    this.resetConfiguration({ noDefaults: true })
    return this.runScript(withoutHeader(text))
  }

  /** Resolves once the last configuration reset's run-after-reset script (a restore) has ended. */
  whenResetSettled(): Promise<void> {
    return this.afterReset
  }

  setManagementAddress(address: string): void {
    this.managementAddress = address
    this.accessBefore = this.accessNow()
  }

  /** Fired when a change would cut API access (see access.ts for exactly what counts). */
  onAccessChange(listener: (change: AccessChange) => void): () => void {
    this.accessListeners.add(listener)
    return () => this.accessListeners.delete(listener)
  }

  /** Fired after a configuration reset or reboot: live connections should drop. */
  onReboot(listener: () => void): () => void {
    this.rebootListeners.add(listener)
    return () => this.rebootListeners.delete(listener)
  }

  // --- internals ---------------------------------------------------------------------------

  private user(name: string): Item | undefined {
    return this.tables.users.items.find((item) => item.values.name === name)
  }

  private seedUsers(): void {
    const users = this.menu('/user')
    const admin = this.options.users?.find((user) => user.name === 'admin')
    users.add(new Map([['name', 'admin'], ['group', admin?.group ?? 'full'], ['password', this.bytes(admin?.password ?? this.options.password ?? '')]]))
    for (const user of this.options.users ?? []) {
      if (user.name === 'admin') continue
      users.add(new Map([['name', this.bytes(user.name)], ['group', user.group ?? 'full'], ['password', this.bytes(user.password)]]))
    }
  }

  private seedConfiguration(withDefconf: boolean): void {
    seedSoftwareDefaults(this.menus, this.facts)
    if (withDefconf) seedDefaultConfiguration(this.menus)
  }

  private accessNow(): AccessSnapshot {
    return accessSnapshot(this.tables, this.managementAddress)
  }

  private checkAccess(): void {
    if (this.resetting) return
    const now = this.accessNow()
    const losses = accessLosses(this.accessBefore, now)
    this.accessBefore = now
    for (const change of losses) for (const listener of [...this.accessListeners]) listener(change)
  }

  private fireScheduler(item: Item): void {
    const values = item.values
    this.tables.scheduler.update(item, { 'run-count': String(Number(values['run-count'] ?? '0') + 1) })
    const onEvent = values['on-event'] ?? ''
    // on-event is either the name of a /system/script or script text.
    const script = this.tables.scripts.items.find((candidate) => candidate.values.name === onEvent)
    const source = script ? (script.values.source ?? '') : onEvent
    if (script) this.markScriptStarted(script)
    const started = this.startScript(source, { owner: values.owner ?? 'admin', script: script?.values.name, type: 'script' })
    void started.done.then((run) => this.logFailure(run, `scheduler ${values.name}`))
  }

  private logFailure(run: ScriptRun, what: string): void {
    if (run.error) this.log('script,error', `${what} failed: ${describeFailure(run.error)}`)
  }
}
