"""Gromov–Wasserstein and keypoint-guided OT of the domain adaptation, against POT and an LP solver."""

from __future__ import annotations

import numpy as np
import ot
import pytest
import torch
from scipy.optimize import linprog
from scipy.spatial.distance import jensenshannon

from cradle_models.adaptation.gromov import (
    GWSettings,
    cost_matrices,
    gw_alignment_loss,
    gw_objective,
    gw_plan,
)
from cradle_models.adaptation.keypoint_ot import (
    KPGSettings,
    exact_plan,
    guided_cost,
    js_divergence,
    keypoint_mask,
    kpg_alignment_loss,
    masked_sinkhorn,
    relation_vectors,
)


def _clouds(n: int, m: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(n, 4))
    b = a[:m] @ rng.normal(size=(4, 4)) * 0.5 + 0.05 * rng.normal(size=(m, 4))
    return torch.tensor(a, dtype=torch.float64), torch.tensor(b, dtype=torch.float64)


def test_gw_plan_and_loss_match_pot() -> None:
    zs, zr = _clouds(12, 10, 0)
    cs, cr, _ = cost_matrices(zs, zr)
    settings = GWSettings(epsilon=0.1, alpha=1.0, max_iter=200, tol=1e-10)
    plan = gw_plan(cs, cr, None, settings)
    c1, c2 = cs.numpy(), cr.numpy()
    p, q = ot.unif(12), ot.unif(10)
    ref, log = ot.gromov.entropic_gromov_wasserstein(
        c1, c2, p, q, "square_loss", epsilon=0.1, max_iter=200, tol=1e-10, log=True
    )
    np.testing.assert_allclose(plan.numpy(), ref, atol=1e-12)
    np.testing.assert_allclose(plan.sum(1).numpy(), p, atol=1e-6)
    loss = gw_objective(cs, cr, plan)
    assert float(loss) == pytest.approx(_pot_gw_at(c1, c2, ref), rel=1e-9)
    assert float(loss) == pytest.approx(log["gw_dist"], rel=1e-6)


def test_fused_gw_loss_matches_pot() -> None:
    zs, zr = _clouds(10, 10, 1)
    settings = GWSettings(epsilon=0.1, alpha=0.5, max_iter=200, tol=1e-10)
    loss, plan = gw_alignment_loss(zs, zr, settings)
    cs, cr, m = cost_matrices(zs, zr)
    ref, log = ot.gromov.entropic_fused_gromov_wasserstein(
        m.numpy(),
        cs.numpy(),
        cr.numpy(),
        ot.unif(10),
        ot.unif(10),
        "square_loss",
        epsilon=0.1,
        alpha=0.5,
        max_iter=200,
        tol=1e-10,
        log=True,
    )
    np.testing.assert_allclose(plan.numpy(), ref, atol=1e-12)
    want = 0.5 * float((m.numpy() * ref).sum()) + 0.5 * _pot_gw_at(cs.numpy(), cr.numpy(), ref)
    assert float(loss) == pytest.approx(want, rel=1e-9)
    assert float(loss) == pytest.approx(log["fgw_dist"], rel=1e-3)  # POT reports it one iteration early


def _pot_gw_at(c1: np.ndarray, c2: np.ndarray, plan: np.ndarray) -> float:
    """POT's square-loss GW objective at a fixed plan (its own init_matrix + gwloss)."""
    constC, hC1, hC2 = ot.gromov.init_matrix(c1, c2, plan.sum(1), plan.sum(0), "square_loss")
    return float(ot.gromov.gwloss(constC, hC1, hC2, plan))


def test_gw_gradient_matches_finite_differences_of_pot_loss() -> None:
    """d loss / d C_s at the fixed plan (what training back-propagates) against central differences of
    POT's own objective."""
    zs, zr = _clouds(7, 6, 2)
    c1 = (torch.cdist(zs, zs) ** 2).detach().requires_grad_(True)
    c2 = (torch.cdist(zr, zr) ** 2).detach()
    plan = gw_plan(c1, c2, None, GWSettings(epsilon=1.0, alpha=1.0, max_iter=200, tol=1e-12))
    gw_objective(c1, c2, plan).backward()
    assert c1.grad is not None
    base, t, c2n = c1.detach().numpy(), plan.numpy(), c2.numpy()
    h = 1e-6
    for i, j in [(0, 1), (2, 5), (6, 3), (4, 4)]:
        up, down = base.copy(), base.copy()
        up[i, j] += h
        down[i, j] -= h
        fd = (_pot_gw_at(up, c2n, t) - _pot_gw_at(down, c2n, t)) / (2 * h)
        assert float(c1.grad[i, j]) == pytest.approx(fd, rel=1e-5, abs=1e-9)


def test_gw_loss_reaches_both_embeddings() -> None:
    zs, zr = _clouds(8, 8, 3)
    zs.requires_grad_(True)
    zr.requires_grad_(True)
    loss, _ = gw_alignment_loss(zs, zr, GWSettings(epsilon=0.1, alpha=0.5))
    loss.backward()
    assert zs.grad is not None and zr.grad is not None
    assert float(zs.grad.abs().sum()) > 0 and float(zr.grad.abs().sum()) > 0


