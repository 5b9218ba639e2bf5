// Draws icon.png (256×256): a green rounded square with a white shield and a check mark, for the
// extension's marketplace page. Plain geometry, supersampled, written as a PNG with node:zlib, so
// the icon can be redrawn without an image editor: `node scripts/make-icon.mjs`.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const size = 256;
const samples = 4; // per axis, for smooth edges

function insideRoundedSquare(x, y) {
  const margin = 8;
  const radius = 44;
  const cx = Math.min(Math.max(x, margin + radius), size - margin - radius);
  const cy = Math.min(Math.max(y, margin + radius), size - margin - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

// The shield: straight shoulders, sides that curve into a point at the bottom.
function insideShield(x, y, grow = 0) {
  const top = 48 - grow;
  const bottom = 214 + grow;
  const halfWidth = 72 + grow;
  if (y < top || y > bottom) return false;
  const t = (y - top) / (bottom - top);
  const half = t < 0.45 ? halfWidth : halfWidth * Math.cos(((t - 0.45) / 0.55) * (Math.PI / 2));
  return Math.abs(x - 128) <= half;
}

function distanceToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function onCheckMark(x, y) {
  const points = [[94, 132], [118, 156], [164, 106]];
  return Math.min(distanceToSegment(x, y, points[0], points[1]), distanceToSegment(x, y, points[1], points[2])) <= 11;
}

const green = (y) => [0, Math.round(150 - (y / size) * 50), Math.round(57 - (y / size) * 20)];
const white = [255, 255, 255];

function colourAt(x, y) {
  if (!insideRoundedSquare(x, y)) return null;
  if (onCheckMark(x, y)) return white;
  if (insideShield(x, y)) return green(y + 40); // a darker green inside the white rim
  if (insideShield(x, y, 10)) return white;
  return green(y);
}

const rows = [];
for (let py = 0; py < size; py++) {
  const row = Buffer.alloc(1 + size * 4); // filter byte 0, then RGBA
  for (let px = 0; px < size; px++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < samples; sy++) {
      for (let sx = 0; sx < samples; sx++) {
        const c = colourAt(px + (sx + 0.5) / samples, py + (sy + 0.5) / samples);
        if (!c) continue;
        r += c[0]; g += c[1]; b += c[2]; a += 1;
      }
    }
    const o = 1 + px * 4;
    if (a) [row[o], row[o + 1], row[o + 2]] = [r / a, g / a, b / a].map(Math.round);
    row[o + 3] = Math.round((a / samples ** 2) * 255);
  }
  rows.push(row);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header[8] = 8; // bits per channel
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../icon.png', import.meta.url), png);
console.log(`icon.png: ${size}×${size}, ${png.length} bytes`);
