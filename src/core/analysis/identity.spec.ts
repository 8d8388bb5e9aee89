/**
 * Bit-for-bit identity of the pipeline's output: SHA-256 of every map (and of
 * the prepared optical-density cube) on simulated stacks, recorded once. The
 * memory work of issue 16 (reading frames straight into the cube, optical
 * density and alignment in place, features in chunks) must not change a single
 * bit; any change to what the pipeline computes shows here and must be
 * recorded deliberately (rerun with STXM_PRINT_HASHES=1 and paste).
 */
import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import type { PhaseMapResult } from '../model/result.js';
import type { Stack } from '../model/stack.js';
import { prepareStack } from '../preprocess/prepare.js';
import { findScenario, scenarioConfig } from '../simulate/scenarios.js';
import { simulateSample } from '../simulate/sample.js';
import { runPipeline } from './pipeline.js';

const hash = (a: ArrayBufferView): string =>
  createHash('sha256')
    .update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    .digest('hex')
    .slice(0, 16);

function mapHashes(r: PhaseMapResult): Record<string, string> {
  return {
    mask: hash(r.mask),
    pcc: hash(r.pcc),
    initialPhase: hash(r.initialPhase),
    margin: hash(r.margin),
    ambiguous: hash(r.ambiguous),
    phase: hash(r.phase),
    latent: hash(r.latent),
    confidence: hash(r.confidence),
    transition: hash(r.transition),
    falseAssignment: hash(r.falseAssignment),
    unassigned: hash(r.unassigned)
  };
}

function copyStack(s: Stack): Stack {
  return {
    ...s,
    data: s.data.slice(),
    control: s.control?.slice(),
    energies: s.energies.slice(),
    x: s.x.slice(),
    y: s.y.slice()
  };
}

/** Recorded before the memory work (commit c859b79). */
const RECORDED: Record<string, { od: string; maps: Record<string, string> }> = {
  'nvpf-grains-drift-offset': {
    od: 'c937acdd0c71022d',
    maps: {
      mask: '7ce871330afad91a',
      pcc: '49559ac21adf7bdb',
      initialPhase: '3d77e8137f801a9b',
      margin: '0f5a3b2d63cae682',
      ambiguous: '5669666a3c977b91',
      phase: 'fca36f45e88256a4',
      latent: '39107cc8561d1715',
      confidence: '5b6b4c8305ab1165',
      transition: 'ba7f87847b85f506',
      falseAssignment: '0482014deb4ce811',
      unassigned: '0b2a1e5782c2c427'
    }
  },
  'nvpf-non-square': {
    od: 'eba559e5df1fba78',
    maps: {
      mask: '5a9a02c610fd8ced',
      pcc: 'caec8ef2ce69abba',
      initialPhase: '69b03a67533db8bb',
      margin: '4480d2ab55989aa8',
      ambiguous: 'c926737ea26e0989',
      phase: 'd949dc421da776bd',
      latent: '4d37d8756b2a6500',
      confidence: '33e8719576d84ff9',
      transition: 'cbd2738b79d5e4d0',
      falseAssignment: '606f558e014930f9',
      unassigned: '606f558e014930f9'
    }
  },
  'lfp-particles-5e': {
    od: 'a305945d40da675f',
    maps: {
      mask: '39c5b721d0c8f4c6',
      pcc: '60fcb963041a0c17',
      initialPhase: '740deb727cb9647d',
      margin: '548d818488ce2aec',
      ambiguous: '56a43ef88ddfcd0f',
      phase: '740deb727cb9647d',
      latent: 'e3b0c44298fc1c14',
      confidence: '9dbbc241a016b8f3',
      transition: '56a43ef88ddfcd0f',
      falseAssignment: '56a43ef88ddfcd0f',
      unassigned: '56a43ef88ddfcd0f'
    }
  }
};

const SCENARIOS: [string, string][] = [
  ['nvpf-grains-drift-offset', 'gmvae'],
  ['nvpf-non-square', 'gmvae'],
  ['lfp-particles-5e', 'pcc']
];

describe('the pipeline’s maps, bit for bit', () => {
  it.each(SCENARIOS)('%s (%s)', async (name, method) => {
    const sample = simulateSample(scenarioConfig(findScenario(name)));
    const params = { method: method as 'gmvae' | 'pcc' };
    const prepared = prepareStack(copyStack(sample.stack), {}, sample.references);
    const od = hash(prepared.stack.data);
    const kept = await runPipeline(copyStack(sample.stack), sample.references, params);
    const consumed = await runPipeline(copyStack(sample.stack), sample.references, params, {
      consumeInput: true
    });
    const maps = mapHashes(kept);
    if (process.env.STXM_PRINT_HASHES) {
      console.log(JSON.stringify({ [name]: { od, maps } }));
    }
    expect(mapHashes(consumed)).toEqual(maps);
    expect(prepared.provenance.find(p => p.step === 'alignment')?.details.applied).toBe(
      name === 'nvpf-grains-drift-offset'
    );
    const recorded = RECORDED[name];
    expect(recorded, `no hashes recorded for ${name}`).toBeDefined();
    expect({ od, maps }).toEqual(recorded);
  });
});
