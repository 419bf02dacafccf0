// Tiny real images built byte by byte, for tests that upload photos: each is
// a valid file that a browser decodes, and `seed` makes distinct contents.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, k) => {
  let c = k;
  for (let b = 0; b < 8; b++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
export function crc32(buf) {
  let c = 0xffffffff;
  for (const x of buf) c = CRC_TABLE[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const u32be = (n) => { const b = Buffer.alloc(4); b.writeUInt32BE(n >>> 0); return b; };
const u32le = (n) => { const b = Buffer.alloc(4); b.writeUInt32LE(n >>> 0); return b; };

export function pngChunk(type, data) {
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  return Buffer.concat([u32be(data.length), td, u32be(crc32(td))]);
}

// A 1×1 RGB PNG of the colour (seed, 2·seed, 3·seed).
export function png(seed = 1) {
  const ihdr = Buffer.concat([u32be(1), u32be(1), Buffer.from([8, 2, 0, 0, 0])]);
  const row = Buffer.from([0, seed & 255, (2 * seed) & 255, (3 * seed) & 255]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(row)), pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// A width×height RGB PNG of one colour (seed, 2·seed, 3·seed): large in
// pixels, small in bytes (the rows compress to almost nothing).
export function pngOfSize(width, height, seed = 1) {
  const ihdr = Buffer.concat([u32be(width), u32be(height), Buffer.from([8, 2, 0, 0, 0])]);
  const row = Buffer.alloc(1 + 3 * width);
  for (let x = 0; x < width; x++) row.set([seed & 255, (2 * seed) & 255, (3 * seed) & 255], 1 + 3 * x);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// An 8×8 grey baseline JPEG: one block whose DC difference and AC are both
// "nothing" (one-code Huffman tables), so the scan is the bits 00 padded
// with ones. seed goes into the quantisation table (same pixels, other bytes).
export function jpeg(seed = 1) {
  const seg = (marker, body) => Buffer.concat([Buffer.from([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 255]), body]);
  const dqt = Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1 + (seed % 200))]);
  const sof = Buffer.from([8, 0, 8, 0, 8, 1, 1, 0x11, 0]);
  const huff = (cls) => Buffer.concat([Buffer.from([cls]), Buffer.from([1, ...Array(15).fill(0)]), Buffer.from([0])]);
  const sos = Buffer.from([1, 1, 0x00, 0, 63, 0]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]), seg(0xdb, dqt), seg(0xc0, sof), seg(0xc4, huff(0x00)), seg(0xc4, huff(0x10)),
    seg(0xda, sos), Buffer.from([0x3f]), Buffer.from([0xff, 0xd9]),
  ]);
}

// Writes bits least significant first, as VP8L reads them.
class Bits {
  constructor() { this.bytes = []; this.n = 0; }
  put(value, count) {
    for (let i = 0; i < count; i++) {
      if (this.n % 8 === 0) this.bytes.push(0);
      if ((value >> i) & 1) this.bytes[this.bytes.length - 1] |= 1 << (this.n % 8);
      this.n++;
    }
  }
}

// A 1×1 lossless WebP (VP8L): five one-symbol prefix codes, so the one
// pixel costs no bits. Colour (seed, 0, 255 - seed) opaque.
export function webp(seed = 1) {
  const b = new Bits();
  b.put(0x2f, 8);          // signature
  b.put(0, 14); b.put(0, 14); // width - 1, height - 1
  b.put(0, 1); b.put(0, 3);   // alpha hint, version
  b.put(0, 1);             // no transform
  b.put(0, 1);             // no colour cache
  b.put(0, 1);             // no meta prefix codes
  const simple = (symbol) => {
    b.put(1, 1); b.put(0, 1); // simple code, one symbol
    if (symbol <= 1) { b.put(0, 1); b.put(symbol, 1); } else { b.put(1, 1); b.put(symbol, 8); }
  };
  simple(0); simple(seed & 255); simple((255 - seed) & 255); simple(255); simple(0); // G R B A dist
  const data = Buffer.from(b.bytes);
  const pad = data.length & 1 ? Buffer.alloc(1) : Buffer.alloc(0);
  const chunk = Buffer.concat([Buffer.from('VP8L'), u32le(data.length), data, pad]);
  return Buffer.concat([Buffer.from('RIFF'), u32le(4 + chunk.length), Buffer.from('WEBP'), chunk]);
}