def test_keypoint_mask_follows_gu_eq4() -> None:
    mask = keypoint_mask(4, 5, torch.tensor([[0, 2], [3, 0]]))
    want = np.array(
        [
            [0, 0, 1, 0, 0],
            [0, 1, 0, 1, 1],
            [0, 1, 0, 1, 1],
            [1, 0, 0, 0, 0],
        ],
        dtype=bool,
    )
    np.testing.assert_array_equal(mask.numpy(), want)


def test_relation_vectors_and_js_divergence() -> None:
    zs, _ = _clouds(6, 6, 4)
    r = relation_vectors(zs, torch.tensor([0, 3, 5]), rho=0.5)
    np.testing.assert_allclose(r.sum(1).numpy(), 1.0, atol=1e-12)
    assert int(r[3].argmax()) == 1  # a keypoint is closest to itself
    a = torch.softmax(torch.randn(4, 3, dtype=torch.float64), dim=1)
    b = torch.softmax(torch.randn(5, 3, dtype=torch.float64), dim=1)
    js = js_divergence(a, b).numpy()
    for i in range(4):
        for j in range(5):
            assert js[i, j] == pytest.approx(jensenshannon(a[i].numpy(), b[j].numpy()) ** 2, rel=1e-9)


def _lp_plan(cost: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, float]:
    """The masked OT problem as a linear program (scipy HiGHS): masked variables bounded to 0."""
    n, m = cost.shape
    a_eq = np.zeros((n + m, n * m))
    for i in range(n):
        a_eq[i, i * m : (i + 1) * m] = 1.0
    for j in range(m):
        a_eq[n + j, j::m] = 1.0
    b_eq = np.concatenate([np.full(n, 1.0 / n), np.full(m, 1.0 / m)])
    bounds = [(0.0, None if ok else 0.0) for ok in mask.ravel()]
    res = linprog(cost.ravel(), A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    assert res.success
    return res.x.reshape(n, m), float(res.fun)


def test_keypoint_guided_plan_against_lp() -> None:
    zs, zr = _clouds(7, 7, 5)
    keypoints = torch.tensor([[0, 0], [4, 4]])
    settings = KPGSettings(rho=0.5, beta=1.0)
    cost = guided_cost(zs, zr, keypoints, settings)
    mask = keypoint_mask(7, 7, keypoints)
    lp, lp_cost = _lp_plan(cost.numpy(), mask.numpy())
    exact = exact_plan(cost.numpy(), mask.numpy())
    assert float((exact * cost.numpy()).sum()) == pytest.approx(lp_cost, abs=1e-9)
    for i, j in keypoints.tolist():
        assert exact[i, j] == pytest.approx(1 / 7)
        assert lp[i, j] == pytest.approx(1 / 7)
    sinkhorn = masked_sinkhorn(cost, mask, epsilon=2e-3, iterations=3000).numpy()
    assert float((sinkhorn * cost.numpy()).sum()) == pytest.approx(lp_cost, abs=5e-3)
    np.testing.assert_allclose(sinkhorn, exact, atol=2e-3)


def test_keypoints_keep_their_matches_in_the_training_plan() -> None:
    zs, zr = _clouds(16, 16, 6)
    zs.requires_grad_(True)
    keypoints = torch.tensor([[1, 9], [5, 2], [12, 12]])
    loss, plan = kpg_alignment_loss(zs, zr, keypoints, KPGSettings())
    for i, j in keypoints.tolist():
        assert float(plan[i, j]) == pytest.approx(1 / 16, rel=1e-6)
        assert float(plan[i].sum() - plan[i, j]) == pytest.approx(0.0, abs=1e-12)
    loss.backward()
    assert zs.grad is not None and float(zs.grad.abs().sum()) > 0


def test_guidance_recovers_a_shifted_copy() -> None:
    """A rotated, shifted copy of a point cloud (not comparable point by point): three keypoints and the
    relation vectors find the right match for the other points, which the plain cost does not."""
    rng = np.random.default_rng(7)
    a = rng.normal(size=(10, 2)) * np.array([3.0, 1.0])
    rot = np.array([[0.0, -1.0], [1.0, 0.0]])
    b = a @ rot.T + np.array([6.0, -4.0])
    zs, zr = torch.tensor(a), torch.tensor(b)
    keypoints = torch.tensor([[0, 0], [1, 1], [2, 2]])
    settings = KPGSettings(rho=0.2, beta=0.0)
    guided = exact_plan(
        guided_cost(zs, zr, keypoints, settings).numpy(), keypoint_mask(10, 10, keypoints).numpy()
    )
    plain = exact_plan((torch.cdist(zs, zr) ** 2).numpy(), np.ones((10, 10), dtype=bool))
    assert (guided.argmax(1) == np.arange(10)).mean() >= 0.9
    assert (plain.argmax(1) == np.arange(10)).mean() < (guided.argmax(1) == np.arange(10)).mean()
