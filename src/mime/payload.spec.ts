import { readFileSync } from 'fs';
import { deflateSync } from 'zlib';

import { describe, expect, it } from 'vitest';

import { FLAG_AMBIGUOUS, PayloadError, parsePayload } from './payload.js';
import { renderPixels } from './pixels.js';

/** Made by Python's mime_payload (python/tests/test_display.py keeps it current). */
const FIXTURE = JSON.parse(
  readFileSync(new URL('./fixtures/payload-v1.json', import.meta.url), 'utf8')
) as Record<string, unknown>;

const pack = (bytes: Uint8Array): string => deflateSync(bytes).toString('base64');

describe('parsePayload', () => {
  it('decodes what Python makes', async () => {
    const p = await parsePayload(FIXTURE);
    expect(p.shape).toEqual([12, 16]);
    expect(p.phaseNames).toEqual(['Na3', 'Na2', 'Na1']);
    expect(p.maps.phase).toHaveLength(12 * 16);
    // fractions are the shares of each phase code among particle pixels
    const counts = [1, 2, 3].map(c => p.maps.phase.filter(v => v === c).length);
    const total = counts.reduce((a, b) => a + b, 0);
    counts.forEach((c, i) => expect(c / total).toBeCloseTo(p.fractions[i], 10));
    expect(p.maps.flags.some(f => (f & FLAG_AMBIGUOUS) !== 0)).toBe(true);
    expect(p.title).toBe('<b>particle 1<b>.h5'); // the file's name; text, never markup
    expect(p.path).toBe('soc/<b>particle 1<b>.h5');
    expect(p.warnings.map(w => [w.code, w.level])).toEqual([
      ['drift', 'info'],
      ['ambiguous', 'warning']
    ]);
    expect(p.warnings[1].message).toContain('<img src=x onerror=alert(1)>'); // text, never markup
    const older = { ...FIXTURE, warnings: undefined }; // payloads made before warnings existed
    expect((await parsePayload(older)).warnings).toEqual([]);
  });

  it.each([
    [(d: Record<string, unknown>) => ({ ...d, version: 2 }), 'unsupported version'],
    [(d: Record<string, unknown>) => ({ ...d, shape: [12] }), '"shape"'],
    [
      (d: Record<string, unknown>) => ({ ...d, shape: [2048, 2048] }),
      'maps of 2048 × 2048 px are larger than 256 px a side'
    ],
    [(d: Record<string, unknown>) => ({ ...d, shape: [12, 257] }), 'larger than 256 px a side'],
    [
      (d: Record<string, unknown>) => ({ ...d, maps: { ...(d.maps as object), phase: 'A' } }),
      'map "phase": a map is not valid base64'
    ],
    [
      (d: Record<string, unknown>) => ({
        ...d,
        maps: { ...(d.maps as object), phase: 'AAAAA===' }
      }),
      'map "phase": a map is not valid base64'
    ],
    [(d: Record<string, unknown>) => ({ ...d, phaseNames: [] }), '"phaseNames"'],
    [(d: Record<string, unknown>) => ({ ...d, phaseNames: ['a', 'b', 7] }), 'phase name 3'],
    [(d: Record<string, unknown>) => ({ ...d, fractions: [0.5, 0.5] }), 'one number per phase'],
    [(d: Record<string, unknown>) => ({ ...d, fractions: [2, 0, 0] }), 'fraction 1'],
    [(d: Record<string, unknown>) => ({ ...d, threshold: 'x' }), '"threshold"'],
    [(d: Record<string, unknown>) => ({ ...d, warnings: 'careful' }), '"warnings"'],
    [
      (d: Record<string, unknown>) => ({ ...d, warnings: [{ level: 'fatal', message: 'm' }] }),
      'warning 1 must be an object with level'
    ],
    [
      (d: Record<string, unknown>) => ({
        ...d,
        warnings: [{ code: 'x', level: 'info', message: 'm'.repeat(1001) }]
      }),
      "warning 1's message"
    ],
    [
      (d: Record<string, unknown>) => ({ ...d, maps: { ...(d.maps as object), phase: '!!' } }),
      'not valid base64'
    ],
    [
      (d: Record<string, unknown>) => ({ ...d, maps: { ...(d.maps as object), phase: 'AAAA' } }),
      'not valid zlib'
    ],
    [
      (d: Record<string, unknown>) => ({
        ...d,
        maps: { ...(d.maps as object), phase: pack(new Uint8Array(10)) }
      }),
      'has 10 pixels'
    ],
    [
      (d: Record<string, unknown>) => ({
        ...d,
        maps: { ...(d.maps as object), initial: pack(new Uint8Array(192).fill(9)) }
      }),
      'names phase 9 of 3'
    ],
    [
      (d: Record<string, unknown>) => ({ ...d, maps: { ...(d.maps as object), flags: undefined } }),
      'map "flags" is missing'
    ],
    [() => [1, 2], 'not a JSON object']
  ])('rejects a bad payload (%#)', async (mutate, message) => {
    const bad = mutate(structuredClone(FIXTURE));
    await expect(parsePayload(bad)).rejects.toThrow(PayloadError);
    await expect(parsePayload(bad)).rejects.toThrow(message);
  });

  it('reads standard base64 broken into lines (MIME style, \\n or \\r\\n)', async () => {
    const maps = FIXTURE.maps as Record<string, string>;
    const wrap = (t: string, eol: string) => t.match(/.{1,76}/g)!.join(eol) + eol;
    const wrapped = {
      ...structuredClone(FIXTURE),
      maps: {
        phase: wrap(maps.phase, '\n'),
        initial: wrap(maps.initial, '\r\n'),
        flags: maps.flags,
        confidence: wrap(maps.confidence, '\n')
      }
    };
    const [a, b] = await Promise.all([parsePayload(FIXTURE), parsePayload(wrapped)]);
    expect(b.maps).toEqual(a.maps);
  });

  it('stops inflating a zlib bomb at the shape’s size', async () => {
    const bomb = {
      ...structuredClone(FIXTURE),
      maps: { ...(FIXTURE.maps as object), phase: pack(new Uint8Array(5_000_000)) }
    };
    await expect(parsePayload(bomb)).rejects.toThrow(/larger than its shape/);
  });
});

describe('renderPixels', () => {
  it('paints phases in the shared palette and ambiguous pixels grey in the initial view', async () => {
    const p = await parsePayload(FIXTURE);
    const final = renderPixels(p, 'final');
    const initial = renderPixels(p, 'initial');
    const i = p.maps.flags.findIndex((f, k) => (f & FLAG_AMBIGUOUS) !== 0 && p.maps.phase[k] > 0);
    expect(Array.from(initial.slice(i * 4, i * 4 + 3))).toEqual([0x80, 0x80, 0x80]);
    const j = p.maps.phase.findIndex(c => c === 1);
    expect(Array.from(final.slice(j * 4, j * 4 + 4))).toEqual([0x00, 0x72, 0xb2, 255]);
    expect(Array.from(final.slice(0, 4))).toEqual([0, 0, 0, 255]); // background corner
    const conf = renderPixels(p, 'confidence');
    expect(conf[j * 4]).toBe(191);
  });
});
