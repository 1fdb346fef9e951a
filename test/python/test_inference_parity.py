"""Parity of the TypeScript inference engine with the Python reference sampler.

A model with random weights (every weight non-zero, so no path through the network is idle) and a
log10-transformed parameter and observable is exported with cradle_models' own export and card code.
The engine (test/python/inference_probe.ts) samples stars with several condition patterns; the test
runs the reference sampler (ONNX Runtime and PyTorch) on the same tokens and the engine's initial
noise, and checks the samples within 1e-4 of the ONNX reference (and as close to PyTorch as the export
itself is), then the summaries against numpy on the same samples (percentiles: Hyndman & Fan type 6, numpy's
"weibull").
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "native-models"))

from cradle_models.export.card import build_card, write_card  # noqa: E402
from cradle_models.export.graphs import export_onnx  # noqa: E402
from cradle_models.export.onnx_sampler import OnnxSimformer  # noqa: E402
from cradle_models.export.sampler import UNIFORM, Schedule, posterior_samples_torch  # noqa: E402
from cradle_models.nets.simformer import Simformer, SimformerConfig  # noqa: E402
from cradle_models.nets.tokens import attention_masks, split_tokens  # noqa: E402
from cradle_models.variables import Transform, Variable, denormalise  # noqa: E402

PROBE = ROOT / "test" / "python" / "inference_probe.ts"
pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")

VARIABLES = [
    Variable("mass_init", "parameter", "Msun", Transform("log10", 0.0), mean=-0.2, std=0.4),
    Variable("theta", "parameter", "", Transform(), mean=0.3, std=1.5),
    Variable("av", "parameter", "mag", Transform("log10", 0.05), mean=-0.5, std=0.5),
    Variable("x_0", "observable", "mag", Transform(), mean=12.0, std=2.0, survey="toy"),
    Variable("x_1", "observable", "mag", Transform(), mean=11.0, std=1.8, survey="toy"),
    Variable(
        "flux",
        "observable",
        "",
        Transform("log10", 0.0),
        mean=1.0,
        std=0.7,
        survey="toy",
    ),
]
STEPS = 6
SAMPLES = 16


def _config(prediction: str) -> SimformerConfig:
    return SimformerConfig(
        n_variables=len(VARIABLES),
        width=32,
        heads=4,
        context_layers=2,
        velocity_layers=2,
        prediction=prediction,  # type: ignore[arg-type]
    )


def _export(folder: Path, solver: str, schedule: Schedule, prediction: str) -> Path:
    torch.manual_seed(4)
    config = _config(prediction)
    model = Simformer(config)
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0.0, 0.3)
    model.eval()
    export_onnx(model, folder)
    card = build_card(
        "parity",
        "random weights for parity tests",
        VARIABLES,
        config,
        training={"note": "untrained"},
        sampler={"solver": solver, "steps": STEPS, "samples_per_star": SAMPLES, **schedule.to_card()},
        time_sampling="uniform",
        prior="none",
    )
    write_card(card, folder)
    torch.save(model.state_dict(), folder / "weights.pt")
    return folder


def _stars(
    rng: np.random.Generator,
) -> tuple[list[list[float | None]], list[list[float]], list[list[bool]]]:
    patterns = [
        [False, False, False, True, True, True],
        [False, False, False, True, False, True],
        [False, False, False, False, False, False],  # nothing observed: the prior
        [False, True, False, True, True, False],  # an observed parameter
        [False, False, False, True, True, True],
    ]
    values, errors, observed = [], [], []
    for p in patterns:
        row = [
            float(rng.uniform(0.3, 2.0)),
            float(rng.normal(0.3, 1.0)),
            float(rng.uniform(0.0, 2.0)),
            float(rng.normal(12, 2)),
            float(rng.normal(11, 2)),
            float(rng.uniform(2, 30)),
        ]
        err = [
            0.0,
            0.0,
            0.0,
            float(rng.uniform(0.01, 0.3)),
            float(rng.uniform(0.01, 0.3)),
            float(rng.uniform(0.1, 2)),
        ]
        values.append([v if o else None for v, o in zip(row, p, strict=True)])
        errors.append(err)
        observed.append(p)
    return values, errors, observed


def _run_probe(request: dict[str, object], tmp: Path) -> dict[str, object]:
    path = tmp / "request.json"
    path.write_text(json.dumps(request))
    out = subprocess.run(  # noqa: PLW1510 (the return code is asserted below, with stderr)
        ["node", "--import", "tsx", str(PROBE), str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return dict(json.loads(out.stdout))


@pytest.mark.parametrize(
    ("solver", "schedule", "prediction"),
    [
        ("euler", UNIFORM, "velocity"),
        ("heun", UNIFORM, "velocity"),
        ("midpoint", UNIFORM, "velocity"),
        ("heun", Schedule("power", 2.5, final_euler=True), "data"),
        ("midpoint", Schedule("power", 2.0), "velocity"),
    ],
)
def test_engine_samples_match_reference_sampler(
    tmp_path: Path, solver: str, schedule: Schedule, prediction: str
) -> None:
    folder = _export(tmp_path / "model", solver, schedule, prediction)
    rng = np.random.default_rng(7)
    values, errors, observed = _stars(rng)
    result = _run_probe(
        {
            "model": str(folder),
            "values": values,
            "errors": errors,
            "observed": observed,
            "samples": SAMPLES,
            "steps": STEPS,
            "solver": solver,
            "seed": 1234,
            "start": 1_000_000_007,
        },
        tmp_path,
    )
    model = Simformer(_config(prediction))
    model.load_state_dict(torch.load(folder / "weights.pt"))
    model.eval()
    onnx_model = OnnxSimformer(folder)
    n_params = sum(v.role == "parameter" for v in VARIABLES)
    stars = result["stars"]
    assert isinstance(stars, list)
    for r, star in enumerate(stars):
        obs = np.array(observed[r])
        present = obs | (np.arange(len(VARIABLES)) < n_params)
        z = np.nan_to_num(np.array(star["network_values"], dtype=np.float32))
        e = np.array(star["network_errors"], dtype=np.float32)

        def rows(a: np.ndarray, dtype: torch.dtype) -> torch.Tensor:
            return torch.as_tensor(np.repeat(a[None, :], SAMPLES, axis=0), dtype=dtype)

        context, latent = split_tokens(
            rows(z, torch.float32),
            rows(e, torch.float32),
            rows(present, torch.bool),
            rows(obs, torch.bool),
        )
        assert latent.ids[0, : len(star["latent"])].tolist() == star["latent"]
        ctx_mask, lat_mask = attention_masks(context, latent)
        noise = np.array(star["noise"], dtype=np.float32)
        args = (
            context.ids.numpy(),
            context.values.numpy(),
            context.errors.numpy(),
            ctx_mask.numpy(),
            latent.ids.numpy(),
            latent.errors.numpy(),
            lat_mask.numpy(),
            noise,
            STEPS,
        )
        reference_onnx = onnx_model.sample(*args, solver=solver, schedule=schedule)  # type: ignore[arg-type]
        reference_torch = posterior_samples_torch(
            model,
            *args,
            solver=solver,  # type: ignore[arg-type]
            schedule=schedule,
        )
        engine = np.array(star["samples"], dtype=np.float32)
        assert np.isfinite(engine).all()
        np.testing.assert_allclose(engine, reference_onnx, atol=1e-4, rtol=0)
        # PyTorch and its ONNX export differ by ~1e-6 per evaluation; a random-weight network amplifies
        # that over the steps, so the engine is held to the export's own agreement with PyTorch.
        export_gap = float(np.max(np.abs(reference_onnx - reference_torch)))
        assert float(np.max(np.abs(engine - reference_torch))) <= max(1e-4, 2 * export_gap)

    # Summaries: the engine's physical statistics vs numpy on the engine's own samples.
    summary = result["summary"]
    assert isinstance(summary, dict)
    for r, star in enumerate(stars):
        full = np.zeros((SAMPLES, len(VARIABLES)))
        for k, j in enumerate(star["latent"]):
            full[:, j] = np.array(star["samples"])[:, k]
        for j in range(n_params):
            if observed[r][j]:
                full[:, j] = star["network_values"][j]
        physical = denormalise(VARIABLES, full)
        for j, v in enumerate(VARIABLES[:n_params]):
            x = physical[:, j]
            expect = {
                "mean": x.mean(),
                "median": np.median(x),
                "std": x.std(),
                "p2_5": np.percentile(x, 2.5, method="weibull"),
                "p16": np.percentile(x, 16, method="weibull"),
                "p84": np.percentile(x, 84, method="weibull"),
                "p97_5": np.percentile(x, 97.5, method="weibull"),
            }
            for stat, value in expect.items():
                got = summary[f"{v.name}_{stat}"][r]
                assert got == pytest.approx(value, rel=1e-6, abs=1e-9), (
                    v.name,
                    stat,
                    r,
                )
