// Draws the Fieldjobs app icon and writes it in every form electron-builder takes:
//   resources/icon.png              1024x1024 (the master, and what electron-builder converts from)
//   resources/icons/NxN.png         16..1024, the Linux icon set (AppImage, deb)
//   resources/icon.ico              16..256, PNG-compressed entries (NSIS, the .exe)
//   resources/icon.icns             16..1024 (DMG, the .app)
//
//   node build/draw-icon.mjs
//
// Drawn with signed distance functions, so each size is rendered sharp at its own resolution rather
// than scaled down; no image tools needed (this container has no ImageMagick or PIL). The picture: a
// rounded tile in RouterOS blue, three network nodes joined by links, the last one a completed job's
// check mark. The generated files are committed; run this again only when the drawing changes.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const resources = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources')

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(bytes) {
  let c = 0xffffffff
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function pngChunk(type, data) {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'ascii')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** An RGBA image as a PNG file (8-bit, no interlace). */
function encodePng(size, rgba) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 6, 0, 0, 0], 8)
  const rows = Buffer.alloc((size * 4 + 1) * size)
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}

// Distances in a 0..1 square; negative inside.
const roundedBox = (x, y, half, radius) => {
  const qx = Math.abs(x - 0.5) - half + radius
  const qy = Math.abs(y - 0.5) - half + radius
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius
}
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r
function segment(x, y, ax, ay, bx, by, r) {
  const px = x - ax
  const py = y - ay
  const dx = bx - ax
  const dy = by - ay
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)))
  return Math.hypot(px - dx * t, py - dy * t) - r
}

const nodes = [
  [0.3, 0.34],
  [0.7, 0.34],
  [0.3, 0.7],
]
const check = { x: 0.68, y: 0.68, r: 0.15 }

/** The colour (r, g, b, a in 0..1) at a point, `pixel` being one pixel's width (for anti-aliasing). */
function shade(x, y, pixel) {
  const cover = (distance) => Math.max(0, Math.min(1, 0.5 - distance / pixel))
  const tile = cover(roundedBox(x, y, 0.44, 0.19))
  if (tile === 0) return [0, 0, 0, 0]
  // RouterOS blue, lighter towards the top.
  const t = y
  let color = [0.16 + 0.1 * (1 - t), 0.42 + 0.12 * (1 - t), 0.78 + 0.1 * (1 - t)]
  const mix = (over, amount) => (color = color.map((c, i) => c + (over[i] - c) * amount))
  const line = Math.max(0.028, pixel * 0.9)
  let links = Infinity
  links = Math.min(links, segment(x, y, ...nodes[0], ...nodes[1], line / 2))
  links = Math.min(links, segment(x, y, ...nodes[0], ...nodes[2], line / 2))
  links = Math.min(links, segment(x, y, ...nodes[1], check.x, check.y, line / 2))
  links = Math.min(links, segment(x, y, ...nodes[2], check.x, check.y, line / 2))
  mix([0.86, 0.93, 1], cover(links))
  const dots = Math.min(...nodes.map(([cx, cy]) => circle(x, y, cx, cy, 0.085)))
  mix([1, 1, 1], cover(dots))
  // The completed job: a green disc with a white check.
  mix([0.2, 0.75, 0.42], cover(circle(x, y, check.x, check.y, check.r)))
  const tick = Math.min(
    segment(x, y, check.x - 0.07, check.y + 0.005, check.x - 0.02, check.y + 0.055, Math.max(0.018, pixel * 0.7)),
    segment(x, y, check.x - 0.02, check.y + 0.055, check.x + 0.075, check.y - 0.05, Math.max(0.018, pixel * 0.7)),
  )
  mix([1, 1, 1], cover(tick))
  return [...color, tile]
}

export function drawIcon(size) {
  const rgba = Buffer.alloc(size * size * 4)
  const pixel = 1 / size
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const [r, g, b, a] = shade((px + 0.5) / size, (py + 0.5) / size, pixel)
      const at = (py * size + px) * 4
      rgba[at] = Math.round(r * 255)
      rgba[at + 1] = Math.round(g * 255)
      rgba[at + 2] = Math.round(b * 255)
      rgba[at + 3] = Math.round(a * 255)
    }
  }
  return encodePng(size, rgba)
}

/** Windows .ico with PNG entries (Vista and later read them; 256 is written as 0 in the directory). */
function encodeIco(images) {
  const directory = Buffer.alloc(6 + 16 * images.length)
  directory.writeUInt16LE(0, 0)
  directory.writeUInt16LE(1, 2)
  directory.writeUInt16LE(images.length, 4)
  let offset = directory.length
  images.forEach(({ size, png }, index) => {
    const entry = 6 + 16 * index
    directory[entry] = size >= 256 ? 0 : size
    directory[entry + 1] = size >= 256 ? 0 : size
    directory.writeUInt16LE(1, entry + 4) // colour planes
    directory.writeUInt16LE(32, entry + 6) // bits per pixel
    directory.writeUInt32LE(png.length, entry + 8)
    directory.writeUInt32LE(offset, entry + 12)
    offset += png.length
  })
  return Buffer.concat([directory, ...images.map(({ png }) => png)])
}

/** Apple's .icns: each entry a 4-letter type (which says the pixel size) and a PNG. */
export const icnsTypes = { icp4: 16, icp5: 32, icp6: 64, ic07: 128, ic08: 256, ic09: 512, ic10: 1024, ic11: 32, ic12: 64, ic13: 256, ic14: 512 }
function encodeIcns(pngOfSize) {
  const entries = Object.entries(icnsTypes).map(([type, size]) => {
    const png = pngOfSize(size)
    const head = Buffer.alloc(8)
    head.write(type, 0, 'ascii')
    head.writeUInt32BE(png.length + 8, 4)
    return Buffer.concat([head, png])
  })
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'ascii')
  head.writeUInt32BE(8 + entries.reduce((sum, entry) => sum + entry.length, 0), 4)
  return Buffer.concat([head, ...entries])
}

export const linuxSizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
export const icoSizes = [16, 24, 32, 48, 64, 128, 256]

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const drawn = new Map()
  const png = (size) => drawn.get(size) ?? drawn.set(size, drawIcon(size)).get(size)
  mkdirSync(join(resources, 'icons'), { recursive: true })
  writeFileSync(join(resources, 'icon.png'), png(1024))
  for (const size of linuxSizes) writeFileSync(join(resources, 'icons', `${size}x${size}.png`), png(size))
  writeFileSync(join(resources, 'icon.ico'), encodeIco(icoSizes.map((size) => ({ size, png: png(size) }))))
  writeFileSync(join(resources, 'icon.icns'), encodeIcns(png))
  console.log(`wrote the icon into ${resources}`)
}
