"""The domain-adapted Simformer as a model folder the app runs (issue #9: the encoders are "exported to ONNX
and listed in the model card (the app runs them before the Simformer)").

A folder holds
- one encoder graph per modality (``export.export_encoders``): the *real* branch once the model was
  adapted, because the app reads real catalogues; the simulated branch of an unadapted model;
- ``context.onnx``: the encoders' tokens and their validity → the velocity layers' cached keys and values
  (``DASimformer.context_kv``);
- ``velocity.onnx``: the Simformer's velocity graph (``cradle_models.export.graphs.VelocityGraph``), the
  graph the engine runs for every model; the parameters' token ids are their positions 0..P−1;
- ``card.json``: schema 1 with an ``encoders`` section (electron/inference/card.ts).

The card's variables are the parameters first (in token order, with the normaliser's standardisation of
the transformed θ) and then each encoder input as an observable with the identity transform and the
normaliser's per-input mean and std, so the engine's network space *is* the encoders' input space:
values (x − mean)/std and uncertainties σ/std, as ``Normaliser.batch`` gives them in training. An
observable's ``typical_error`` (the training set's median uncertainty) stands in for a missing one, as the
real-data benchmark does (``real_da.photometry``): the encoders never saw an observed value without one.

Photometry and parallax are named catalogue quantities the engine maps to card variables. A Gaia XP
encoder reads binned samples: its card variables are the bins (``gaia.xp[0]`` …, log10 flux) and its
modality a ``spectrum`` block (``spectra.spectrum_card``) that tells the app how to bin a catalogue's
sampled or continuous XP spectra as training did (``spectra.bin_spectrum``). Survey spectra (LAMOST,
APOGEE, BOSS) cannot be listed yet: the app has no catalogue layout to bin them from.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort
import torch
from torch import Tensor, nn

from cradle_models.adaptation.encoders import PHOTOMETRY, SPECTRA, ModalitySpec
from cradle_models.adaptation.export import export_encoders, graph_file, write_json
from cradle_models.adaptation.model import DAModelConfig, DASimformer
from cradle_models.adaptation.shift_data import Catalogue, Observed
from cradle_models.adaptation.spectra import (
    XP_BIN,
    XP_FLUX_UNIT,
    XP_SAMPLES,
    XP_WAVELENGTH_NM,
    bin_names,
    bin_spectrum,
    spectrum_card,
)
from cradle_models.adaptation.train import Normaliser
from cradle_models.export.card import (
    CARD_FILE,
    card_identity,
    observable_covariance,
    prior_marginals,
    training_ranges,
)
from cradle_models.export.graphs import (
    CONTEXT_FILE,
    GRAPH_SIGNATURES,
    OPSET,
    VELOCITY_FILE,
    Signature,
    VelocityGraph,
    export_graph,
)
from cradle_models.export.onnx_sampler import OnnxSimformer
from cradle_models.export.sampler import Schedule, integrate
from cradle_models.losses.flow_matching import PATH_DESCRIPTION
from cradle_models.nets.simformer import multiply_adds_per_evaluation
from cradle_models.nets.tokens import BLOCKED
from cradle_models.variables import Transform, Variable

# The DA Simformer's θ (shift_data.to_network): log age, log10 M, log10 d, log10(A_V + 0.05).
PARAMETERS = (
    ("log_age", "log10 yr", Transform()),
    ("mass_init", "Msun", Transform("log10")),
    ("distance_pc", "pc", Transform("log10")),
    ("av", "mag", Transform("log10", 0.05)),
)

CONTEXT_SIGNATURE: Signature = {
    "inputs": [
        {"name": "tokens", "dtype": "float32", "shape": ["batch", "n_tokens", "width"]},
        {"name": "token_valid", "dtype": "float32", "shape": ["batch", "n_tokens"]},
    ],
    "outputs": [
        {"name": "context_kv", "dtype": "float32", "shape": ["batch", "kv_slots", "n_tokens", "width"]},
    ],
}

PARITY_FILE = "parity.json"


class DAContextGraph(nn.Module):
    """tokens [B, T, W] and token_valid [B, T] (1 valid, 0 not) → context_kv [B, 2L, T, W]."""

    def __init__(self, model: DASimformer) -> None:
        super().__init__()
        self.model = model

    def forward(self, tokens: Tensor, token_valid: Tensor) -> Tensor:
        return self.model.context_kv(tokens, token_valid > 0.5)


def card_values(cat: Catalogue, inputs: dict[str, tuple[str, ...]]) -> np.ndarray:
    """A catalogue as the card's variables in physical units [N, P + K], NaN where not observed."""
    columns = [cat.theta]
    for name, names in inputs.items():
        m = cat.modalities[name]
        ok = m.mask & m.present[:, None]
        columns.append(np.where(ok, m.values[:, : len(names)], np.nan))
    return np.concatenate(columns, axis=1)


