import { crc32, deflateRawSync } from "node:zlib";

export interface ZipEntry {
  /** The path inside the archive: ASCII, forward slashes, no leading slash. */
  readonly name: string;
  readonly data: Uint8Array;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const VERSION = 20; // 2.0: deflate, what every unzip reads
const STORED = 0;
const DEFLATED = 8;

/**
 * A plain ZIP archive (no ZIP64, no encryption): each entry deflated, or stored when deflating
 * would not make it smaller, then the central directory and its end record. What Teams and every
 * unzip tool read.
 */
export function zip(entries: readonly ZipEntry[], modified: Date = new Date()): Buffer {
  if (entries.length > 0xffff) throw new RangeError("a plain ZIP holds at most 65,535 entries");
  const { time, date } = dosDateTime(modified);
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  const names = new Set<string>();
  let offset = 0;
  for (const entry of entries) {
    if (!/^[\x21-\x7e][\x20-\x7e]*$/.test(entry.name) || entry.name.startsWith("/") || entry.name.includes("\\")) {
      throw new RangeError(`not a portable ZIP entry name: ${JSON.stringify(entry.name)}`);
    }
    if (names.has(entry.name)) throw new RangeError(`two ZIP entries named ${entry.name}`);
    names.add(entry.name);
    const name = Buffer.from(entry.name, "latin1");
    const deflated = deflateRawSync(entry.data, { level: 9 });
    const method = deflated.length < entry.data.length ? DEFLATED : STORED;
    const body = method === DEFLATED ? deflated : Buffer.from(entry.data);
    if (entry.data.length > 0xfffffffe || offset > 0xfffffffe) throw new RangeError("too big for a plain ZIP");
    const crc = crc32(entry.data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(0, 6); // flags: none (sizes and CRC are in this header)
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // no extra field

    const record = Buffer.alloc(46);
    record.writeUInt32LE(CENTRAL_HEADER, 0);
    record.writeUInt16LE(VERSION, 4); // made by: MS-DOS attributes, version 2.0
    record.writeUInt16LE(VERSION, 6);
    record.writeUInt16LE(0, 8);
    record.writeUInt16LE(method, 10);
    record.writeUInt16LE(time, 12);
    record.writeUInt16LE(date, 14);
    record.writeUInt32LE(crc, 16);
    record.writeUInt32LE(body.length, 20);
    record.writeUInt32LE(entry.data.length, 24);
    record.writeUInt16LE(name.length, 28);
    // extra field length, comment length, disk number, internal and external attributes: all 0
    record.writeUInt32LE(offset, 42);

    parts.push(local, name, body);
    central.push(record, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(entries.length, 8); // entries on this disk
  end.writeUInt16LE(entries.length, 10); // entries in all
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

/** ZIP keeps MS-DOS local time: two-second steps, from 1980. */
function dosDateTime(at: Date): { time: number; date: number } {
  const when = at.getFullYear() < 1980 ? new Date(1980, 0, 1) : at;
  return {
    time: (when.getHours() << 11) | (when.getMinutes() << 5) | (when.getSeconds() >> 1),
    date: ((Math.min(when.getFullYear(), 2107) - 1980) << 9) | ((when.getMonth() + 1) << 5) | when.getDate(),
  };
}
