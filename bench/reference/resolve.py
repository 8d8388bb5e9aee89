"""Resolution of ambiguous pixels in latent space, in numpy, after resolve.ts and gaussians.ts.

Per phase, a Gaussian of the latent means of its unambiguous pixels, with the
project's regularisation: covariance pooled halfway towards the pooled
within-phase covariance, then 10 % towards a scaled identity; re-estimated
once without the pixels outside their phase's 99.9 % ellipsoid; a phase
needs max(10, 0.5 %) unambiguous pixels to take part. Each ambiguous pixel
goes to the phase of least squared Mahalanobis distance. Confidence (latent
posterior of the final phase, equal priors) and false assignments
(unambiguous, but another phase's posterior ≥ 0.9) for every particle pixel.

Not done here: the neighbourhood term of method 'gmvae' (ICM, β = 2; this is
the per-pixel rule of 'gmvae-pixel'), and the transition / unassigned flags.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

POOLING = 0.5
SHRINKAGE = 0.1
MIN_PHASE_PIXELS = 10
MIN_PHASE_SHARE = 0.005
FALSE_ASSIGNMENT_POSTERIOR = 0.9


@dataclass
class Gaussians:
    means: np.ndarray  # (N, L)
    inv_chol: np.ndarray  # (N, L, L), inverse of the lower Cholesky factor
    counts: np.ndarray  # (N,)
    usable: np.ndarray  # (N,) bool


@dataclass
class Resolved:
    phase: np.ndarray  # int16 (P,) over the particle pixels
    confidence: np.ndarray  # float32 (P,)
    false_assignment: np.ndarray  # bool (P,)
    gaussians: Gaussians
    resolved: int


def chi2_quantile(dof: int, p: float) -> float:
    """Wilson–Hilferty, as gaussians.ts `chiSquareQuantile`."""
    a = 2 / (9 * dof)
    return dof * (1 - a + float(ndtri(p)) * math.sqrt(a)) ** 3


def estimate(z: np.ndarray, labels: np.ndarray, n: int, pooling: float = POOLING) -> Gaussians:
    """gaussians.ts `gaussiansFromMoments`: regularised per-phase Gaussians of labelled rows."""
    dim = z.shape[1]
    counts = np.bincount(labels[labels >= 0], minlength=n).astype(np.float64)
    means = np.zeros((n, dim))
    scatter = np.zeros((n, dim, dim))
    for g in range(n):
        zg = z[labels == g].astype(np.float64)
        if zg.shape[0]:
            means[g] = zg.mean(axis=0)
            d = zg - means[g]
            scatter[g] = d.T @ d
    dof = (counts[counts > 1] - 1).sum()
    pooled = scatter[counts > 1].sum(axis=0) / dof if dof > 0 else np.zeros((dim, dim))
    inv_chol = np.zeros((n, dim, dim))
    usable = counts > 0
    for g in range(n):
        own = counts[g] >= dim + 1
        gamma = pooling if own else 1.0
        mine = scatter[g] / (counts[g] - 1) if own else 0.0
        cov = (1 - gamma) * mine + gamma * pooled
        trace = np.trace(cov)
        scale = trace / dim if trace > 0 else 1.0
        cov = cov * (1 - SHRINKAGE) + (SHRINKAGE * scale + 1e-6 * scale) * np.eye(dim)
        try:
            inv_chol[g] = np.linalg.inv(np.linalg.cholesky(cov))
        except np.linalg.LinAlgError:
            usable[g] = False
    return Gaussians(means, inv_chol, counts, usable)


def mahalanobis2(z: np.ndarray, g: Gaussians) -> np.ndarray:
    """Squared distances of every row of `z` to every phase, (P, N); ∞ for unusable phases."""
    d2 = np.full((z.shape[0], len(g.counts)), np.inf)
    for k in np.flatnonzero(g.usable):
        y = (z - g.means[k]) @ g.inv_chol[k].T
        d2[:, k] = np.einsum("pl,pl->p", y, y)
    return d2


def resolve(z: np.ndarray, initial: np.ndarray, ambiguous: np.ndarray, n: int) -> Resolved:
    """Resolve the ambiguous rows of `z` (latent means of the particle pixels, (P, L))."""
    labels = np.where(ambiguous, -1, initial).astype(np.int64)
    first = estimate(z, labels, n)
    # robust: once more without the labelled pixels outside their phase's 99.9 % ellipsoid
    limit = chi2_quantile(z.shape[1], 0.999)
    d2 = mahalanobis2(z, first)
    lab = np.flatnonzero(labels >= 0)
    lab = lab[first.usable[labels[lab]]]
    outside = np.zeros(len(z), dtype=bool)
    outside[lab] = d2[lab, labels[lab]] > limit
    labels[outside] = -1
    g = estimate(z, labels, n) if outside.any() else first
    min_pixels = max(MIN_PHASE_PIXELS, math.ceil(MIN_PHASE_SHARE * g.counts.sum()))
    g.usable &= g.counts >= min_pixels

    phase = initial.astype(np.int16)
    amb = np.flatnonzero(ambiguous)
    if not g.usable.any():
        conf = np.ones(len(z), dtype=np.float32)
        return Resolved(phase, conf, np.zeros(len(z), dtype=bool), g, 0)
    d2 = mahalanobis2(z, g)
    phase[amb] = d2[amb].argmin(axis=1)
    # latent posterior ∝ exp(−½D²), equal priors
    logp = -0.5 * d2
    logp -= logp.max(axis=1, keepdims=True)
    post = np.exp(logp)
    post /= post.sum(axis=1, keepdims=True)
    rows = np.arange(len(z))
    confidence = post[rows, phase].astype(np.float32)
    others = post.copy()
    others[rows, phase] = 0
    false_assignment = ~ambiguous & (others.max(axis=1) >= FALSE_ASSIGNMENT_POSTERIOR)
    return Resolved(phase, confidence, false_assignment, g, int(amb.size))
