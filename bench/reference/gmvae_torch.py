"""The project's GMVAE, re-implemented in PyTorch, and its training throughput on CPU.

Same architecture, loss, initialisation, optimiser and batch handling as
src/core/analysis/gmvae/model.ts and train.ts (tfjs), with the defaults of
src/core/model/result.ts (DEFAULT_GMVAE). How it matches, term by term:

- Input: per-pixel standardised spectra (zero mean, unit population variance
  over the energies; features.ts `standardisedSpectra`), D = number of energies
  (method 'gmvae' uses no neighbour context, methods.ts).
- Encoder: h1 = tanh(x·enc1W + enc1b), h2 = tanh(h1·enc2W + enc2b), H = 32.
- q(y|x): log_softmax(h2·qyW + qyb), K = number of references.
- q(z|x,y): tanh(h2·qzW + qzY[y]) (qzW has no bias; the one-hot part of
  [h, onehot(y)]·W is one row of qzY per component) → ·qz2W + qz2b → (µ, log σ²),
  L = 2, log σ² clipped to [−9, 5].
- p(z|y): learned priorMu (K × L, initialised on a ring of radius 2; dimensions
  ≥ 2 get 0.5·N(0, 1)) and priorLogVar (K × L, zeros), clipped to [−9, 5].
- Decoder: tanh(z·dec1W + dec1b) → tanh(·dec2W + dec2b) → ·dec3W + dec3b, with a
  learned per-feature log σ² (decLogVar, initialised to −1, clipped to [−9, 5]).
- Weights Glorot-uniform, biases zero (initWeights).
- Loss per sample, y marginalised exactly with one reparameterised z per
  component: Σ_y q(y|x)[½Σ_d((x − x̂_y)²/σ² + log σ²) + KL(q(z|x,y) ‖ p(z|y))]
  + KL(q(y|x) ‖ U(K)); mean over the batch.
- Adam, lr 5e-3, β = (0.9, 0.999), ε = 1e-7 (tfjs's default ε for float32
  backends; torch's own default is 1e-8), no weight decay.
- Data: a seeded subsample of at most 5000 pixels, 10 % of it held out for
  validation (none below 20 samples); the rest reshuffled every epoch, batches
  of 512 (the last one smaller), fresh N(0, 1) noise per batch; validation loss
  with zero noise after each epoch; early stopping (patience 10) restoring the
  best weights; at most 60 epochs.
- Throughput as train.ts reports it: training samples × epochs run / time in the
  training batches (the validation pass excluded).

Differences: float32 throughout in both; the random streams differ (the project
uses its own seeded generator), so losses match in distribution, not bit for bit.

    .venv-bench/bin/python bench/reference/gmvae_torch.py --input-dim 20 --samples 5000
"""

from __future__ import annotations

import argparse
import copy
import math
import time
from dataclasses import dataclass, field

import numpy as np
import torch
from common import emit, log, machine
from torch import nn

LOGVAR_MIN = -9.0
LOGVAR_MAX = 5.0


@dataclass
class GmvaeConfig:
    """DEFAULT_GMVAE of src/core/model/result.ts (components 0 = one per reference)."""

    input_dim: int
    components: int = 5
    hidden: int = 32
    latent_dim: int = 2
    epochs: int = 60
    batch_size: int = 512
    learning_rate: float = 5e-3
    patience: int = 10
    max_samples: int = 5000
    validation_fraction: float = 0.1


@dataclass
class TrainStats:
    epochs_run: int
    best_epoch: int
    train_samples: int
    validation_samples: int
    train_seconds: float  # in the training batches only
    wall_seconds: float  # the whole loop, validation included
    samples_per_second: float
    training_loss: list[float] = field(default_factory=list)
    validation_loss: list[float] = field(default_factory=list)


