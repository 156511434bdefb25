#!/usr/bin/env node
// Draws the Teams app icons (manifest/color.png 192x192, manifest/outline.png 32x32): a shield
// with a check mark. PNG encoding with node:zlib; no image library needed.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel((x + 0.5) / size, (y + 0.5) / size);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = a;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
// Shield: flat top, sides curving to a point at the bottom. Coordinates in 0..1.
function inShield(x, y, inset) {
  const top = 0.16 + inset,
    bottom = 0.88 - inset,
    half = 0.34 - inset;
  if (y < top || y > bottom) return false;
  const t = (y - top) / (bottom - top);
  const w = t < 0.45 ? half : half * Math.sqrt(Math.max(0, 1 - ((t - 0.45) / 0.55) ** 2));
  return Math.abs(x - 0.5) <= w;
}
function distToSegment(px, py, ax, ay, bx, by) {
  const dx = bx - ax,
    dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}
function onCheck(x, y, width) {
  return distToSegment(x, y, 0.36, 0.5, 0.46, 0.62) < width || distToSegment(x, y, 0.46, 0.62, 0.65, 0.4) < width;
}
const out = path.join(__dirname, '..', 'manifest');
fs.writeFileSync(
  path.join(out, 'color.png'),
  png(192, (x, y) => {
    if (onCheck(x, y, 0.035) && inShield(x, y, 0)) return [255, 255, 255, 255];
    if (inShield(x, y, 0)) return [32, 96, 176, 255];
    return [232, 240, 250, 255];
  }),
);
fs.writeFileSync(
  path.join(out, 'outline.png'),
  png(32, (x, y) => {
    const edge = inShield(x, y, 0) && !inShield(x, y, 0.06);
    return edge || onCheck(x, y, 0.045) ? [255, 255, 255, 255] : [0, 0, 0, 0];
  }),
);
console.log('wrote manifest/color.png and manifest/outline.png');