def typical_errors(cat: Catalogue, inputs: dict[str, tuple[str, ...]]) -> dict[str, float]:
    """Each input's median uncertainty over the catalogue's stars that observe it."""
    out: dict[str, float] = {}
    for name, names in inputs.items():
        m = cat.modalities[name]
        ok = m.mask & m.present[:, None] & (m.errors > 0)
        for i, n in enumerate(names):
            if ok[:, i].any():
                out[n] = float(np.median(m.errors[ok[:, i], i]))
    return out


def card_variables(
    norm: Normaliser, specs: list[ModalitySpec], inputs: dict[str, tuple[str, ...]], template: dict[str, Any]
) -> list[Variable]:
    """The parameters, then every encoder input in encoder order (units and surveys from ``template``,
    a card that lists the same quantities)."""
    known = {v["name"]: v for v in template["variables"]}
    variables = [
        Variable(name, "parameter", unit, transform, float(norm.theta_mean[j]), float(norm.theta_std[j]))
        for j, (name, unit, transform) in enumerate(PARAMETERS)
    ]
    for spec in specs:
        names = inputs.get(spec.name)
        if names is None or len(names) != spec.n_inputs:
            raise ValueError(f"modality {spec.name!r}: its {spec.n_inputs} inputs need card variable names")
        for i, name in enumerate(names):
            meta = known.get(name, {})
            variables.append(
                Variable(
                    name,
                    "observable",
                    str(meta.get("unit", "")),
                    Transform(),
                    float(norm.mean[spec.name][i]),
                    float(norm.std[spec.name][i]),
                    meta.get("survey"),
                    str(meta.get("error_handling", "per-star sigma from <name>.err")),
                )
            )
    return variables


def export_graphs(model: DASimformer, out_dir: Path) -> None:
    """The encoders of the branch that reads real data, the context graph over their tokens and the
    velocity graph, into ``out_dir``."""
    model.eval()
    w = model.config.width
    t = sum(s.n_tokens for s in model.specs)
    p = model.config.n_parameters
    slots = 2 * model.config.velocity_layers
    export_encoders(model.encoders("real"), out_dir)
    with torch.no_grad():
        export_graph(
            DAContextGraph(model),
            (torch.zeros(2, t, w), torch.ones(2, t)),
            CONTEXT_SIGNATURE,
            out_dir / CONTEXT_FILE,
        )
        export_graph(
            VelocityGraph(model.simformer),
            (
                torch.zeros(2, p, dtype=torch.int64),
                torch.zeros(2, 3, p),
                torch.zeros(2, p),
                torch.zeros(2),
                torch.zeros(2, slots, t, w),
                torch.zeros(2, p, p + t),
            ),
            GRAPH_SIGNATURES["velocity"],
            out_dir / VELOCITY_FILE,
        )
    model.train()