class Gmvae(nn.Module):
    """model.ts, parameter for parameter (same names, same shapes, x·W layout)."""

    def __init__(self, cfg: GmvaeConfig) -> None:
        super().__init__()
        d, h, k, n_lat = cfg.input_dim, cfg.hidden, cfg.components, cfg.latent_dim
        self.k, self.l, self.d = k, n_lat, d

        def glorot(rows: int, cols: int) -> nn.Parameter:
            return nn.Parameter(nn.init.xavier_uniform_(torch.empty(rows, cols)))

        def zeros(*shape: int) -> nn.Parameter:
            return nn.Parameter(torch.zeros(*shape))

        self.enc1W, self.enc1b = glorot(d, h), zeros(h)
        self.enc2W, self.enc2b = glorot(h, h), zeros(h)
        self.qyW, self.qyb = glorot(h, k), zeros(k)
        self.qzW = glorot(h, h)
        self.qzY = glorot(k, h)
        self.qz2W, self.qz2b = glorot(h, 2 * n_lat), zeros(2 * n_lat)
        prior = 0.5 * torch.randn(k, n_lat)
        angle = 2 * math.pi * torch.arange(k) / k
        prior[:, 0] = 2 * torch.cos(angle)
        if n_lat > 1:
            prior[:, 1] = 2 * torch.sin(angle)
        self.priorMu = nn.Parameter(prior)
        self.priorLogVar = zeros(k, n_lat)
        self.dec1W, self.dec1b = glorot(n_lat, h), zeros(h)
        self.dec2W, self.dec2b = glorot(h, h), zeros(h)
        self.dec3W, self.dec3b = glorot(h, d), zeros(d)
        self.decLogVar = nn.Parameter(torch.full((d,), -1.0))

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """log q(y|x) (B, K); µ and log σ² of q(z|x,y), (B, K, L)."""
        b = x.shape[0]
        h1 = torch.tanh(x @ self.enc1W + self.enc1b)
        h2 = torch.tanh(h1 @ self.enc2W + self.enc2b)
        log_qy = torch.log_softmax(h2 @ self.qyW + self.qyb, dim=1)
        hy = torch.tanh((h2 @ self.qzW).unsqueeze(1) + self.qzY.unsqueeze(0))  # (B, K, H)
        out = hy.reshape(b * self.k, -1) @ self.qz2W + self.qz2b
        mu = out[:, : self.l].reshape(b, self.k, self.l)
        log_var = out[:, self.l :].clamp(LOGVAR_MIN, LOGVAR_MAX).reshape(b, self.k, self.l)
        return log_qy, mu, log_var

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        d1 = torch.tanh(z @ self.dec1W + self.dec1b)
        d2 = torch.tanh(d1 @ self.dec2W + self.dec2b)
        return d2 @ self.dec3W + self.dec3b

    def loss(self, x: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
        """Mean negative ELBO; `eps` (B·K, L) standard normal, zeros for validation."""
        b, k, n_lat, d = x.shape[0], self.k, self.l, self.d
        log_qy, mu, log_var = self.encode(x)
        qy = log_qy.exp()
        z = mu.reshape(b * k, n_lat) + torch.exp(0.5 * log_var.reshape(b * k, n_lat)) * eps
        x_hat = self.decode(z).reshape(b, k, d)
        dec_lv = self.decLogVar.clamp(LOGVAR_MIN, LOGVAR_MAX)
        recon = 0.5 * ((x_hat - x.unsqueeze(1)).square() * torch.exp(-dec_lv) + dec_lv).sum(2)
        p_mu = self.priorMu.unsqueeze(0)
        p_lv = self.priorLogVar.clamp(LOGVAR_MIN, LOGVAR_MAX).unsqueeze(0)
        klz = 0.5 * (
            (p_lv - log_var + (log_var.exp() + (mu - p_mu).square()) * torch.exp(-p_lv)) - 1
        ).sum(2)
        per_y = (qy * (recon + klz)).sum(1)
        kly = (qy * (log_qy + math.log(k))).sum(1)
        return (per_y + kly).mean()

    @torch.no_grad()
    def latent_means(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """E_q(y|x)[µ(x, y)] (B, L) and q(y|x) (B, K)."""
        log_qy, mu, _ = self.encode(x)
        qy = log_qy.exp()
        return (mu * qy.unsqueeze(2)).sum(1), qy


def train_gmvae(features: np.ndarray, cfg: GmvaeConfig, seed: int) -> tuple[Gmvae, TrainStats]:
    """train.ts `trainGmvae`: split, subsample, shuffled batches, Adam, early stopping."""
    count = features.shape[0]
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    order = rng.permutation(count)
    used = min(count, cfg.max_samples) if cfg.max_samples > 0 else count
    n_val = max(1, round(used * cfg.validation_fraction)) if used >= 20 else 0
    train_idx = order[n_val:used] if n_val > 0 else order[:used]
    val_idx = order[:n_val] if n_val > 0 else train_idx
    x_train = torch.from_numpy(np.ascontiguousarray(features[train_idx], dtype=np.float32))
    x_val = torch.from_numpy(np.ascontiguousarray(features[val_idx], dtype=np.float32))
    eps_val = torch.zeros(len(val_idx) * cfg.components, cfg.latent_dim)
    n_train = x_train.shape[0]

    model = Gmvae(cfg)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.learning_rate, betas=(0.9, 0.999), eps=1e-7)
    best, best_epoch, best_state = math.inf, -1, copy.deepcopy(model.state_dict())
    stats = TrainStats(0, -1, n_train, n_val, 0.0, 0.0, 0.0)
    t_start = time.perf_counter()
    for epoch in range(cfg.epochs):
        perm = torch.randperm(n_train)
        total = 0.0
        t0 = time.perf_counter()
        for start in range(0, n_train, cfg.batch_size):
            x = x_train[perm[start : start + cfg.batch_size]]
            eps = torch.randn(x.shape[0] * cfg.components, cfg.latent_dim)
            loss = model.loss(x, eps)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.item() * x.shape[0]
        stats.train_seconds += time.perf_counter() - t0
        with torch.no_grad():
            val_loss = model.loss(x_val, eps_val).item()
        train_loss = total / n_train
        stats.training_loss.append(train_loss)
        stats.validation_loss.append(val_loss)
        stats.epochs_run = epoch + 1
        if not (math.isfinite(train_loss) and math.isfinite(val_loss)):
            raise RuntimeError(f"training diverged at epoch {epoch + 1} (loss {train_loss})")
        if val_loss < best:
            best, best_epoch = val_loss, epoch
            best_state = copy.deepcopy(model.state_dict())
        elif epoch - best_epoch >= cfg.patience:
            break
    stats.wall_seconds = time.perf_counter() - t_start
    stats.best_epoch = best_epoch
    stats.samples_per_second = n_train * stats.epochs_run / stats.train_seconds
    model.load_state_dict(best_state)
    return model, stats


def encode_all(model: Gmvae, features: np.ndarray, batch: int = 4096) -> np.ndarray:
    """Latent means of every row, in batches (train.ts `encodeAll`), float32 (count, L)."""
    out = np.empty((features.shape[0], model.l), dtype=np.float32)
    x = torch.from_numpy(np.ascontiguousarray(features, dtype=np.float32))
    for start in range(0, x.shape[0], batch):
        z, _ = model.latent_means(x[start : start + batch])
        out[start : start + batch] = z.numpy()
    return out


def standardise_rows(spectra: np.ndarray) -> np.ndarray:
    """features.ts `standardisedSpectra`: zero mean, unit population std per row; flat → 0."""
    s = spectra - spectra.mean(axis=1, keepdims=True)
    std = np.sqrt((s * s).mean(axis=1, keepdims=True))
    return np.divide(s, std, out=np.zeros_like(s), where=std > 0).astype(np.float32)


def synthetic_features(samples: int, dim: int, k: int, seed: int) -> np.ndarray:
    """Standardised noisy spectra of K smooth phases: what the model sees of particle pixels."""
    rng = np.random.default_rng(seed)
    e = np.linspace(0.0, 1.0, dim)
    centres = rng.uniform(0.2, 0.8, k)
    refs = 0.3 + np.exp(-(((e[None, :] - centres[:, None]) / 0.08) ** 2)) + 0.5 * e[None, :]
    label = rng.integers(0, k, samples)
    thickness = rng.uniform(0.2, 1.5, (samples, 1))
    spectra = refs[label] * thickness + 0.02 * rng.standard_normal((samples, dim))
    return standardise_rows(spectra)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input-dim", type=int, default=20, help="D, features per sample")
    ap.add_argument("--samples", type=int, default=5000, help="pixels before the subsample")
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--batch", type=int, default=512)
    ap.add_argument("--components", type=int, default=5, help="K = number of references")
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--latent", type=int, default=2)
    ap.add_argument("--lr", type=float, default=5e-3)
    ap.add_argument("--patience", type=int, default=10)
    ap.add_argument("--max-samples", type=int, default=5000)
    ap.add_argument("--encode-pixels", type=int, default=100_000, help="0 = skip encode timing")
    ap.add_argument("--threads", default="default,1", help="comma list: default or a number")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--repeats", type=int, default=1, help="train this often per setting; the fastest counts"
    )
    args = ap.parse_args()

    cfg = GmvaeConfig(
        input_dim=args.input_dim,
        components=args.components,
        hidden=args.hidden,
        latent_dim=args.latent,
        epochs=args.epochs,
        batch_size=args.batch,
        learning_rate=args.lr,
        patience=args.patience,
        max_samples=args.max_samples,
    )
    features = synthetic_features(args.samples, args.input_dim, args.components, args.seed)
    default_threads = torch.get_num_threads()
    runs = []
    for spec in args.threads.split(","):
        threads = default_threads if spec.strip() == "default" else int(spec)
        torch.set_num_threads(threads)
        tries = [train_gmvae(features, cfg, args.seed) for _ in range(max(1, args.repeats))]
        model, stats = max(tries, key=lambda t: t[1].samples_per_second)
        run = {
            "threads": threads,
            "samples_per_s": round(stats.samples_per_second),
            "samples_per_s_all": [round(t[1].samples_per_second) for t in tries],
            "train_s": round(stats.train_seconds, 3),
            "wall_s_with_validation": round(stats.wall_seconds, 3),
            "epochs_run": stats.epochs_run,
            "best_epoch": stats.best_epoch,
            "final_loss": round(stats.training_loss[-1], 4),
            "best_val_loss": round(min(stats.validation_loss), 4),
        }
        if args.encode_pixels > 0:
            big = np.resize(features, (args.encode_pixels, args.input_dim))
            encode_all(model, big[:4096])  # warm-up
            t0 = time.perf_counter()
            encode_all(model, big)
            run["encode_pixels_per_s"] = round(args.encode_pixels / (time.perf_counter() - t0))
        log(
            f"threads {threads}: {run['samples_per_s']} samples/s over {stats.epochs_run} "
            f"epochs ({stats.train_samples} training samples), loss {run['final_loss']}"
        )
        runs.append(run)
    torch.set_num_threads(default_threads)

    emit(
        {
            "bench": "gmvae-train",
            "implementation": "torch",
            "config": vars(cfg),
            "train_samples": stats.train_samples,
            "validation_samples": stats.validation_samples,
            "runs": runs,
            "torch": torch.__version__,
            "torch_default_threads": default_threads,
            "torch_interop_threads": torch.get_num_interop_threads(),
            "torch_parallel_backend": next(
                (
                    ln.split(":", 1)[1].strip()
                    for ln in torch.__config__.parallel_info().splitlines()
                    if "parallel backend" in ln
                ),
                None,
            ),
            "machine": machine(),
        }
    )


if __name__ == "__main__":
    main()
