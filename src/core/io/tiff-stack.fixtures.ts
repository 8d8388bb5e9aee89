/** Test writer of TIFF stacks: tiny uncompressed multi-page files. */
/** A tiny uncompressed little-endian multi-page TIFF (test input only). */
export function tiffBytes(
  pages: ArrayLike<number>[],
  width: number,
  height: number,
  sample: 'u16' | 'i16' | 'f32' | 'u8' = 'u16',
  resolution?: { perCm: number }
): Uint8Array {
  const bps = sample === 'f32' ? 32 : sample === 'u8' ? 8 : 16;
  const format = sample === 'f32' ? 3 : sample === 'i16' ? 2 : 1;
  const bytesPerPage = (width * height * bps) / 8;
  const tags = (offset: number): [number, number, number, number][] => {
    const t: [number, number, number, number][] = [
      [256, 4, 1, width],
      [257, 4, 1, height],
      [258, 3, 1, bps],
      [259, 3, 1, 1],
      [262, 3, 1, 1],
      [273, 4, 1, offset],
      [277, 3, 1, 1],
      [278, 4, 1, height],
      [279, 4, 1, bytesPerPage]
    ];
    if (resolution) {
      t.push([282, 5, 1, -1], [283, 5, 1, -1], [296, 3, 1, 3]);
    }
    t.push([339, 3, 1, format]);
    return t;
  };
  const ifdSize = (n: number): number => 2 + 12 * n + 4 + (resolution ? 16 : 0);
  const nTags = tags(0).length;
  const total = 8 + pages.length * (bytesPerPage + ifdSize(nTags) + 2);
  const buf = new ArrayBuffer(total);
  const dv = new DataView(buf);
  dv.setUint8(0, 0x49);
  dv.setUint8(1, 0x49);
  dv.setUint16(2, 42, true);
  let pos = 8;
  let prevNext = 4;
  for (const page of pages) {
    const dataAt = pos;
    for (let i = 0; i < width * height; i++) {
      const v = page[i];
      if (sample === 'f32') {
        dv.setFloat32(pos + 4 * i, v, true);
      } else if (sample === 'u8') {
        dv.setUint8(pos + i, v);
      } else if (sample === 'i16') {
        dv.setInt16(pos + 2 * i, v, true);
      } else {
        dv.setUint16(pos + 2 * i, v, true);
      }
    }
    pos += bytesPerPage;
    pos += pos % 2;
    dv.setUint32(prevNext, pos, true);
    const ifd = pos;
    const t = tags(dataAt);
    dv.setUint16(ifd, t.length, true);
    const rationalAt = ifd + 2 + 12 * t.length + 4;
    t.forEach(([tag, type, count, value], i) => {
      const at = ifd + 2 + 12 * i;
      dv.setUint16(at, tag, true);
      dv.setUint16(at + 2, type, true);
      dv.setUint32(at + 4, count, true);
      if (type === 5) {
        const r = rationalAt + (tag === 282 ? 0 : 8);
        dv.setUint32(r, Math.round((resolution as { perCm: number }).perCm * 1000), true);
        dv.setUint32(r + 4, 1000, true);
        dv.setUint32(at + 8, r, true);
      } else if (type === 3) {
        dv.setUint16(at + 8, value, true);
      } else {
        dv.setUint32(at + 8, value, true);
      }
    });
    prevNext = ifd + 2 + 12 * t.length;
    dv.setUint32(prevNext, 0, true);
    pos = ifd + ifdSize(t.length);
  }
  return new Uint8Array(buf, 0, pos);
}
