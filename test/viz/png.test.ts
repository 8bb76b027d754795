import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { decodePng, nonWhiteFraction, pngSize } from '../../src/viz/png';

/** CRC-32 of PNG chunks. */
function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** Encode RGBA pixels, using filter type (row % 5) on each row, so every filter is exercised. */
function encodePng(w: number, h: number, px: Uint8Array): Buffer {
  const c = 4;
  const stride = w * c;
  const rows: Buffer[] = [];
  for (let y = 0; y < h; y++) {
    const f = y % 5;
    const out = Buffer.alloc(stride + 1);
    out[0] = f;
    for (let x = 0; x < stride; x++) {
      const v = px[y * stride + x];
      const a = x >= c ? px[y * stride + x - c] : 0;
      const up = y > 0 ? px[(y - 1) * stride + x] : 0;
      const ul = y > 0 && x >= c ? px[(y - 1) * stride + x - c] : 0;
      let pred = 0;
      if (f === 1) pred = a;
      else if (f === 2) pred = up;
      else if (f === 3) pred = (a + up) >> 1;
      else if (f === 4) {
        const p = a + up - ul;
        const pa = Math.abs(p - a), pb = Math.abs(p - up), pc = Math.abs(p - ul);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? up : ul;
      }
      out[x + 1] = (v - pred) & 0xff;
    }
    rows.push(out);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('decodePng inverts every PNG row filter (0–4) on pseudo-random RGBA pixels', () => {
  const w = 13, h = 11;
  const px = new Uint8Array(w * h * 4);
  let s = 12345;
  for (let i = 0; i < px.length; i++) { s = (s * 1103515245 + 12345) >>> 0; px[i] = s >>> 24; }
  const png = encodePng(w, h, px);
  assert.deepEqual(pngSize(png), { width: w, height: h });
  const d = decodePng(png);
  assert.equal(d.channels, 4);
  assert.deepEqual(Array.from(d.pixels), Array.from(px));
});

test('nonWhiteFraction counts non-white opaque pixels and ignores transparent ones', () => {
  const w = 10, h = 10;
  const px = new Uint8Array(w * h * 4).fill(255);
  for (let i = 0; i < 7; i++) { px[i * 4] = 0; px[i * 4 + 1] = 0; px[i * 4 + 2] = 0; }      // 7 black pixels
  for (let i = 50; i < 53; i++) { px[i * 4] = 0; px[i * 4 + 3] = 0; }                        // 3 transparent
  const d = decodePng(encodePng(w, h, px));
  assert.equal(nonWhiteFraction(d), 0.07);
});

test('pngSize rejects files that are not PNG', () => {
  assert.throws(() => pngSize(Buffer.from('GIF89a this is not a png at all')), /not a PNG/);
});
