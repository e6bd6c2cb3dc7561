// Fault knobs: the ways a lab router misbehaves on purpose, so the client's hardening is tested.
// All are read at the moment they apply, so a test can change them while connections are open.

/** A command word matches a string exactly (`/system/identity/print`) or a RegExp by test(). */
export type CommandMatcher = string | RegExp

export interface FaultKnobs {
  /** Delay before each batch of reply sentences of a command (not per word): fixed, or [min, max]. */
  latencyMs: number | readonly [number, number]
  /** Write every reply byte as its own TCP segment (Nagle off, yielding between writes). */
  oneByteSegments: boolean
  /** Destroy the socket when this command replies, after sending half of its first reply batch. */
  dropConnectionOnCommand: CommandMatcher | undefined
  /** Swallow this command: no reply, ever (its tag stays unanswered). */
  neverAnswer: CommandMatcher | undefined
  /** Answer this command with `!fatal` + fatalMessage, then close the connection. */
  fatalOnCommand: CommandMatcher | undefined
  fatalMessage: string
  /** Close the listener so connects get ECONNREFUSED; re-listen on the same port when cleared. */
  refuseConnections: boolean
  /** Send garbageBytes as soon as a connection is accepted (the wrong service on the port). */
  garbageOnConnect: boolean
  /** Answer this command with garbageBytes instead of a reply. */
  garbageOnCommand: CommandMatcher | undefined
  garbageBytes: Uint8Array
}

/** Starts with a reserved length byte (0xF8+), so any reader must treat it as a protocol error. */
export const DEFAULT_GARBAGE = Uint8Array.from([0xf8, 0xff, 0x00, ...Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')])

export function defaultFaults(): FaultKnobs {
  return {
    latencyMs: 0,
    oneByteSegments: false,
    dropConnectionOnCommand: undefined,
    neverAnswer: undefined,
    fatalOnCommand: undefined,
    fatalMessage: 'lab fault: fatal on command',
    refuseConnections: false,
    garbageOnConnect: false,
    garbageOnCommand: undefined,
    garbageBytes: DEFAULT_GARBAGE,
  }
}

export function matchesCommand(matcher: CommandMatcher | undefined, command: string): boolean {
  if (matcher === undefined) return false
  if (typeof matcher === 'string') return matcher === command
  // A /g or /y RegExp keeps lastIndex between test() calls; reset it so every command is judged alone.
  matcher.lastIndex = 0
  return matcher.test(command)
}

/** The delay for one reply batch; `random` returns [0, 1) like Math.random. */
export function pickLatency(latency: FaultKnobs['latencyMs'], random: () => number = Math.random): number {
  if (typeof latency === 'number') return Math.max(0, latency)
  const [min, max] = latency[0] <= latency[1] ? latency : [latency[1], latency[0]]
  return Math.max(0, min + Math.floor(random() * (max - min + 1)))
}
