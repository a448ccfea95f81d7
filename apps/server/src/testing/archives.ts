import { crc32, inflateRawSync, inflateSync } from "node:zlib";

/**
 * Readers for what the Teams package writes, independent of the writers: a ZIP read through its
 * central directory (each entry checked against its local header and its CRC-32), and a PNG's
 * chunks, header and pixels.
 */

export interface ZipFile {
  readonly name: string;
  readonly method: number;
  readonly data: Buffer;
}

export function readZip(archive: Buffer): ZipFile[] {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || end + 22 > archive.length) throw new Error("no end of central directory record");
  const count = archive.readUInt16LE(end + 10);
  if (archive.readUInt16LE(end + 8) !== count) throw new Error("a multi-disk archive");
  const directorySize = archive.readUInt32LE(end + 12);
  let at = archive.readUInt32LE(end + 16);
  if (at + directorySize !== end) throw new Error("the central directory does not end where the end record starts");
  const files: ZipFile[] = [];
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(at) !== 0x02014b50) throw new Error(`central header ${i}: bad signature`);
    const flags = archive.readUInt16LE(at + 8);
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    const compressed = archive.readUInt32LE(at + 20);
    const size = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const offset = archive.readUInt32LE(at + 42);
    const name = archive.toString("latin1", at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;

    if (archive.readUInt32LE(offset) !== 0x04034b50) throw new Error(`${name}: bad local header signature`);
    if (flags & 0x0009) throw new Error(`${name}: encrypted or with a data descriptor`);
    const local = {
      method: archive.readUInt16LE(offset + 8),
      crc: archive.readUInt32LE(offset + 14),
      compressed: archive.readUInt32LE(offset + 18),
      size: archive.readUInt32LE(offset + 22),
      name: archive.toString("latin1", offset + 30, offset + 30 + archive.readUInt16LE(offset + 26)),
    };
    if (local.method !== method || local.crc !== crc || local.compressed !== compressed || local.size !== size) {
      throw new Error(`${name}: the local header disagrees with the central directory`);
    }
    if (local.name !== name) throw new Error(`${name}: the local header names ${local.name}`);
    const start = offset + 30 + archive.readUInt16LE(offset + 26) + archive.readUInt16LE(offset + 28);
    const body = archive.subarray(start, start + compressed);
    let data: Buffer;
    if (method === 8) data = inflateRawSync(body);
    else if (method === 0) data = Buffer.from(body);
    else throw new Error(`${name}: compression method ${method}`);
    if (data.length !== size) throw new Error(`${name}: ${data.length} bytes, the header says ${size}`);
    if (crc32(data) !== crc) throw new Error(`${name}: CRC-32 mismatch`);
    files.push({ name, method, data });
  }
  return files;
}

export interface Png {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colorType: number;
  readonly chunks: readonly string[];
  /** RGBA rows, for 8-bit RGBA images with unfiltered or Sub/Up-filtered rows. */
  pixel(x: number, y: number): readonly [number, number, number, number];
}

export function readPng(file: Buffer): Png {
  if (!file.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    throw new Error("not a PNG signature");
  }
  const chunks: string[] = [];
  const idat: Buffer[] = [];
  let header: Buffer | undefined;
  for (let at = 8; at < file.length; ) {
    const length = file.readUInt32BE(at);
    const type = file.toString("latin1", at + 4, at + 8);
    const data = file.subarray(at + 8, at + 8 + length);
    if (crc32(file.subarray(at + 4, at + 8 + length)) !== file.readUInt32BE(at + 8 + length)) {
      throw new Error(`${type}: CRC-32 mismatch`);
    }
    chunks.push(type);
    if (type === "IHDR") header = data;
    if (type === "IDAT") idat.push(data);
    at += 12 + length;
  }
  if (!header || chunks[0] !== "IHDR" || chunks.at(-1) !== "IEND") throw new Error("IHDR first and IEND last");
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const bitDepth = header[8] ?? 0;
  const colorType = header[9] ?? 0;
  const rows = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const pixels = Buffer.alloc(stride * height);
  if (bitDepth === 8 && colorType === 6) {
    if (rows.length !== (stride + 1) * height) throw new Error("IDAT does not hold width × height RGBA rows");
    for (let y = 0; y < height; y++) {
      const filter = rows[y * (stride + 1)];
      for (let i = 0; i < stride; i++) {
        const raw = rows[y * (stride + 1) + 1 + i] ?? 0;
        const left = i >= 4 ? (pixels[y * stride + i - 4] ?? 0) : 0;
        const up = y > 0 ? (pixels[(y - 1) * stride + i] ?? 0) : 0;
        if (filter === 0) pixels[y * stride + i] = raw;
        else if (filter === 1) pixels[y * stride + i] = (raw + left) & 0xff;
        else if (filter === 2) pixels[y * stride + i] = (raw + up) & 0xff;
        else throw new Error(`row ${y}: filter type ${filter} is not read here`);
      }
    }
  }
  return {
    width,
    height,
    bitDepth,
    colorType,
    chunks,
    pixel: (x, y) => {
      const at = (y * width + x) * 4;
      return [pixels[at] ?? 0, pixels[at + 1] ?? 0, pixels[at + 2] ?? 0, pixels[at + 3] ?? 0];
    },
  };
}
