/**
 * A small PNG reader (8-bit grey/RGB/RGBA, non-interlaced — what Chromium writes), used to check rendered
 * images: their size, and how much of them is not background.
 */
import { inflateSync } from 'node:zlib';
import { DataFileError } from '../core/errors';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A decoded PNG: `pixels` holds `channels` bytes per pixel, row-major, height×width. */
export interface DecodedPng {
  width: number;
  height: number;
  channels: number;
  pixels: Uint8Array;
}

/** Width and height of a PNG from its header (no decoding). */
export function pngSize(buf: Uint8Array): { width: number; height: number } {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 24 || !b.subarray(0, 8).equals(SIGNATURE) || b.toString('latin1', 12, 16) !== 'IHDR') {
    throw new DataFileError('not a PNG file (bad signature or missing IHDR chunk)');
  }
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** Decode a PNG (8-bit depth, colour types 0, 2, 4, 6; no interlace). */
export function decodePng(buf: Uint8Array): DecodedPng {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const { width, height } = pngSize(b);
  const depth = b[24];
  const colorType = b[25];
  const interlace = b[28];
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (depth !== 8 || !channels || interlace !== 0) {
    throw new DataFileError(`decodePng: only 8-bit non-interlaced grey/RGB/RGBA PNGs are supported (depth ${depth}, colour type ${colorType}, interlace ${interlace})`);
  }
  const idat: Buffer[] = [];
  let off = 8;
  while (off + 8 <= b.length) {
    const len = b.readUInt32BE(off);
    const type = b.toString('latin1', off + 4, off + 8);
    if (type === 'IDAT') idat.push(b.subarray(off + 8, off + 8 + len));
    if (type === 'IEND') break;
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length < height * (stride + 1)) throw new DataFileError(`decodePng: image data too short (${raw.length} bytes for ${width}×${height})`);
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const dst = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[dst + x - channels] : 0;
      const up = y > 0 ? out[dst - stride + x] : 0;
      const ul = y > 0 && x >= channels ? out[dst - stride + x - channels] : 0;
      let v = raw[src + x];
      switch (filter) {
        case 0: break;
        case 1: v += a; break;
        case 2: v += up; break;
        case 3: v += (a + up) >> 1; break;
        case 4: {
          const p = a + up - ul;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - up);
          const pc = Math.abs(p - ul);
          v += pa <= pb && pa <= pc ? a : pb <= pc ? up : ul;
          break;
        }
        default: throw new DataFileError(`decodePng: unknown filter type ${filter} in row ${y}`);
      }
      out[dst + x] = v & 0xff;
    }
  }
  return { width, height, channels, pixels: out };
}

/** Fraction of pixels that differ from white (any colour channel < 250, or alpha > 0 on transparent). */
export function nonWhiteFraction(img: DecodedPng): number {
  const { channels: c, pixels } = img;
  const n = img.width * img.height;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const p = i * c;
    const alpha = c === 4 ? pixels[p + 3] : c === 2 ? pixels[p + 1] : 255;
    if (alpha === 0) continue;
    const colour = c >= 3 ? Math.min(pixels[p], pixels[p + 1], pixels[p + 2]) : pixels[p];
    if (colour < 250) count++;
  }
  return count / n;
}