def adapted_cost(model: DASimformer, sampler: dict[str, Any]) -> dict[str, Any]:
    """``cradle_models.export.card.cost`` for an adapted model: the context is every modality's tokens,
    and the encoders' multiply-adds (their three linear layers) are counted with the context graph's."""
    c = model.config
    tokens = sum(s.n_tokens for s in model.specs)
    encoders = sum(
        3 * s.n_inputs * c.encoder_hidden + c.encoder_hidden**2 + c.encoder_hidden * s.n_tokens * c.width
        for s in model.specs
    )
    macs = multiply_adds_per_evaluation(model.simformer.config, tokens, c.n_parameters)
    evaluations = Schedule.from_card(sampler).evaluations(int(sampler["steps"]), str(sampler["solver"]))
    context = macs["context"] + encoders
    return {
        "assumed_tokens": {"n_context": tokens, "n_latent": c.n_parameters},
        "multiply_adds_encoders_per_star": encoders,
        "multiply_adds_context_per_star": context,
        "multiply_adds_velocity_per_evaluation": macs["velocity"],
        "velocity_evaluations_per_sample": evaluations,
        "flops_per_star": 2 * (context + int(sampler["samples_per_star"]) * evaluations * macs["velocity"]),
    }


def build_card(
    model: DASimformer,
    variables: list[Variable],
    inputs: dict[str, tuple[str, ...]],
    *,
    name: str,
    description: str,
    sampler: dict[str, Any],
    training: dict[str, Any],
    domain_adaptation: dict[str, Any],
    prior: str,
    train_values: np.ndarray,
    held_out: np.ndarray,
    typical: dict[str, float],
) -> dict[str, Any]:
    c = model.config
    ranges = training_ranges(variables, train_values)

    def card_variable(v: Variable) -> dict[str, object]:
        out = v.to_card()
        if v.name in ranges:
            out["range"] = list(ranges[v.name])
        if v.role == "observable" and v.name in typical:
            out["typical_error"] = typical[v.name]
        return out

    return {
        **card_identity(name, description),
        "variables": [card_variable(v) for v in variables],
        "architecture": {
            "n_variables": c.n_parameters,
            "width": c.width,
            "heads": c.heads,
            "context_layers": c.context_layers,
            "velocity_layers": c.velocity_layers,
            "mlp_ratio": c.mlp_ratio,
            "prediction": model.simformer.config.prediction,
            "kv_slots": 2 * c.velocity_layers,
            "encoder_hidden": c.encoder_hidden,
            "tokenizer": "parameters: value + variable id + condition state; context: the encoders' tokens",
            "time_conditioning": "adaptive LayerNorm (adaLN-Zero) on the velocity side only",
        },
        "graphs": {
            "opset": OPSET,
            "context": {"file": CONTEXT_FILE, **CONTEXT_SIGNATURE},
            "velocity": {"file": VELOCITY_FILE, **GRAPH_SIGNATURES["velocity"]},
        },
        "encoders": {
            "opset": OPSET,
            "branch": "real" if model.real_encoders is not None else "sim",
            "modalities": [
                {
                    "name": s.name,
                    "file": graph_file(s.name),
                    "variables": list(inputs[s.name]),
                    "n_tokens": s.n_tokens,
                    **({"spectrum": spectrum_card(s.name)} if s.name in SPECTRA else {}),
                }
                for s in model.specs
            ],
        },
        "tokens": {
            "context": "every modality's tokens in encoder order; a modality the star lacks: invalid",
            "latent": "every parameter, ids 0..P-1 in variable order",
            "errors": "encoder inputs: err / std, the variable's typical_error where a value has none",
        },
        "attention_mask": {
            "kind": "additive float",
            "allowed": 0.0,
            "blocked": BLOCKED,
            "latent_mask": "[query latent token, key]: keys are the latent tokens then the context tokens",
            "rules": ["a context token of a modality the star lacks is blocked as a key"],
        },
        "path": {**PATH_DESCRIPTION, "time_sampling": "uniform"},
        "sampler": sampler,
        "cost": adapted_cost(model, sampler),
        "prior": prior,
        "training": training,
        "domain_adaptation": domain_adaptation,
        "observables": observable_covariance(variables, train_values, held_out),
        "prior_marginals": prior_marginals(variables, train_values),
        "calibration": None,
    }


