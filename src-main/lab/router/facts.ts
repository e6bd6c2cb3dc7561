// Hardware facts of the simulated device, derived from the seed so two labs with the same seed
// report the same serial, MACs and software id (exports and MNDP stay comparable across runs).
import { randomHex, seededRandom } from './random'

export interface DeviceFacts {
  readonly boardName: string
  readonly model: string
  readonly serialNumber: string
  readonly softwareId: string
  readonly architecture: string
  readonly cpu: string
  readonly cpuCount: number
  readonly cpuFrequency: number
  readonly totalMemory: number
  readonly totalHddSpace: number
  readonly firmware: string
  /** First ethernet MAC; the others count up from it. */
  readonly macBase: readonly number[]
  /** Uptime already elapsed when the lab starts (ms), so uptime looks like a real router's. */
  readonly initialUptimeMs: number
  readonly random: () => number
}

export function deviceFacts(seed: number): DeviceFacts {
  const random = seededRandom(seed)
  const serial = `HD${randomHex(random, 9)}`
  const softwareId = `${randomHex(random, 4)}-${randomHex(random, 4)}`
  const mac = [0x48, 0xa9, 0x8a, ...Array.from({ length: 3 }, () => Math.floor(random() * 256))]
  mac[5] &= 0xf0 // room for ether1..ether5 and the bridge to count up
  return {
    boardName: 'RB5009UG+S+',
    model: 'RB5009UG+S+',
    serialNumber: serial,
    softwareId,
    architecture: 'arm64',
    cpu: 'ARM64',
    cpuCount: 4,
    cpuFrequency: 350,
    totalMemory: 1_073_741_824,
    totalHddSpace: 1_073_741_824,
    firmware: '7.18.2',
    macBase: mac,
    initialUptimeMs: Math.floor((2 * 86_400 + random() * 5 * 86_400) * 1000),
    random,
  }
}

export function macAddress(facts: DeviceFacts, offset: number): string {
  const mac = [...facts.macBase]
  mac[5] = (mac[5] + offset) & 0xff
  return mac.map((byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(':')
}
