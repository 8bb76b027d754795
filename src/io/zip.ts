/**
 * A small ZIP writer (PKWARE APPNOTE 6.3: local headers, central directory, end record; no ZIP64, so at most
 * 65535 entries and 4 GiB): each entry deflated (method 8) when that makes it smaller, else stored (method 0),
 * with its CRC-32 and Unix mode (so `run_autograder` stays executable once unpacked). Timestamps are fixed
 * (1980-01-01) so the same files give the same bytes.
 */
import zlib from 'node:zlib';

/** One file of a ZIP archive. */
export interface ZipEntry {
  /** Path inside the archive, '/'-separated, relative (no leading '/', no '..'). */
  name: string;
  data: Uint8Array | string;
  /** Unix permission bits (default 0o644). */
  mode?: number;
}

const DOS_DATE_1980 = (0 << 9) | (1 << 5) | 1; // 1980-01-01, time 00:00

/** CRC-32 (ISO-HDLC, the ZIP/gzip one) of `data`. */
export function crc32(data: Uint8Array): number {
  return zlib.crc32(data) >>> 0;
}

function checkName(name: string): void {
  if (!name || name.startsWith('/') || name.includes('\\') || name.split('/').some((p) => p === '..' || p === '')) {
    throw new Error(`zip: entry name '${name}' must be a relative '/'-separated path without '..' or empty parts`);
  }
}

/**
 * The bytes of a ZIP archive holding `entries` (in that order).
 * @throws Error on a bad or duplicate name, more than 65535 entries, or an archive over 4 GiB.
 */
export function zipArchive(entries: ZipEntry[]): Buffer {
  if (entries.length > 0xffff) throw new Error(`zip: ${entries.length} entries, over the 65535 a ZIP without ZIP64 holds`);
  const seen = new Set<string>();
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    checkName(e.name);
    if (seen.has(e.name)) throw new Error(`zip: duplicate entry '${e.name}'`);
    seen.add(e.name);
    const raw = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength);
    const deflated = zlib.deflateRawSync(raw, { level: 9 });
    const method = deflated.length < raw.length ? 8 : 0;
    const body = method === 8 ? deflated : raw;
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(DOS_DATE_1980, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const cen = Buffer.alloc(46);
    cen.writeUInt32LE(0x02014b50, 0);
    cen.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, spec 2.0: the external attributes hold the mode
    cen.writeUInt16LE(20, 6);
    cen.writeUInt16LE(0x0800, 8);
    cen.writeUInt16LE(method, 10);
    cen.writeUInt16LE(0, 12);
    cen.writeUInt16LE(DOS_DATE_1980, 14);
    cen.writeUInt32LE(crc, 16);
    cen.writeUInt32LE(body.length, 20);
    cen.writeUInt32LE(raw.length, 24);
    cen.writeUInt16LE(name.length, 28);
    cen.writeUInt32LE((((0o100000 | ((e.mode ?? 0o644) & 0o7777)) << 16) >>> 0), 38); // regular file + mode
    cen.writeUInt32LE(offset, 42);
    if (offset + 30 + name.length + body.length > 0xffffffff) throw new Error('zip: archive over 4 GiB (ZIP64 is not supported)');
    parts.push(local, name, body);
    central.push(cen, name);
    offset += 30 + name.length + body.length;
  }
  const cenSize = central.reduce((s, b) => s + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cenSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}