def write_app_model(
    model: DASimformer,
    norm: Normaliser,
    out_dir: Path,
    *,
    train: Catalogue,
    held_out: Catalogue,
    template: dict[str, Any],
    inputs: dict[str, tuple[str, ...]],
    typical: dict[str, float] | None = None,
    **card: Any,
) -> Path:
    """The whole folder, written beside ``out_dir`` and moved into place (a reader never sees half).
    ``typical``: each input's stand-in uncertainty (default: the training set's medians)."""
    variables = card_variables(norm, model.specs, inputs, template)
    tmp = out_dir.with_name(out_dir.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    export_graphs(model, tmp)
    content = build_card(
        model,
        variables,
        inputs,
        train_values=card_values(train, inputs),
        held_out=card_values(held_out, inputs),
        typical=typical_errors(train, inputs) if typical is None else typical,
        **card,
    )
    write_json(tmp / CARD_FILE, content)
    shutil.rmtree(out_dir, ignore_errors=True)
    tmp.rename(out_dir)
    return out_dir


def reference_samples(
    model: DASimformer,
    values: np.ndarray,
    errors: np.ndarray,
    observed: np.ndarray,
    noise: np.ndarray,
    steps: int,
) -> np.ndarray:
    """One star's samples from the PyTorch model (the real branch's encoders, then ``DASimformer.sample``
    from ``noise`` [1, samples, P]); its inputs in the card's network space, encoder after encoder. A
    modality is present when any of its inputs is observed, as the engine decides."""
    batch: dict[str, dict[str, Tensor]] = {}
    at = 0
    for spec in model.specs:
        sl = slice(at, at + spec.n_inputs)
        at += spec.n_inputs
        batch[spec.name] = {
            "values": torch.from_numpy(values[None, sl]),
            "errors": torch.from_numpy(errors[None, sl]),
            "mask": torch.from_numpy(observed[None, sl]),
            "present": torch.tensor([bool(observed[sl].any())]),
        }
    model.eval()
    with torch.no_grad():
        tokens, valid, _ = model.encoders("real")(batch)
        x = model.sample(tokens, valid, noise.shape[1], steps, torch.Generator(), torch.from_numpy(noise))
    return x.numpy()


def _case(
    model: DASimformer,
    label: str,
    extra: dict[str, Any],
    values: np.ndarray,
    errors: np.ndarray,
    observed: np.ndarray,
    noise: np.ndarray,
    steps: int,
) -> dict[str, Any]:
    """One parity case: the star's network-space inputs, its noise and the reference's samples."""
    return {
        "label": label,
        **extra,
        "values": values.tolist(),
        "errors": errors.tolist(),
        "observed": observed.tolist(),
        "noise": noise.tolist(),
        "samples": reference_samples(model, values, errors, observed, noise, steps).tolist(),
    }


def parity_cases(
    model: DASimformer, variables: list[Variable], samples: int, steps: int, seed: int
) -> dict[str, Any]:
    """Stars in the card's network space (all inputs, half missing, none), their initial noise (one draw
    for all, so the cases differ by their inputs alone) and the PyTorch reference's samples from that
    noise: the engine must reproduce them (test/unit/inference/adapted.test.ts)."""
    rng = np.random.default_rng(seed)
    p = model.config.n_parameters
    k = len(variables) - p
    cases = []
    noise = rng.normal(size=(1, samples, p)).astype(np.float32)  # shared: the cases differ by their inputs
    for label, observed in (
        ("all inputs", np.ones(k, bool)),
        ("half missing", np.arange(k) % 2 == 0),
        ("nothing observed", np.zeros(k, bool)),
    ):
        values = np.where(observed, rng.normal(size=k), 0.0).astype(np.float32)
        errors = np.where(observed, 0.05 + 0.2 * rng.random(k), 0.0).astype(np.float32)
        cases.append(_case(model, label, {}, values, errors, observed, noise, steps))
    return {"steps": steps, "solver": "heun", "tolerance": 1e-4, "cases": cases}


def onnx_samples(folder: Path, case: dict[str, Any], steps: int) -> np.ndarray:
    """A parity case through the folder's ONNX graphs: the encoders, the context graph over their tokens,
    then the reference ODE solver (``export.sampler.integrate``, Heun on t_k = k/steps) over the
    velocity graph, as the engine runs them."""
    card = json.loads((folder / CARD_FILE).read_text())
    p = int(card["architecture"]["n_variables"])
    values = np.asarray(case["values"], np.float32)
    errors = np.asarray(case["errors"], np.float32)
    observed = np.asarray(case["observed"], bool)
    tokens, valid, at = [], [], 0
    for m in card["encoders"]["modalities"]:
        n = len(m["variables"])
        sl = slice(at, at + n)
        at += n
        session = ort.InferenceSession(str(folder / m["file"]), providers=["CPUExecutionProvider"])
        (z,) = session.run(
            None, {"values": values[None, sl], "errors": errors[None, sl], "mask": observed[None, sl]}
        )
        tokens.append(z)
        valid.append(np.full((1, int(m["n_tokens"])), float(observed[sl].any()), np.float32))
    tok, val = np.concatenate(tokens, axis=1), np.concatenate(valid, axis=1)
    graphs = OnnxSimformer(folder)
    (kv,) = graphs.context.run(None, {"tokens": tok, "token_valid": val})
    mask = np.concatenate(
        [np.zeros((1, p, p)), np.where(val[:, None, :] > 0.5, 0.0, BLOCKED).repeat(p, 1)], axis=2
    )
    velocity = graphs.velocity_fn(np.arange(p)[None], np.zeros((1, p)), np.asarray(kv), mask)
    return integrate(velocity, np.asarray(case["noise"], np.float32), steps, "heun")


TOY_PHOTOMETRY: tuple[str, ...] = ("gaia.g", "gaia.bp", "gaia.rp", "gaia.parallax")
XP_INPUTS = bin_names("gaia.xp", XP_SAMPLES // XP_BIN)
XP_CASES_FILE = "xp-cases.json"
XP_NM = XP_WAVELENGTH_NM[0] + XP_WAVELENGTH_NM[2] * np.arange(XP_SAMPLES)  # the samples' wavelengths


def toy_spectrum(g: float, colour: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A smooth XP-like sampled spectrum (W m-2 nm-1 on the 336–1020 nm grid) of a star of magnitude
    ``g`` whose slope follows ``colour``, with noise that grows towards the grid's ends as XP's does."""
    nm = XP_NM
    scale = 3.6e-17 * 10 ** (-0.4 * (g - 15.0))
    flux = scale * (nm / 600.0) ** (2.0 * (colour - 1.0))
    sigma = 0.01 * flux + 0.002 * scale * (1.0 + 50.0 * ((nm - 678.0) / 342.0) ** 8)
    return flux + rng.normal(0.0, 1.0, XP_SAMPLES) * sigma, sigma


def _toy_catalogue(rng: np.random.Generator, n: int, xp: bool) -> Catalogue:
    g = rng.uniform(8, 17, n)
    bp = g + 0.8 + 0.3 * rng.random(n)
    values = np.column_stack([g, bp, g - 0.6 - 0.2 * rng.random(n), rng.uniform(0.5, 8, n)])
    errors = np.column_stack([np.full(n, 0.003), np.full(n, 0.01), np.full(n, 0.008), np.full(n, 0.05)])
    mask = rng.random((n, 4)) > 0.2
    theta = np.column_stack(
        [rng.uniform(6, 10, n), rng.uniform(0.2, 3, n), rng.uniform(100, 2000, n), rng.uniform(0, 3, n)]
    )
    modalities = {PHOTOMETRY: Observed(values, errors, mask, np.ones(n, bool))}
    if xp:
        spectra = [toy_spectrum(float(g[i]), float(bp[i] - g[i]), rng) for i in range(n)]
        flux = np.stack([f for f, _ in spectra])
        sigma = np.stack([e for _, e in spectra])
        binned, binned_errors, ok = bin_spectrum(flux, sigma, XP_BIN)
        modalities["gaia.xp"] = Observed(binned, binned_errors, ok, (rng.random(n) < 0.7) & (g < 17.65))
    return Catalogue(theta, modalities)


def _cell(x: float) -> float | None:
    """A catalogue cell for JSON: a missing value (NaN) is null."""
    return float(x) if np.isfinite(x) else None


def xp_cases(model: DASimformer, card: dict[str, Any], samples: int, steps: int, seed: int) -> dict[str, Any]:
    """Stars as a catalogue holds them: Gaia G, BP and RP without uncertainties, a parallax with one, and
    a sampled XP spectrum with its σ (or none); their inputs as the app must compute them (the spectrum
    binned by ``spectra.bin_spectrum``, every input standardised by its card variable, a missing σ
    replaced by the variable's ``typical_error``); their initial noise (one draw for all) and the
    PyTorch reference's samples. The engine reads the same stars from a table
    (test/unit/inference/adapted-xp.test.ts)."""
    rng = np.random.default_rng(seed)
    p = int(card["architecture"]["n_variables"])
    inputs = card["variables"][p:]
    nan = float("nan")
    cases = []
    mean = np.array([v["mean"] for v in inputs])
    std = np.array([v["std"] for v in inputs])
    typical = np.array([v["typical_error"] for v in inputs])
    noise = rng.normal(size=(1, samples, p)).astype(np.float32)  # shared: the cases differ by their inputs
    for label, phot, edit in (
        ("photometry and XP", [12.0, 12.9, 11.3, 2.5], None),
        ("BP missing: XP from RP alone (NaN below 635 nm)", [13.0, nan, 12.2, 1.2], "no-bp"),
        ("faint: the blue end's mean flux is not positive", [16.8, 17.8, 16.0, 0.7], "negative-blue"),
        ("photometry only", [10.5, 11.3, 9.8, 4.0], "no-xp"),
        ("XP only", [nan, nan, nan, nan], None),
    ):
        g = phot[0] if np.isfinite(phot[0]) else 14.0
        flux, sigma = toy_spectrum(g, 0.9, rng)
        if edit == "no-bp":
            flux[XP_NM < 635] = nan
            sigma[XP_NM < 635] = nan
        if edit == "negative-blue":
            flux[:10] = -np.abs(flux[:10])
        spectrum = None if edit == "no-xp" else (flux, sigma)
        raw = np.full(len(inputs), nan)
        raw_sigma = np.full(len(inputs), nan)
        raw[:4] = phot
        raw_sigma[3] = 0.03
        if spectrum is not None:
            binned, binned_sigma, ok = bin_spectrum(spectrum[0][None], spectrum[1][None], XP_BIN)
            raw[4:] = np.where(ok[0], binned[0], nan)
            raw_sigma[4:] = np.where(ok[0] & (binned_sigma[0] > 0), binned_sigma[0], nan)
        observed = np.isfinite(raw)
        values = np.where(observed, (raw - mean) / std, 0.0).astype(np.float32)
        sigma_used = np.where(np.isfinite(raw_sigma), raw_sigma, typical)
        errors = np.where(observed, sigma_used / std, 0.0).astype(np.float32)
        catalogue = {
            "phot_g_mean_mag": _cell(phot[0]),
            "phot_bp_mean_mag": _cell(phot[1]),
            "phot_rp_mean_mag": _cell(phot[2]),
            "parallax": _cell(phot[3]),
            "parallax_error": 0.03,
            "flux": None if spectrum is None else [_cell(x) for x in spectrum[0]],
            "flux_error": None if spectrum is None else [_cell(x) for x in spectrum[1]],
        }
        cases.append(_case(model, label, {"catalogue": catalogue}, values, errors, observed, noise, steps))
    return {"steps": steps, "solver": "heun", "tolerance": 1e-4, "cases": cases}


def toy(out_dir: Path, seed: int = 0, xp: bool = False) -> Path:
    """A small random-weight adapted model on Gaia G, BP, RP and parallax (and, with ``xp``, binned Gaia
    XP spectra), with its parity fixture: the engine's test models (test/fixtures/inference/adapted-toy
    and adapted-xp-toy)."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    cat = _toy_catalogue(rng, 400, xp)
    norm = Normaliser.fit(cat)
    specs = [ModalitySpec(PHOTOMETRY, 4, 2)]
    inputs: dict[str, tuple[str, ...]] = {PHOTOMETRY: TOY_PHOTOMETRY}
    template_variables: list[dict[str, Any]] = [
        {"name": n, "unit": "mas" if n == "gaia.parallax" else "mag", "survey": "gaia"}
        for n in TOY_PHOTOMETRY
    ]
    if xp:
        specs.append(ModalitySpec("gaia.xp", len(XP_INPUTS), 2))
        inputs["gaia.xp"] = XP_INPUTS
        template_variables += [
            {
                "name": n,
                "unit": f"log10({XP_FLUX_UNIT})",
                "survey": "gaia",
                "error_handling": "σ of the bin's mean flux from the spectrum's σ, in dex",
            }
            for n in XP_INPUTS
        ]
    model = DASimformer(
        DAModelConfig(
            n_parameters=4, width=16, heads=2, context_layers=1, velocity_layers=1, encoder_hidden=16
        ),
        specs,
    )
    # Every weight random: adaLN-Zero's zero gates would leave every block, and so the inputs, without effect.
    with torch.no_grad():
        for prm in model.parameters():
            prm.add_(0.3 * torch.randn_like(prm))
    model.split_real_branch()
    assert model.real_encoders is not None
    with torch.no_grad():  # the real branch differs from the simulated one, as after adaptation
        for prm in model.real_encoders.parameters():
            prm.add_(0.05 * torch.randn_like(prm))
    template = {"variables": template_variables}
    name = "adapted-xp-toy" if xp else "adapted-toy"
    folder = write_app_model(
        model,
        norm,
        out_dir,
        train=cat,
        held_out=cat,
        template=template,
        inputs=inputs,
        name=name,
        description="random weights: the engine's test of an adapted model (encoders before the Simformer)",
        sampler={
            "solver": "heun",
            "steps": 4,
            "samples_per_star": 8,
            "time_grid": {"kind": "uniform"},
            "final_euler": False,
        },
        training={"note": "random weights, not trained"},
        domain_adaptation={"adapted": True, "method": "test", "note": "random real-branch perturbation"},
        prior="uniform test parameters",
    )
    variables = card_variables(norm, specs, inputs, template)
    write_json(folder / PARITY_FILE, parity_cases(model, variables, samples=8, steps=4, seed=seed))
    if xp:
        card = json.loads((folder / CARD_FILE).read_text())
        write_json(folder / XP_CASES_FILE, xp_cases(model, card, samples=8, steps=4, seed=seed))
    return folder


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="write an adapted toy model and its parity fixture")
    p.add_argument("--toy", type=Path, required=True, help="output folder")
    p.add_argument("--xp", action="store_true", help="with a Gaia XP encoder (binned sampled spectra)")
    args = p.parse_args(sys.argv[1:] if argv is None else argv)
    print(toy(args.toy, xp=args.xp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
