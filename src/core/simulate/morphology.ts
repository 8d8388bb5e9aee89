/**
 * Particle morphologies for the simulator: where each phase sits and how
 * thick the particle is. Every pixel gets a thickness (µm, 0 = empty
 * background) and a fraction per phase (summing to 1 inside a particle);
 * mixed pixels (fractions strictly between 0 and 1) form 1–3 px transition
 * bands at fronts and grain boundaries, as in real partially (dis)charged
 * particles.
 */
import { Rng, randomInt, shuffleInPlace, uniformIn } from './rng.js';

export type Morphology = 'core-shell' | 'grains' | 'particles' | 'grains-fronts';
export const MORPHOLOGIES: readonly Morphology[] = [
  'core-shell',
  'grains',
  'particles',
  'grains-fronts'
];

export interface MorphologyOptions {
  ny: number;
  nx: number;
  /** Number of phases the sample may contain (indices 0..phases−1). */
  phases: number;
  /** Width of the mixed band at fronts and boundaries, px (1–3). */
  bandPx: number;
  /** Particle thickness: rim and maximum, µm. */
  thicknessUm: [number, number];
}

export interface PhaseLayout {
  /** µm, (y, x); 0 outside the particles. */
  thickness: Float32Array;
  /** Fraction of each phase, (N, y, x). */
  fractions: Float32Array;
}

interface Ellipse {
  cy: number;
  cx: number;
  ry: number;
  rx: number;
  angle: number;
}

/** Normalised radius (1 on the rim) and polar angle of (y, x) in an ellipse. */
function ellipseCoords(el: Ellipse, y: number, x: number): { r: number; theta: number } {
  const c = Math.cos(el.angle);
  const s = Math.sin(el.angle);
  const dy = y - el.cy;
  const dx = x - el.cx;
  const u = (dx * c + dy * s) / el.rx;
  const v = (-dx * s + dy * c) / el.ry;
  return { r: Math.hypot(u, v), theta: Math.atan2(v, u) };
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

export function makeLayout(
  morphology: Morphology,
  rng: Rng,
  options: MorphologyOptions
): PhaseLayout {
  const { ny, nx, phases } = options;
  const layout: PhaseLayout = {
    thickness: new Float32Array(ny * nx),
    fractions: new Float32Array(phases * ny * nx)
  };
  const main: Ellipse = {
    cy: (ny - 1) / 2 + uniformIn(rng, -0.04, 0.04) * ny,
    cx: (nx - 1) / 2 + uniformIn(rng, -0.04, 0.04) * nx,
    ry: ny * uniformIn(rng, 0.36, 0.44),
    rx: nx * uniformIn(rng, 0.36, 0.44),
    angle: uniformIn(rng, -0.3, 0.3)
  };
  if (morphology === 'core-shell') {
    const k = Math.min(phases, 3);
    const first = randomInt(rng, phases - k + 1);
    coreShell(layout, main, rng, options, range(first, k));
  } else if (morphology === 'grains') {
    grains(layout, main, rng, options, range(0, phases), 14);
  } else if (morphology === 'grains-fronts') {
    grainFronts(layout, main, rng, options, range(0, phases), 4);
  } else {
    particles(layout, rng, options);
  }
  return layout;
}

function range(first: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => first + i);
}

/** Ellipsoidal thickness profile inside `el`; returns the normalised radius map (NaN outside). */
function paint(layout: PhaseLayout, el: Ellipse, options: MorphologyOptions, tMax: number): void {
  const { ny, nx, thicknessUm } = options;
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const { r } = ellipseCoords(el, y, x);
      if (r < 1) {
        layout.thickness[y * nx + x] =
          thicknessUm[0] + (tMax - thicknessUm[0]) * Math.sqrt(1 - r * r);
      }
    }
  }
}

/**
 * Concentric fronts with a wavy outline: `order[0]` in the core, the last
 * phase at the surface (a Na-extraction front moves in from the surface).
 */
