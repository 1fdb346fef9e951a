"""The reference sampler on the exported graphs (ONNX Runtime), for parity with PyTorch and TypeScript.

Same layout as the graphs (sampler.py): per-star inputs, samples as [stars, samples, n_latent].
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort

from cradle_models.export.graphs import CONTEXT_FILE, VELOCITY_FILE
from cradle_models.export.sampler import UNIFORM, Schedule, Solver, VelocityFn, as_samples, integrate


class OnnxSimformer:
    """The two ONNX sessions of a model folder."""

    def __init__(self, model_dir: Path, threads: int = 1) -> None:
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.context = ort.InferenceSession(
            str(model_dir / CONTEXT_FILE), opts, providers=["CPUExecutionProvider"]
        )
        self.velocity_session = ort.InferenceSession(
            str(model_dir / VELOCITY_FILE), opts, providers=["CPUExecutionProvider"]
        )

    def encode(self, ids: np.ndarray, values: np.ndarray, errors: np.ndarray, mask: np.ndarray) -> np.ndarray:
        out = self.context.run(
            ["context_kv"],
            {
                "context_ids": ids.astype(np.int64),
                "context_values": values.astype(np.float32),
                "context_errors": errors.astype(np.float32),
                "context_mask": mask.astype(np.float32),
            },
        )
        return np.asarray(out[0])

    def velocity(
        self,
        ids: np.ndarray,
        values: np.ndarray,
        errors: np.ndarray,
        t: np.ndarray,
        context_kv: np.ndarray,
        mask: np.ndarray,
    ) -> np.ndarray:
        """Per-star ids/errors [B, Nl], t [B], context_kv, mask; values [B, S, Nl] → [B, S, Nl]."""
        out = self.velocity_session.run(
            ["velocity"],
            {
                "latent_ids": ids.astype(np.int64),
                "latent_values": values.astype(np.float32),
                "latent_errors": errors.astype(np.float32),
                "t": t.astype(np.float32),
                "context_kv": context_kv.astype(np.float32),
                "latent_mask": mask.astype(np.float32),
            },
        )
        return np.asarray(out[0])

    def velocity_fn(
        self,
        latent_ids: np.ndarray,
        latent_errors: np.ndarray,
        context_kv: np.ndarray,
        latent_mask: np.ndarray,
    ) -> VelocityFn:
        def fn(x: np.ndarray, t: float) -> np.ndarray:
            tt = np.full((x.shape[0],), t, dtype=np.float32)
            return self.velocity(latent_ids, x, latent_errors, tt, context_kv, latent_mask).astype(np.float32)

        return fn

    def sample(
        self,
        context_ids: np.ndarray,
        context_values: np.ndarray,
        context_errors: np.ndarray,
        context_mask: np.ndarray,
        latent_ids: np.ndarray,
        latent_errors: np.ndarray,
        latent_mask: np.ndarray,
        noise: np.ndarray,
        steps: int,
        solver: Solver,
        schedule: Schedule = UNIFORM,
    ) -> np.ndarray:
        kv = self.encode(context_ids, context_values, context_errors, context_mask)
        fn = self.velocity_fn(latent_ids, latent_errors, kv, latent_mask)
        x0, one_per_row = as_samples(noise)
        x = integrate(fn, x0, steps, solver, schedule)
        return x[:, 0, :] if one_per_row else x
