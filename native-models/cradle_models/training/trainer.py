"""The training loop: AdamW, warm-up + cosine, EMA, gradient clipping, AMP on GPU, checkpoints.

Determinism: all randomness (initial weights, batch indices, condition masks, t and x0) is drawn from
generators seeded by ``config.seed``; a checkpoint holds the model, EMA, optimiser, scheduler, step and
the data generator's state, so a resumed run continues bit for bit as the uninterrupted run would (on
the same device and thread count). Checkpoints and logs are written atomically (temp file + rename).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from cradle_models.data.masks import sample_conditions
from cradle_models.data.sets import TrainingSet
from cradle_models.losses.flow_matching import flow_matching_loss
from cradle_models.nets.simformer import Simformer, SimformerConfig
from cradle_models.training.config import TrainConfig
from cradle_models.training.schedule import EMA, warmup_cosine

CHECKPOINT = "checkpoint.pt"
LOG = "train_log.jsonl"


def atomic_save(obj: Any, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


class Trainer:
    def __init__(
        self,
        config: TrainConfig,
        train: TrainingSet,
        validation: TrainingSet,
        out_dir: Path | None = None,
        device: str = "cpu",
    ) -> None:
        self.config = config
        self.train = train
        self.validation = validation
        self.out_dir = out_dir
        self.device = torch.device(device)
        torch.set_num_threads(config.threads)
        torch.manual_seed(config.seed)
        m = config.model
        self.model_config = SimformerConfig(
            n_variables=len(train.variables),
            width=m.width,
            heads=m.heads,
            context_layers=m.context_layers,
            velocity_layers=m.velocity_layers,
            mlp_ratio=m.mlp_ratio,
            prediction=m.prediction,
        )
        self.model = Simformer(self.model_config).to(self.device)
        self.ema = EMA(self.model, config.ema_decay)
        self.optimizer = torch.optim.AdamW(
            self.model.parameters(), lr=config.lr, weight_decay=config.weight_decay
        )
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(
            self.optimizer, lambda s: warmup_cosine(s, config.warmup_steps, config.steps)
        )
        self.generator = torch.Generator().manual_seed(config.seed + 1)
        self.step = 0
        self.use_amp = config.amp and self.device.type == "cuda"
        self.history: list[dict[str, float]] = []

    def _batch_loss(self, data: TrainingSet, index: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        present, observed, groups = sample_conditions(
            data.present[index], data.variables, self.config.mixture, generator
        )
        return flow_matching_loss(
            self.model,
            data.values[index],
            data.errors[index],
            present,
            observed,
            groups,
            generator,
            self.config.time_sampling,
        )

    def train_step(self) -> float:
        self.model.train()
        index = torch.randint(len(self.train), (self.config.batch_size,), generator=self.generator)
        with torch.autocast(device_type=self.device.type, dtype=torch.bfloat16, enabled=self.use_amp):
            loss = self._batch_loss(self.train, index, self.generator)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()  # type: ignore[no-untyped-call]
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.config.grad_clip)
        self.optimizer.step()
        self.scheduler.step()
        self.step += 1
        self.ema.update(self.model, self.step)
        return float(loss.item())

    @torch.no_grad()
    def validate(self) -> float:
        """Flow-matching loss of the EMA weights on the validation set, with fixed masks and noise."""
        live = {k: v.clone() for k, v in self.model.state_dict().items()}
        self.model.load_state_dict(self.ema.state_dict())
        self.model.eval()
        gen = torch.Generator().manual_seed(self.config.seed + 2)
        total, count = 0.0, 0
        n = min(len(self.validation), self.config.val_size)
        for start in range(0, n, self.config.batch_size):
            index = torch.arange(start, min(start + self.config.batch_size, n))
            total += float(self._batch_loss(self.validation, index, gen).item()) * len(index)
            count += len(index)
        self.model.load_state_dict(live)
        return total / max(count, 1)

    def run(
        self, stop_at: int | None = None, on_log: Callable[[dict[str, float]], None] | None = None
    ) -> None:
        """Train until ``config.steps`` (or ``stop_at``), validating and checkpointing on schedule."""
        end = self.config.steps if stop_at is None else min(stop_at, self.config.steps)
        started = time.monotonic()
        running, count = 0.0, 0
        while self.step < end:
            running += self.train_step()
            count += 1
            if self.step % self.config.val_every == 0 or self.step == self.config.steps:
                record = {
                    "step": float(self.step),
                    "train_loss": running / count,
                    "val_loss": self.validate(),
                    "lr": float(self.scheduler.get_last_lr()[0]),
                    "seconds": time.monotonic() - started,
                }
                running, count = 0.0, 0
                self.history.append(record)
                self._append_log(record)
                if on_log is not None:
                    on_log(record)
            if self.out_dir is not None and self.step % self.config.checkpoint_every == 0:
                self.save_checkpoint(self.out_dir / CHECKPOINT)

    def _append_log(self, record: dict[str, float]) -> None:
        if self.out_dir is None:
            return
        self.out_dir.mkdir(parents=True, exist_ok=True)
        with open(self.out_dir / LOG, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")

    def ema_model(self) -> Simformer:
        model = Simformer(self.model_config)
        model.load_state_dict(self.ema.state_dict())
        return model.eval()

    def state(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "config": self.config.to_dict(),
            "model_config": self.model_config.to_dict(),
            "model": self.model.state_dict(),
            "ema": self.ema.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "scheduler": self.scheduler.state_dict(),
            "generator": self.generator.get_state(),
            "history": self.history,
        }

    def save_checkpoint(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_save(self.state(), path)

    def load_checkpoint(self, path: Path) -> None:
        try:
            state = torch.load(path, map_location=self.device, weights_only=False)
        except (OSError, RuntimeError) as err:
            raise ValueError(f"{path}: cannot read checkpoint ({err})") from err
        if state["model_config"] != self.model_config.to_dict():
            raise ValueError(
                f"{path}: checkpoint model {state['model_config']} differs from the configured "
                f"{self.model_config.to_dict()}"
            )
        self.model.load_state_dict(state["model"])
        self.ema.load_state_dict(state["ema"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.scheduler.load_state_dict(state["scheduler"])
        self.generator.set_state(state["generator"])
        self.step = int(state["step"])
        self.history = list(state["history"])