function coreShell(
  layout: PhaseLayout,
  el: Ellipse,
  rng: Rng,
  options: MorphologyOptions,
  order: number[]
): void {
  const { ny, nx, bandPx } = options;
  const npx = ny * nx;
  paint(layout, el, options, uniformIn(rng, 0.35, options.thicknessUm[1]));
  const k = order.length;
  const fronts = Array.from({ length: k - 1 }, (_, j) => ({
    r0: ((j + 1) / k) * uniformIn(rng, 0.85, 1.0),
    a2: uniformIn(rng, 0.02, 0.06),
    p2: uniformIn(rng, 0, 2 * Math.PI),
    a3: uniformIn(rng, 0.01, 0.04),
    p3: uniformIn(rng, 0, 2 * Math.PI)
  }));
  const scale = Math.min(el.rx, el.ry);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const p = y * nx + x;
      if (layout.thickness[p] <= 0) {
        continue;
      }
      const { r, theta } = ellipseCoords(el, y, x);
      // s[j]: how far "outside" front j the pixel is, 0…1 across a band of bandPx pixels
      const s = fronts.map(f => {
        const rf = f.r0 + f.a2 * Math.sin(2 * theta + f.p2) + f.a3 * Math.sin(3 * theta + f.p3);
        return clamp01(0.5 + ((r - rf) * scale) / bandPx);
      });
      for (let i = 0; i < k; i++) {
        const inner = i === 0 ? 1 : s[i - 1];
        const outer = i === k - 1 ? 0 : s[i];
        layout.fractions[order[i] * npx + p] += Math.max(0, inner - outer);
      }
    }
  }
}

/** Voronoi grains inside `el`, one phase each, mixed across a band at the boundaries. */
function grains(
  layout: PhaseLayout,
  el: Ellipse,
  rng: Rng,
  options: MorphologyOptions,
  available: number[],
  count: number
): void {
  const { ny, nx, bandPx } = options;
  const npx = ny * nx;
  paint(layout, el, options, uniformIn(rng, 0.35, options.thicknessUm[1]));
  const seeds: { y: number; x: number; phase: number }[] = [];
  // every available phase at least once, the rest at random
  const phaseOf = shuffleInPlace(rng, available.slice());
  while (seeds.length < count) {
    const a = uniformIn(rng, 0, 2 * Math.PI);
    const rr = Math.sqrt(rng.uniform()) * 0.95;
    seeds.push({
      y: el.cy + rr * el.ry * Math.sin(a),
      x: el.cx + rr * el.rx * Math.cos(a),
      phase:
        seeds.length < phaseOf.length
          ? phaseOf[seeds.length]
          : available[randomInt(rng, available.length)]
    });
  }
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const p = y * nx + x;
      if (layout.thickness[p] <= 0) {
        continue;
      }
      let a = 0;
      let da = Infinity;
      for (let g = 0; g < seeds.length; g++) {
        const d = (seeds[g].y - y) ** 2 + (seeds[g].x - x) ** 2;
        if (d < da) {
          da = d;
          a = g;
        }
      }
      // nearest grain of another phase: distance to the bisector, in px
      let dBis = Infinity;
      let other = -1;
      for (let g = 0; g < seeds.length; g++) {
        if (seeds[g].phase === seeds[a].phase) {
          continue;
        }
        const db = (seeds[g].y - y) ** 2 + (seeds[g].x - x) ** 2;
        const sep = Math.hypot(seeds[g].y - seeds[a].y, seeds[g].x - seeds[a].x);
        const d = (db - da) / (2 * sep);
        if (d < dBis) {
          dBis = d;
          other = seeds[g].phase;
        }
      }
      const mixed = other >= 0 ? Math.max(0, 0.5 - dBis / bandPx) : 0;
      layout.fractions[seeds[a].phase * npx + p] += 1 - mixed;
      if (mixed > 0) {
        layout.fractions[other * npx + p] += mixed;
      }
    }
  }
}

/**
 * A particle of a few large grains, each with its own concentric fronts
 * (phase 0 in the core … the last phase at the surface) at its own depth: the
 * fronts of a partly (dis)charged polycrystalline particle, mixed across a
 * band at the fronts and at the grain boundaries.
 */
