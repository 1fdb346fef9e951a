"""Modality encoders: masks, absent modalities, pooling, and the ONNX graphs against PyTorch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import torch

from cradle_models.adaptation.encoders import ModalityEncoders, ModalitySpec, pooled_embedding
from cradle_models.adaptation.export import OPSET, export_encoders, graph_file, parity

SPECS = [
    ModalitySpec("photometry", 9),
    ModalitySpec("gaia.xp", 49),
    ModalitySpec("spectrum.lamost", 32),
    ModalitySpec("spectrum.apogee", 32),
    ModalitySpec("spectrum.boss", 32),
]


def _batch(n: int, seed: int) -> dict[str, dict[str, torch.Tensor]]:
    g = torch.Generator().manual_seed(seed)
    out = {}
    for s in SPECS:
        out[s.name] = {
            "values": torch.randn(n, s.n_inputs, generator=g),
            "errors": torch.rand(n, s.n_inputs, generator=g) + 0.01,
            "mask": torch.rand(n, s.n_inputs, generator=g) > 0.2,
            "present": torch.rand(n, generator=g) > 0.3,
        }
    return out


def test_masked_pixels_do_not_reach_the_tokens() -> None:
    torch.manual_seed(0)
    enc = ModalityEncoders(SPECS, width=16)
    b = _batch(6, 1)
    xp = b["gaia.xp"]
    before = enc.encode("gaia.xp", xp["values"], xp["errors"], xp["mask"])
    scrambled = torch.where(xp["mask"], xp["values"], torch.full_like(xp["values"], 1e6))
    noisy_err = torch.where(xp["mask"], xp["errors"], torch.full_like(xp["errors"], 123.0))
    after = enc.encode("gaia.xp", scrambled, noisy_err, xp["mask"])
    torch.testing.assert_close(before, after)
    # ...while a masked pixel is not the same as an observed 0
    zero_obs = enc.encode(
        "gaia.xp", torch.zeros_like(xp["values"]), xp["errors"], torch.ones_like(xp["mask"])
    )
    zero_masked = enc.encode(
        "gaia.xp", torch.zeros_like(xp["values"]), xp["errors"], torch.zeros_like(xp["mask"])
    )
    assert not torch.allclose(zero_obs, zero_masked)


def test_tokens_validity_and_pooling_skip_absent_modalities() -> None:
    torch.manual_seed(0)
    enc = ModalityEncoders(SPECS, width=16)
    b = _batch(5, 2)
    tokens, valid, per = enc(b)
    assert tokens.shape == (5, 2 * len(SPECS), 16)
    np.testing.assert_array_equal(
        valid[:, 2:4].numpy(), torch.stack([b["gaia.xp"]["present"]] * 2, dim=1).numpy()
    )
    present = {k: d["present"] for k, d in b.items()}
    pooled = pooled_embedding(per, present)
    for i in range(5):
        have = [per[s.name][i].mean(0) for s in SPECS if bool(present[s.name][i])]
        want = torch.stack(have).mean(0) if have else torch.zeros(16)
        torch.testing.assert_close(pooled[i], want)


def test_onnx_encoders_match_pytorch(tmp_path: Path) -> None:
    torch.manual_seed(0)
    enc = ModalityEncoders(SPECS, width=16, hidden=32)
    graphs = export_encoders(enc, tmp_path)
    assert graphs["opset"] == OPSET >= 17
    for s in SPECS:
        model = onnx.load(str(tmp_path / graph_file(s.name)))
        assert model.opset_import[0].version >= 17
        batch_dim = model.graph.input[0].type.tensor_type.shape.dim[0]
        assert batch_dim.dim_param == "batch"  # dynamic batch axis
    assert parity(enc, tmp_path, batch=7) < 1e-5
