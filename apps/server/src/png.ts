import { crc32, deflateSync } from "node:zlib";

/** An 8-bit RGBA image: `pixels` holds width × height × 4 bytes, row by row from the top. */
export interface Image {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The smallest PNG writer that will do: one IHDR (8-bit RGBA), one IDAT (unfiltered rows), IEND. */
export function encodePng(image: Image): Buffer {
  const { width, height, pixels } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`a PNG needs a whole, positive size (got ${width}×${height})`);
  }
  if (pixels.length !== width * height * 4) {
    throw new RangeError(`${width}×${height} RGBA needs ${width * height * 4} bytes, not ${pixels.length}`);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // colour type: RGBA. Compression, filter and interlace methods stay 0.
  const stride = width * 4;
  const rows = Buffer.alloc((stride + 1) * height); // each row starts with its filter type, 0 (none)
  for (let y = 0; y < height; y++) rows.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Length, type, data, and the CRC-32 of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