function grainFronts(
  layout: PhaseLayout,
  el: Ellipse,
  rng: Rng,
  options: MorphologyOptions,
  order: number[],
  count: number
): void {
  const { ny, nx, bandPx } = options;
  const npx = ny * nx;
  const k = order.length;
  paint(layout, el, options, uniformIn(rng, 0.4, options.thicknessUm[1]));
  const seeds = Array.from({ length: count }, (_, g) => {
    const a = (2 * Math.PI * (g + uniformIn(rng, -0.2, 0.2))) / count;
    const rr = uniformIn(rng, 0.3, 0.6);
    // how far the fronts of this grain have moved in
    const depth = uniformIn(rng, 0.7, 1.3);
    return {
      y: el.cy + rr * el.ry * Math.sin(a),
      x: el.cx + rr * el.rx * Math.cos(a),
      fronts: Array.from({ length: k - 1 }, (_, j) => ((j + 1) / k) * depth)
    };
  });
  const scale = Math.min(el.rx, el.ry);
  const fractionsAt = (g: number, r: number): number[] => {
    const s = seeds[g].fronts.map(rf => clamp01(0.5 + ((r - rf) * scale) / bandPx));
    return order.map((_, i) => Math.max(0, (i === 0 ? 1 : s[i - 1]) - (i === k - 1 ? 0 : s[i])));
  };
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const p = y * nx + x;
      if (layout.thickness[p] <= 0) {
        continue;
      }
      const d = seeds.map(q => (q.y - y) ** 2 + (q.x - x) ** 2);
      const a = d.indexOf(Math.min(...d));
      // the nearest other grain, across its bisector with this one (px)
      let b = -1;
      let dBis = Infinity;
      seeds.forEach((q, g) => {
        if (g !== a) {
          const bis = (d[g] - d[a]) / (2 * Math.hypot(q.y - seeds[a].y, q.x - seeds[a].x));
          if (bis < dBis) {
            dBis = bis;
            b = g;
          }
        }
      });
      const { r } = ellipseCoords(el, y, x);
      const mixed = b >= 0 ? Math.max(0, 0.5 - dBis / bandPx) : 0;
      const fa = fractionsAt(a, r);
      const fb = b >= 0 ? fractionsAt(b, r) : fa;
      order.forEach((phase, i) => {
        layout.fractions[phase * npx + p] += (1 - mixed) * fa[i] + mixed * fb[i];
      });
    }
  }
}

/** Several separate particles: single-phase, core–shell or grained. */
function particles(layout: PhaseLayout, rng: Rng, options: MorphologyOptions): void {
  const { ny, nx, phases } = options;
  const npx = ny * nx;
  const wanted = 3 + randomInt(rng, 3);
  const placed: Ellipse[] = [];
  for (let tries = 0; placed.length < wanted && tries < 500; tries++) {
    const r = Math.min(ny, nx) * uniformIn(rng, 0.12, 0.22);
    const el: Ellipse = {
      cy: uniformIn(rng, r + 1, ny - r - 2),
      cx: uniformIn(rng, r + 1, nx - r - 2),
      ry: r * uniformIn(rng, 0.8, 1.1),
      rx: r * uniformIn(rng, 0.9, 1.3),
      angle: uniformIn(rng, 0, Math.PI)
    };
    const clear = placed.every(
      q =>
        Math.hypot(q.cy - el.cy, q.cx - el.cx) > Math.max(q.rx, q.ry) + Math.max(el.rx, el.ry) + 3
    );
    if (clear) {
      placed.push(el);
    }
  }
  placed.forEach((el, i) => {
    const part: PhaseLayout = {
      thickness: new Float32Array(npx),
      fractions: new Float32Array(phases * npx)
    };
    const kind = i % 3;
    if (kind === 0 || phases < 2) {
      paint(part, el, options, uniformIn(rng, 0.3, options.thicknessUm[1]));
      const ph = randomInt(rng, phases);
      for (let p = 0; p < npx; p++) {
        part.fractions[ph * npx + p] = part.thickness[p] > 0 ? 1 : 0;
      }
    } else if (kind === 1) {
      const k = Math.min(2, phases);
      coreShell(part, el, rng, options, range(randomInt(rng, phases - k + 1), k));
    } else {
      grains(part, el, rng, options, range(0, phases), 5);
    }
    for (let p = 0; p < npx; p++) {
      if (part.thickness[p] > 0) {
        layout.thickness[p] = part.thickness[p];
        for (let n = 0; n < phases; n++) {
          layout.fractions[n * npx + p] = part.fractions[n * npx + p];
        }
      }
    }
  });
}
