"""Synthetic CCTV sewer inspections: labelled frames (AI Hub JSON) and crawler videos.

Each synthetic *pipe* is a scene: a wall texture for its material (concrete, PVC, PE,
cured-in-place liner), joints every pipe length, laterals, water, and defects of the 18
classes placed along it. Wall defects are painted into the texture, protruding things are
drawn as projected 3D shapes (see :mod:`.render`). Frames are labelled with every class
whose defect is in view (near enough and big enough), with pixel boxes.

Determinism: everything is drawn from ``numpy.random.default_rng(seed)`` streams, so the
same seed gives the same files. Held-out appearance: the test split renders with textures,
lighting and camera ranges that the training split never uses (:data:`TRAIN_RANGES`,
:data:`HELDOUT_RANGES`), so a score on it says something about unseen conditions.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import cv2
import numpy as np

from seoul_digital.common.progress import ProgressCallback, null_progress
from seoul_digital.sewer.engine import render
from seoul_digital.sewer.engine.overlay import draw_overlay
from seoul_digital.sewer.engine.render import (
    TEX_COLS,
    Camera,
    Frame,
    Look,
    PipeGeometry,
    clock_of_theta,
    project,
    theta_to_col,
)
from seoul_digital.sewer.engine.taxonomy import DEFECT_CODES, NORMAL_JOINT

__all__ = ["Ranges", "TRAIN_RANGES", "HELDOUT_RANGES", "Feature", "PipeScene", "build_scene",
           "render_view", "visible_labels", "generate_images", "generate_video", "synthesize",
           "MATERIALS"]

RPR = TEX_COLS / (2 * math.pi)  # texture rows per pipe radius (isotropic wall pixels)
MATERIALS = ("concrete", "pvc", "pe", "liner")
MATERIAL_KO = {"concrete": "흄관", "pvc": "PVC", "pe": "PE", "liner": "라이닝"}
SEGMENT_LENGTH_M = {"concrete": 2.5, "pvc": 4.0, "pe": 5.0, "liner": 1e9}


def _u(rng, lo, hi):
    return float(rng.uniform(lo, hi))


def _pick_range(rng, spans):
    """One value from a union of (lo, hi) spans, weighted by width."""
    widths = np.array([hi - lo for lo, hi in spans], dtype=float)
    i = int(rng.choice(len(spans), p=widths / widths.sum()))
    return _u(rng, *spans[i])


@dataclass(frozen=True)
class Ranges:
    """Appearance ranges; training and held-out sets use disjoint ones."""

    name: str
    light: tuple = ((0.95, 1.45),)
    falloff: tuple = ((2.6, 4.0),)
    focal: tuple = ((0.50, 0.64),)  # focal length / image width
    cam_y: tuple = ((-0.35, -0.05),)
    roll: tuple = ((-0.05, 0.05),)
    tint: tuple = ((0.92, 1.08),)
    noise_scale: tuple = ((28.0, 60.0),)  # base noise feature size in wall pixels
    palette_shift: tuple = ((-0.04, 0.04),)
    blur: tuple = ((0.0, 0.8),)


TRAIN_RANGES = Ranges("train")
HELDOUT_RANGES = Ranges(
    "heldout",
    light=((0.65, 0.9), (1.5, 1.75)),
    falloff=((2.0, 2.5), (4.2, 4.8)),
    focal=((0.43, 0.48), (0.67, 0.72)),
    cam_y=((-0.5, -0.38), (0.0, 0.08)),
    roll=((-0.12, -0.07), (0.07, 0.12)),
    tint=((0.80, 0.9), (1.1, 1.2)),
    noise_scale=((12.0, 24.0), (70.0, 100.0)),
    palette_shift=((-0.10, -0.05), (0.05, 0.10)),
    blur=((0.9, 1.4),),
)


@dataclass
class Feature:
    """One labelled thing in a pipe (a defect, or a normal joint)."""

    code: str
    z: float  # reference position along the pipe (radii)
    theta: float  # reference wall angle (for the clock)
    points: np.ndarray  # N × 3 world points outlining it (for boxes)
    severity: int = 3
    drawer: Callable | None = None  # draws the protruding part into a frame

    @property
    def clock(self) -> int:
        return clock_of_theta(self.theta)


@dataclass
class PipeScene:
    pipe_id: str
    radius_m: float
    material: str
    geometry: PipeGeometry
    features: list[Feature] = field(default_factory=list)
    distractors: list[Callable] = field(default_factory=list)  # unlabelled drawers (normal laterals)

    @property
    def diameter_mm(self) -> int:
        return int(round(self.radius_m * 2000))

    def metres(self, z: float) -> float:
        return z * self.radius_m

    def radii(self, metres: float) -> float:
        return metres / self.radius_m


# ---------------------------------------------------------------------------------------------
# Wall texture

def _noise(rng, rows, cols, scale, octaves=4):
    """Multi-octave value noise in [0, 1] (float32), feature size ~``scale`` pixels."""
    out = np.zeros((rows, cols), dtype=np.float32)
    amplitude, total = 1.0, 0.0
    size = scale
    for _ in range(octaves):
        small = rng.random((max(2, int(rows / size) + 2), max(2, int(cols / size) + 2)), dtype=np.float32)
        out += amplitude * cv2.resize(small, (cols, rows), interpolation=cv2.INTER_CUBIC)
        total += amplitude
        amplitude *= 0.5
        size = max(size / 2.0, 1.5)
    out /= total
    lo, hi = np.percentile(out[:: max(1, rows // 64), :: 8], (1, 99))
    return np.clip((out - lo) / max(hi - lo, 1e-6), 0.0, 1.0)


_BASE_RGB = {  # BGR, 0..1
    "concrete": (0.55, 0.60, 0.63),
    "pvc": (0.62, 0.64, 0.64),
    "pe": (0.50, 0.50, 0.48),
    "liner": (0.50, 0.62, 0.70),
}


TILE_ROWS = int(6 * RPR)  # the detailed wall pattern repeats (mirrored) every 6 radii


def _base_texture(rng, rows, material, ranges: Ranges, water_level: float) -> np.ndarray:
    shift = np.array([_pick_range(rng, ranges.palette_shift) for _ in range(3)], dtype=np.float32)
    base = np.array(_BASE_RGB[material], dtype=np.float32) + shift
    scale = _pick_range(rng, ranges.noise_scale)
    tile_rows = min(rows, TILE_ROWS)
    n1 = _noise(rng, tile_rows, TEX_COLS, scale)
    if material == "concrete":
        n2 = _noise(rng, tile_rows, TEX_COLS, 3.0, octaves=2)
        lum = 0.75 + 0.35 * n1 + 0.18 * (n2 - 0.5)
        speck = rng.random((tile_rows, TEX_COLS), dtype=np.float32) < 0.01
        lum[speck] *= 0.6
    elif material == "liner":
        lum = 0.9 + 0.12 * n1
        lum += 0.04 * np.sin(np.arange(tile_rows, dtype=np.float32) / _u(rng, 20, 60))[:, None]
    else:  # smooth plastics with faint longitudinal extrusion streaks
        streaks = _noise(rng, 8, TEX_COLS, 6.0, octaves=2)
        lum = 0.92 + 0.08 * n1 + 0.05 * cv2.resize(streaks, (TEX_COLS, tile_rows))
    if rows > tile_rows:  # mirror-tile so seams match, then vary brightness slowly along the pipe
        reps = int(math.ceil(rows / tile_rows))
        lum = np.concatenate([lum if k % 2 == 0 else lum[::-1] for k in range(reps)])[:rows]
    slow = _noise(rng, max(rows // 64, 2), TEX_COLS // 32, 2.0, octaves=2)
    lum *= 0.85 + 0.3 * cv2.resize(slow, (TEX_COLS, rows), interpolation=cv2.INTER_LINEAR)
    # Slime and a tide mark near the water line; a darker invert.
    wall_angle = np.arcsin(np.clip(water_level - 1.0, -1, 1))  # angle where water meets the wall
    theta = (np.arange(TEX_COLS, dtype=np.float32) + 0.5) / RPR + render.SEAM_THETA
    theta = np.where(theta > math.pi, theta - 2 * math.pi, theta)
    height = np.sin(theta)  # -1 at invert
    tide = np.exp(-((height - math.sin(wall_angle) - 0.08) / 0.05) ** 2)
    slime = np.clip((math.sin(wall_angle) + 0.15 - height) / 0.15, 0.0, 1.0)
    darken = (1.0 - 0.35 * tide - 0.35 * slime).astype(np.float32)
    colour = np.stack([base * d for d in darken])  # (cols, 3)
    colour[:, 1] += (0.04 * slime).astype(np.float32)  # greenish slime
    return lum[..., None] * colour[None, :, :]


def _to_uint8_texture(tex: np.ndarray) -> np.ndarray:
    rows, cols = tex.shape[:2]
    out = np.zeros((rows + 2, cols + 1, 3), np.uint8)  # + wrap column, + black rows at the end
    out[:rows, :cols] = cv2.convertScaleAbs(tex, alpha=255.0)  # saturating, multi-threaded
    out[:rows, cols] = out[:rows, 0]
    return out


def _wall_px(theta, z):
    return np.stack([theta_to_col(theta), np.asarray(z) * RPR], axis=-1)


def _wall_points(theta, z, radius=1.0):
    theta = np.asarray(theta, dtype=float)
    z = np.asarray(z, dtype=float)
    return np.stack([radius * np.cos(theta), radius * np.sin(theta), z], axis=-1)


def _upper_theta(rng, span=1.1):
    """A wall angle above the water: around the crown or on the sides."""
    return math.pi / 2 + _u(rng, -span, span)


def _blend(tex, mask, colour, alpha):
    m = (mask.astype(np.float32) * alpha)[..., None]
    tex[:] = tex * (1 - m) + np.asarray(colour, dtype=np.float32)[None, None, :] * m


def _local(tex, cols, rows, pad=12):
    """Bounding window (r0, r1, c0, c1) around points, clipped to the texture."""
    r0 = max(int(np.floor(rows.min())) - pad, 0)
    r1 = min(int(np.ceil(rows.max())) + pad, tex.shape[0])
    c0 = max(int(np.floor(cols.min())) - pad, 0)
    c1 = min(int(np.ceil(cols.max())) + pad, tex.shape[1])
    return r0, r1, c0, c1


def _draw_crack(tex, pts_px, width, rng):
    """Dark jagged crack with a faint lighter lip, along wall-pixel points."""
    cols, rows = pts_px[:, 0], pts_px[:, 1]
    r0, r1, c0, c1 = _local(tex, cols, rows, pad=int(width * 3) + 4)
    if r1 <= r0 or c1 <= c0:
        return
    window = tex[r0:r1, c0:c1]
    poly = np.round(pts_px - [c0, r0]).astype(np.int32)
    lip = np.zeros(window.shape[:2], np.uint8)
    cv2.polylines(lip, [poly], False, 1, thickness=int(width) + 4, lineType=cv2.LINE_AA)
    window[lip > 0] = window[lip > 0] * 1.08
    core = np.zeros(window.shape[:2], np.uint8)
    cv2.polylines(core, [poly], False, 1, thickness=max(2, int(width)), lineType=cv2.LINE_AA)
    window[core > 0] = window[core > 0] * 0.18


def _jagged_path(rng, start, direction, length, step, wiggle):
    """A random-walk path in wall-pixel space."""
    n = max(2, int(length / step))
    pts = [np.array(start, dtype=float)]
    d = np.array(direction, dtype=float) / np.linalg.norm(direction)
    normal = np.array([-d[1], d[0]])
    offset = 0.0
    for _ in range(n):
        offset = 0.6 * offset + rng.normal(0, wiggle)
        pts.append(pts[-1] + d * step + normal * offset * 0.5)
    return np.array(pts)


def _px_to_world(pts_px):
    theta = pts_px[:, 0] / RPR + render.SEAM_THETA
    z = pts_px[:, 1] / RPR
    return _wall_points(theta, z)


# ---------------------------------------------------------------------------------------------
# Defects (each paints the texture and/or adds geometry, and returns its Feature)

def _crack_long(scene, tex, rng, z, sev):
    theta = _upper_theta(rng, 1.3)
    length = _u(rng, 1.5, 3.5) * RPR
    start = _wall_px(theta, z)
    pts = _jagged_path(rng, start, (rng.normal(0, 0.08), 1.0), length, 6, 2.5)
    _draw_crack(tex, pts, 4 + 2 * sev, rng)
    return Feature("CL", z, theta, _px_to_world(pts), sev)


def _crack_circ(scene, tex, rng, z, sev):
    theta0 = _upper_theta(rng, 0.4)
    span = _u(rng, 1.0, 3.2)
    start = _wall_px(theta0 - span / 2, z)
    pts = _jagged_path(rng, start, (1.0, rng.normal(0, 0.05)), span * RPR, 6, 2.5)
    _draw_crack(tex, pts, 4 + 2 * sev, rng)
    return Feature("CC", z, theta0, _px_to_world(pts), sev)


def _crack_multi(scene, tex, rng, z, sev):
    theta0 = _upper_theta(rng, 0.9)
    centre = _wall_px(theta0, z + 0.8)
    all_pts = []
    for _ in range(int(rng.integers(4, 8))):
        angle = rng.uniform(0, math.pi)
        direction = (math.cos(angle), math.sin(angle))
        start = centre + rng.normal(0, 0.35 * RPR, 2)
        pts = _jagged_path(rng, start, direction, _u(rng, 0.5, 1.3) * RPR, 5, 3.0)
        _draw_crack(tex, pts, 3 + sev, rng)
        all_pts.append(pts)
    pts = np.concatenate(all_pts)
    return Feature("CM", z + 0.8, theta0, _px_to_world(pts), sev)


def _blob(rng, centre, radius, n=14, rough=0.35):
    angles = np.sort(rng.uniform(0, 2 * math.pi, n))
    radii = radius * (1 + rough * rng.normal(0, 1, n)).clip(0.4, 1.8)
    return np.stack([centre[0] + radii * np.cos(angles), centre[1] + radii * np.sin(angles)], axis=1)


def _surface_damage(scene, tex, rng, z, sev):
    theta = _upper_theta(rng, 1.2)
    centre = _wall_px(theta, z)
    radius = _u(rng, 0.25, 0.5) * RPR * (0.8 + 0.1 * sev)
    poly = _blob(rng, centre, radius)
    r0, r1, c0, c1 = _local(tex, poly[:, 0], poly[:, 1], pad=4)
    window = tex[r0:r1, c0:c1]
    mask = np.zeros(window.shape[:2], np.uint8)
    cv2.fillPoly(mask, [np.round(poly - [c0, r0]).astype(np.int32)], 1)
    rough = _noise(rng, window.shape[0], window.shape[1], 4.0, octaves=2)
    inside = mask > 0
    window[inside] = window[inside] * (0.45 + 0.5 * rough[inside])[:, None]
    # exposed aggregate
    for _ in range(int(inside.sum() / 120)):
        ys, xs = np.nonzero(mask)
        k = rng.integers(len(ys))
        cv2.circle(window, (int(xs[k]), int(ys[k])), int(rng.integers(2, 6)),
                   tuple(float(v) for v in rng.uniform(0.35, 0.75, 3)), -1, cv2.LINE_AA)
    edge = cv2.morphologyEx(mask, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)) > 0
    window[edge] = window[edge] * 0.5
    return Feature("SD", z, theta, _px_to_world(poly), sev)


def _broken(scene, tex, rng, z, sev):
    theta = _upper_theta(rng, 1.2)
    centre = _wall_px(theta, z)
    radius = _u(rng, 0.2, 0.4) * RPR * (0.8 + 0.12 * sev)
    poly = _blob(rng, centre, radius, n=10, rough=0.45)
    r0, r1, c0, c1 = _local(tex, poly[:, 0], poly[:, 1], pad=int(radius) + 10)
    window = tex[r0:r1, c0:c1]
    mask = np.zeros(window.shape[:2], np.uint8)
    cv2.fillPoly(mask, [np.round(poly - [c0, r0]).astype(np.int32)], 1)
    soil = _noise(rng, window.shape[0], window.shape[1], 5.0, octaves=2)
    inside = mask > 0
    soil_rgb = np.array([0.10, 0.16, 0.22], np.float32)
    window[inside] = soil_rgb * (0.4 + 0.8 * soil[inside])[:, None]
    rim = cv2.dilate(mask, np.ones((7, 7), np.uint8)) > 0
    window[rim & ~inside] *= 0.55
    pts = [poly]
    for _ in range(int(rng.integers(3, 7))):
        k = rng.integers(len(poly))
        direction = poly[k] - centre
        crack = _jagged_path(rng, poly[k], direction, _u(rng, 0.3, 0.9) * RPR, 5, 2.0)
        _draw_crack(tex, crack, 3 + sev // 2, rng)
        pts.append(crack)
    return Feature("BK", z, theta, _px_to_world(np.concatenate(pts)), sev)


def _deformation(scene, tex, rng, z, sev):
    length = _u(rng, 1.5, 3.5)
    e = 0.08 + 0.05 * sev
    scene.geometry.deformations.append((z, z + length, e))
    thetas = np.linspace(0.2, math.pi - 0.2, 12)
    pts = np.concatenate([_wall_points(thetas, np.full_like(thetas, zz)) for zz in (z + length * 0.3, z + length * 0.5, z + length * 0.7)])
    pts[:, 1] *= (1 - e)
    return Feature("DF", z + length / 2, math.pi / 2, pts, sev)


def _lining_defect(scene, tex, rng, z, sev):
    theta = _upper_theta(rng, 1.0)
    centre = _wall_px(theta, z)
    w = _u(rng, 0.9, 1.7) * RPR
    h = _u(rng, 0.7, 1.5) * RPR
    kind = rng.integers(2)
    r0, r1 = int(max(centre[1] - h / 2, 0)), int(min(centre[1] + h / 2, tex.shape[0]))
    c0, c1 = int(max(centre[0] - w / 2, 0)), int(min(centre[0] + w / 2, tex.shape[1]))
    window = tex[r0:r1, c0:c1]
    yy, xx = np.mgrid[0:window.shape[0], 0:window.shape[1]].astype(np.float32)
    envelope = np.sin(np.pi * yy / max(window.shape[0], 1)) * np.sin(np.pi * xx / max(window.shape[1], 1))
    if kind == 0:  # wrinkles (folds running round the pipe)
        period = _u(rng, 9, 18)
        folds = np.sin(2 * np.pi * (yy + 3 * np.sin(xx / 25.0)) / period)
        window *= (1 + 0.45 * folds * envelope)[..., None]
    else:  # torn, detached liner: a lighter flap with a dark tear edge
        poly = _blob(rng, (window.shape[1] / 2, window.shape[0] / 2), min(window.shape[:2]) * 0.35, n=8, rough=0.3)
        mask = np.zeros(window.shape[:2], np.uint8)
        cv2.fillPoly(mask, [np.round(poly).astype(np.int32)], 1)
        window[mask > 0] = window[mask > 0] * 1.3 + 0.05
        edge = cv2.morphologyEx(mask, cv2.MORPH_GRADIENT, np.ones((5, 5), np.uint8)) > 0
        window[edge] *= 0.2
    corners = np.array([[c0, r0], [c1, r0], [c1, r1], [c0, r1]], dtype=float)
    return Feature("LD", z, theta, _px_to_world(corners), sev)


def _lateral_hole(tex, rng, theta, z, radius):
    centre = _wall_px(theta, z)
    r_px = radius * RPR
    r0, r1, c0, c1 = _local(tex, np.array([centre[0] - r_px, centre[0] + r_px]),
                            np.array([centre[1] - r_px, centre[1] + r_px]), pad=8)
    window = tex[r0:r1, c0:c1]
    mask = np.zeros(window.shape[:2], np.uint8)
    cv2.circle(mask, (int(centre[0] - c0), int(centre[1] - r0)), int(r_px), 1, -1, cv2.LINE_AA)
    ring = cv2.dilate(mask, np.ones((5, 5), np.uint8)) > 0
    window[ring & (mask == 0)] *= 0.7
    window[mask > 0] = window[mask > 0] * 0.06
    return centre, r_px, (r0, r1, c0, c1), mask


def _lateral_protruding(scene, tex, rng, z, sev):
    theta = math.pi / 2 + rng.choice([-1, 1]) * _u(rng, 0.2, 1.1)
    radius = _u(rng, 0.16, 0.3)
    protrude = 0.1 + 0.06 * sev
    _lateral_hole(tex, rng, theta, z, radius)
    shade = _u(rng, 0.5, 0.8)
    rgb = np.array([shade * 0.95, shade, shade * 1.02])
    ring = np.linspace(0, 2 * math.pi, 24, endpoint=False)
    radial = np.array([math.cos(theta), math.sin(theta), 0.0])
    tangent = np.array([-math.sin(theta), math.cos(theta), 0.0])
    axis = np.array([0.0, 0.0, 1.0])

    def ring_points(dist, r):
        centre = radial * dist + axis * z
        return centre + r * (np.cos(ring)[:, None] * axis + np.sin(ring)[:, None] * tangent)

    tip = ring_points(1.0 - protrude, radius)
    base = ring_points(1.02, radius)

    def draw(frame: Frame, camera: Camera, look: Look, z_cam: float, rng_: np.random.Generator):
        pts = np.concatenate([tip, base])
        px, depth = project(pts, camera, z_cam)
        if (depth <= 0.1).any():
            return
        hull = cv2.convexHull(px.astype(np.float32)).reshape(-1, 2)
        render.draw_polygon(frame, hull, float(depth.mean()), rgb, look, 0.9)
        tip_px, tip_depth = project(tip, camera, z_cam)
        render.draw_polygon(frame, tip_px, float(tip_depth.min()) - 0.01, rgb, look, 1.15)
        inner = tip_px.mean(axis=0) + 0.78 * (tip_px - tip_px.mean(axis=0))
        render.draw_polygon(frame, inner, float(tip_depth.min()) - 0.02, rgb, look, 0.08)

    return Feature("LP", z, theta, np.concatenate([tip, base]), sev, drawer=draw)


def _lateral_defective(scene, tex, rng, z, sev):
    theta = math.pi / 2 + rng.choice([-1, 1]) * _u(rng, 0.2, 1.1)
    radius = _u(rng, 0.16, 0.3)
    centre, r_px, (r0, r1, c0, c1), mask = _lateral_hole(tex, rng, theta, z, radius)
    window = tex[r0:r1, c0:c1]
    # A broken, gapped collar: irregular dark ring and soil showing through.
    collar = _blob(rng, (centre[0] - c0, centre[1] - r0), r_px * 1.35, n=12, rough=0.25)
    cmask = np.zeros(window.shape[:2], np.uint8)
    cv2.fillPoly(cmask, [np.round(collar).astype(np.int32)], 1)
    gap = (cmask > 0) & (mask == 0)
    soil = rng.uniform(0.5, 1.0, size=gap.sum())[:, None] * np.array([0.10, 0.17, 0.25])
    window[gap] = soil
    # The lateral pipe's own rim, offset: a light crescent inside the hole.
    off = rng.normal(0, r_px * 0.25, 2)
    rim = np.zeros(window.shape[:2], np.uint8)
    cv2.circle(rim, (int(centre[0] - c0 + off[0]), int(centre[1] - r0 + off[1])), int(r_px * 0.85), 1, 3, cv2.LINE_AA)
    window[(rim > 0) & (mask > 0)] = 0.55
    pts = [collar + [c0, r0]]
    for _ in range(int(rng.integers(2, 5))):
        k = rng.integers(len(collar))
        crack = _jagged_path(rng, collar[k] + [c0, r0], collar[k] - (centre - [c0, r0]), _u(rng, 0.2, 0.5) * RPR, 5, 2)
        _draw_crack(tex, crack, 3 + sev // 2, rng)
        pts.append(crack)
    return Feature("LS", z, theta, _px_to_world(np.concatenate(pts)), sev)


def _joint_ring(tex, z, material, rng, gap=3.0):
    row = z * RPR
    r0, r1 = int(max(row - 8, 0)), int(min(row + 8, tex.shape[0]))
    yy = np.arange(r0, r1, dtype=np.float32)[:, None]
    dark = np.exp(-((yy - row) / max(gap, 1.0)) ** 2)
    light = np.exp(-((yy - row - gap - 2.5) / 2.0) ** 2)
    factor = 1.0 - 0.75 * dark + 0.25 * light
    if material == "concrete":
        factor = factor * (1 - 0.1 * np.exp(-((yy - row + 4) / 3.0) ** 2))
    tex[r0:r1] *= factor[..., None]


def _ring_points(z, water_level, n=16):
    lo = -math.pi / 2 + math.acos(max(min(1.0 - water_level, 1.0), -1.0)) + 0.05
    thetas = np.linspace(lo, lo + 2 * math.pi - 2 * (lo + math.pi / 2), n)
    return _wall_points(thetas, np.full_like(thetas, z))


def _joint_damage(scene, tex, rng, z, sev):
    _joint_ring(tex, z, scene.material, rng)
    theta = _upper_theta(rng, 1.2)
    span = _u(rng, 0.5, 1.4)
    pts = []
    for k in range(int(rng.integers(5, 10))):
        t = theta + rng.uniform(-span / 2, span / 2)
        centre = _wall_px(t, z) + [0, rng.normal(0, 3)]
        chip = _blob(rng, centre, _u(rng, 12, 24) * (0.7 + 0.12 * sev), n=9, rough=0.4)
        r0, r1, c0, c1 = _local(tex, chip[:, 0], chip[:, 1], pad=2)
        window = tex[r0:r1, c0:c1]
        mask = np.zeros(window.shape[:2], np.uint8)
        cv2.fillPoly(mask, [np.round(chip - [c0, r0]).astype(np.int32)], 1)
        window[mask > 0] = window[mask > 0] * rng.uniform(0.1, 0.3)
        window[cv2.morphologyEx(mask, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)) > 0] *= 1.4
        pts.append(chip)
    return Feature("JF", z, theta, _px_to_world(np.concatenate(pts)), sev)


def _joint_separated(scene, tex, rng, z, sev):
    width = 5 + 3 * sev
    row = z * RPR
    r0, r1 = int(max(row - width, 0)), int(min(row + width, tex.shape[0]))
    theta = _upper_theta(rng, 0.3)
    soil = _noise(rng, r1 - r0, TEX_COLS, 3.0, octaves=2)
    tex[r0:r1] = np.array([0.08, 0.13, 0.19], np.float32)[None, None, :] * (0.5 + soil[..., None])
    tex[max(r1, 0):min(r1 + 3, tex.shape[0])] *= 1.25  # lit lip of the next pipe
    return Feature("JS", z, theta, _ring_points(z, scene.geometry.water_level), sev)


def _joint_displaced(scene, tex, rng, z, sev):
    _joint_ring(tex, z, scene.material, rng)
    angle = rng.uniform(0, 2 * math.pi)
    magnitude = 0.04 + 0.025 * sev
    ox, oy = magnitude * math.cos(angle), magnitude * math.sin(angle)
    seg = scene.radii(min(SEGMENT_LENGTH_M.get(scene.material, 2.5), 2.5))
    scene.geometry.offsets.append((z, z + seg, ox, oy))
    _joint_ring(tex, z + seg, scene.material, rng)
    return Feature("JD", z, math.atan2(oy, ox), _ring_points(z, scene.geometry.water_level), sev)


def _deposits(scene, tex, rng, z, sev):
    length = _u(rng, 1.2, 3.5)
    height = scene.geometry.water_level + 0.1 + 0.07 * sev
    scene.geometry.deposits.append((z, z + length, height))
    x = math.sqrt(max(1 - (height - 1) ** 2, 0.0))
    pts = np.array([[-x, height - 1, z], [x, height - 1, z], [-x, height - 1, z + length],
                    [x, height - 1, z + length], [0, -1, z]])
    return Feature("DS", z, -math.pi / 2, pts, sev)


def _grease(scene, tex, rng, z, sev):
    level = scene.geometry.water_level
    side = rng.choice([-1, 1])
    theta0 = -math.pi / 2 + side * (math.acos(max(min(1 - level, 1), -1)) + _u(rng, 0.08, 0.3))
    pts = []
    colour = np.array([_u(rng, 0.55, 0.7), _u(rng, 0.78, 0.9), _u(rng, 0.85, 0.95)], np.float32)
    for _ in range(int(rng.integers(8, 14)) + 2 * sev):
        t = theta0 + side * rng.uniform(0, 0.9)
        centre = _wall_px(t, z + rng.uniform(0, 1.4))
        blob = _blob(rng, centre, _u(rng, 14, 34), n=10, rough=0.35)
        r0, r1, c0, c1 = _local(tex, blob[:, 0], blob[:, 1], pad=2)
        window = tex[r0:r1, c0:c1]
        mask = np.zeros(window.shape[:2], np.uint8)
        cv2.fillPoly(mask, [np.round(blob - [c0, r0]).astype(np.int32)], 1, cv2.LINE_AA)
        inside = mask > 0
        window[inside] = colour * rng.uniform(0.85, 1.1, size=(inside.sum(), 1))
        pts.append(blob)
    return Feature("DG", z + 0.7, theta0, _px_to_world(np.concatenate(pts)), sev)


def _roots(scene, tex, rng, z, sev):
    theta = _upper_theta(rng, 0.8)
    anchor = np.array(render.wall_point(theta, z))
    strands = []
    for _ in range(10 + 6 * sev):
        n = 8
        direction = -anchor[:2] * _u(rng, 0.3, 0.9) + np.array([rng.normal(0, 0.25), -_u(rng, 0.1, 0.5)])
        pts = [anchor + np.array([rng.normal(0, 0.05), rng.normal(0, 0.05), rng.normal(0, 0.05)])]
        for _k in range(n):
            step = np.array([direction[0] / n + rng.normal(0, 0.03), direction[1] / n + rng.normal(0, 0.03),
                             rng.normal(0, 0.03)])
            pts.append(pts[-1] + step)
        strands.append(np.array(pts))
    shade = [np.array([_u(rng, 0.45, 0.7), _u(rng, 0.6, 0.8), _u(rng, 0.7, 0.9)]) for _ in strands]

    def draw(frame, camera, look, z_cam, rng_):
        for strand, rgb in zip(strands, shade):
            px, depth = project(strand, camera, z_cam)
            if (depth <= 0.15).any():
                continue
            thick = max(1.0, camera.focal * 0.025 / float(depth.mean()))
            render.paint_polyline(frame, px, float(depth.mean()), rgb, look, thick)

    return Feature("RI", z, theta, np.concatenate(strands), sev, drawer=draw)


def _infiltration(scene, tex, rng, z, sev):
    theta = _upper_theta(rng, 0.9)
    level = scene.geometry.water_level
    side = 1 if math.cos(theta) >= 0 else -1  # water runs down the nearer side
    bottom = -math.pi / 2 + side * (math.acos(max(min(1 - level, 1), -1)) + 0.02)
    if side < 0:
        bottom += 2 * math.pi  # stay on the left without crossing the crown
    thetas = np.linspace(theta, bottom, 30)
    zs = z + np.cumsum(rng.normal(0, 0.01, len(thetas)))
    path = _wall_px(thetas, zs)
    r0, r1, c0, c1 = _local(tex, path[:, 0], path[:, 1], pad=12)
    window = tex[r0:r1, c0:c1]
    mask = np.zeros(window.shape[:2], np.uint8)
    cv2.polylines(mask, [np.round(path - [c0, r0]).astype(np.int32)], False, 1, thickness=6 + 3 * sev)
    wet = mask > 0
    window[wet] = window[wet] * 0.55
    sparkle = wet & (rng.random(wet.shape) < 0.08)
    window[sparkle] = 0.95
    pts = [path]
    source = np.array(render.wall_point(theta, z))
    jet = np.array([source + [0, -k * (source[1] + 1 - level) / 10, 0.02 * k * k / 10] for k in range(11)])
    width = 0.004 + 0.003 * sev

    def draw(frame, camera, look, z_cam, rng_):
        px, depth = project(jet, camera, z_cam)
        if (depth <= 0.15).any():
            return
        thick = max(1.0, camera.focal * width / float(depth.mean()))
        render.paint_polyline(frame, px + rng_.normal(0, 0.6, px.shape), float(depth.mean()),
                              (0.85, 0.85, 0.8), look, thick, 1.2)

    return Feature("IF", z, theta, np.concatenate([_px_to_world(np.concatenate(pts)), jet]), sev, drawer=draw)


def _permanent_obstacle(scene, tex, rng, z, sev):
    height = _u(rng, -0.45, 0.55)
    radius = 0.06 + 0.035 * sev
    half = math.sqrt(max(1 - height ** 2, 0.05))
    xs = np.linspace(-half, half, 12)
    top = np.stack([xs, np.full_like(xs, height + radius), np.full_like(xs, z)], axis=1)
    bottom = np.stack([xs[::-1], np.full_like(xs, height - radius), np.full_like(xs, z)], axis=1)
    base = np.array([_u(rng, 0.3, 0.55), _u(rng, 0.3, 0.5), _u(rng, 0.25, 0.55)])
    bands = 6

    def draw(frame, camera, look, z_cam, rng_):
        for k in range(bands):
            y0 = height - radius + 2 * radius * k / bands
            y1 = height - radius + 2 * radius * (k + 1) / bands
            strip = np.concatenate([
                np.stack([xs, np.full_like(xs, y1), np.full_like(xs, z)], axis=1),
                np.stack([xs[::-1], np.full_like(xs, y0), np.full_like(xs, z)], axis=1)])
            px, depth = project(strip, camera, z_cam)
            if (depth <= 0.1).any():
                return
            shade = 0.5 + 0.7 * math.sin(math.pi * (k + 0.5) / bands)
            render.draw_polygon(frame, px, float(depth.mean()) - radius, base, look, shade)

    return Feature("PO", z, math.pi / 2 if height > 0 else -math.pi / 2, np.concatenate([top, bottom]), sev, drawer=draw)


def _temporary_obstacle(scene, tex, rng, z, sev):
    level = scene.geometry.water_level
    items = []
    for _ in range(int(rng.integers(2, 4)) + sev // 2):
        size = _u(rng, 0.18, 0.34) * (0.8 + 0.1 * sev)
        x = rng.normal(0, 0.25)
        zz = z + rng.uniform(0, 0.8)
        kind = rng.integers(4)
        if kind == 0:  # brick
            rgb = (0.18, 0.25, _u(rng, 0.45, 0.6))
            shape = np.array([[-1, 0], [1, 0], [1, 0.6], [-1, 0.6]]) * [size, size]
        elif kind == 1:  # stone
            rgb = tuple([_u(rng, 0.35, 0.55)] * 3)
            shape = _blob(rng, (0, 0.4 * size), size * 0.6, n=9, rough=0.25)
        elif kind == 2:  # plastic bag / litter, bright colour
            rgb = tuple(rng.uniform(0.1, 0.95, 3))
            shape = _blob(rng, (0, 0.5 * size), size * 0.8, n=12, rough=0.45)
        else:  # branch
            rgb = (0.2, 0.32, 0.42)
            shape = np.array([[-1.6, 0.05], [1.6, 0.25], [1.6, 0.4], [-1.6, 0.2]]) * [size, size]
        world = np.stack([x + shape[:, 0], -1 + level + shape[:, 1], np.full(len(shape), zz)], axis=1)
        items.append((world, rgb))

    def draw(frame, camera, look, z_cam, rng_):
        for world, rgb in sorted(items, key=lambda item: -item[0][0, 2]):
            px, depth = project(world, camera, z_cam)
            if (depth <= 0.1).any():
                continue
            render.draw_polygon(frame, px, float(depth.mean()) - 0.05, rgb, look, 1.0)

    return Feature("TO", z, -math.pi / 2, np.concatenate([w for w, _ in items]), sev, drawer=draw)


PAINTERS: dict[str, Callable] = {
    "CL": _crack_long, "CC": _crack_circ, "CM": _crack_multi, "SD": _surface_damage,
    "BK": _broken, "DF": _deformation, "LD": _lining_defect, "LP": _lateral_protruding,
    "LS": _lateral_defective, "JF": _joint_damage, "JD": _joint_displaced,
    "JS": _joint_separated, "DS": _deposits, "DG": _grease, "RI": _roots,
    "IF": _infiltration, "PO": _permanent_obstacle, "TO": _temporary_obstacle,
}
assert set(PAINTERS) == set(DEFECT_CODES)
JOINT_DEFECTS = {"JF", "JD", "JS", "RI", "IF"}  # drawn at a joint position


# ---------------------------------------------------------------------------------------------
# Scenes

def build_scene(rng: np.random.Generator, *, length_m: float, defects: list[tuple[str, float]],
                ranges: Ranges = TRAIN_RANGES, pipe_id: str = "P-0001",
                material: str | None = None, radius_m: float | None = None,
                laterals: int | None = None) -> PipeScene:
    """A pipe ``length_m`` long with ``defects`` = [(code, position_m)]. Joints fall every
    pipe length; joint defects snap to the nearest joint."""
    codes = {c for c, _ in defects}
    if material is None:
        material = "liner" if "LD" in codes else str(rng.choice(["concrete", "concrete", "pvc", "pe"]))
    if "LD" in codes:
        material = "liner"
    radius_m = radius_m or float(rng.choice([0.15, 0.2, 0.225, 0.25, 0.3, 0.35, 0.4, 0.5]))
    length = length_m / radius_m
    water = _u(rng, 0.08, 0.32)
    rows = int(math.ceil(length * RPR)) + 4
    tex = _base_texture(rng, rows, material, ranges, water)
    scene = PipeScene(pipe_id, radius_m, material, PipeGeometry(
        length=length, texture=np.zeros((1, 1, 3), np.uint8), rows_per_radius=RPR,
        water_level=water, sand_texture=(_noise(rng, 128, 256, 3.0, 3) * 255).astype(np.uint8),
        water_phase=_u(rng, 0, 6.28)))
    seg = scene.radii(SEGMENT_LENGTH_M[material])
    joints = list(np.arange(_u(rng, 0.3, 0.9) * seg, length - 0.5, seg)) if seg < length else []
    placed = [(code, scene.radii(position_m)) for code, position_m in defects]
    # Joint defects sit on a joint: move the nearest regular joint there.
    for code, z in placed:
        if code in JOINT_DEFECTS:
            joints = [j for j in joints if abs(j - z) > 0.5 * seg]
    for zj in joints:
        _joint_ring(tex, zj, material, rng)
        scene.features.append(Feature(NORMAL_JOINT, zj, math.pi / 2, _ring_points(zj, water)))
    for code, z in placed:
        if code in ("RI", "IF") and material != "liner":  # a sound joint where roots/water enter
            _joint_ring(tex, z, material, rng)
    # Normal laterals are distractors: holes that are not defects.
    n_lat = int(rng.integers(0, 3)) if laterals is None else laterals
    for _ in range(n_lat):
        zl = _u(rng, 0.5, max(length - 0.5, 0.6))
        if any(abs(zl - z) < 1.5 for _c, z in placed):
            continue
        theta = math.pi / 2 + rng.choice([-1, 1]) * _u(rng, 0.3, 1.0)
        _lateral_hole(tex, rng, theta, zl, _u(rng, 0.15, 0.28))
    for code, z in placed:
        severity = int(rng.integers(1, 6))
        scene.features.append(PAINTERS[code](scene, tex, rng, z, severity))
    scene.geometry.texture = _to_uint8_texture(tex)
    return scene


def random_camera(rng, width, height, ranges: Ranges) -> Camera:
    focal = _pick_range(rng, ranges.focal) * width
    return Camera(width, height, focal,
                  px=width / 2 + rng.normal(0, width * 0.02), py=height / 2 + rng.normal(0, height * 0.02),
                  cx=rng.normal(0, 0.05), cy=_pick_range(rng, ranges.cam_y),
                  roll=_pick_range(rng, ranges.roll))


def random_look(rng, ranges: Ranges, scene: PipeScene) -> Look:
    tint = tuple(_pick_range(rng, ranges.tint) for _ in range(3))
    water = (_u(rng, 0.10, 0.18), _u(rng, 0.18, 0.28), _u(rng, 0.14, 0.24))
    sand = (_u(rng, 0.18, 0.28), _u(rng, 0.36, 0.48), _u(rng, 0.45, 0.6))
    return Look(light=_pick_range(rng, ranges.light), falloff=_pick_range(rng, ranges.falloff),
                ambient=_u(rng, 0.02, 0.06), beam=_u(rng, 1.0, 2.5), water_rgb=water, sand_rgb=sand,
                tint=tint, gamma=_u(rng, 0.8, 1.0), noise=_u(rng, 0.005, 0.03),
                blur=_pick_range(rng, ranges.blur))


LABEL_MAX_DEPTH = 7.0  # radii: further away a defect is too small and dark to call
LABEL_MIN_DEPTH = 0.25
LABEL_MIN_SIZE = 0.05  # fraction of the image width the box must span


def visible_labels(scene: PipeScene, camera: Camera, z_cam: float) -> list[dict]:
    """The features in view from ``z_cam``: [{code, bbox (x, y, w, h), depth, clock, severity}]."""
    out = []
    for feature in scene.features:
        px, depth = project(feature.points, camera, z_cam)
        keep = (depth > LABEL_MIN_DEPTH) & (depth < LABEL_MAX_DEPTH * 1.6)
        if not keep.any() or depth[keep].min() > LABEL_MAX_DEPTH:
            continue
        px = px[keep]
        inside = (px[:, 0] >= 0) & (px[:, 0] < camera.width) & (px[:, 1] >= 0) & (px[:, 1] < camera.height)
        if inside.sum() < 3 and inside.mean() < 0.5:
            continue
        x0, y0 = px[inside].min(axis=0)
        x1, y1 = px[inside].max(axis=0)
        if max(x1 - x0, y1 - y0) < LABEL_MIN_SIZE * camera.width:
            continue
        out.append({"code": feature.code, "bbox": [float(x0), float(y0), float(x1 - x0), float(y1 - y0)],
                    "depth": float(depth[keep].min()), "clock": feature.clock, "severity": feature.severity})
    return out


def render_view(scene: PipeScene, camera: Camera, look: Look, z_cam: float,
                rng: np.random.Generator) -> np.ndarray:
    frame = render.render_frame(scene.geometry, camera, look, z_cam, rng)
    drawers = [f for f in scene.features if f.drawer is not None]
    drawers.sort(key=lambda f: -(f.z - z_cam))  # far first
    for feature in drawers:
        if -0.5 < feature.z - z_cam < look.max_depth:
            feature.drawer(frame, camera, look, z_cam, rng)
    return render.finish(frame, look, rng)


# ---------------------------------------------------------------------------------------------
# Still frames (training / evaluation sets)

@dataclass
class ImageSetReport:
    out: Path
    images: int
    labels: Path
    class_counts: dict[str, int]


def _overlay_for(rng, scene: PipeScene, z_cam: float, when: dt.datetime) -> dict:
    return {"when": when.strftime("%Y-%m-%d %H:%M:%S"),
            "pipe_id": f"{scene.pipe_id} MH{rng.integers(1, 99):02d}-MH{rng.integers(1, 99):02d}",
            "distance_m": scene.metres(z_cam),
            "extra": f"D{scene.diameter_mm} {scene.material.upper()}"}


def _render_pipe(task: tuple) -> tuple[list[dict], dict[str, int]]:
    """Render one pipe's frames (a pipe's own seed makes it independent of every other pipe,
    so pipes can be rendered in any order or process and give the same files)."""
    (out, p, pipe_seed, split, primary, frames, frames_per_pipe, seed, width, height, overlay_fraction) = task
    out = Path(out)
    rng = np.random.default_rng(int(pipe_seed))
    ranges = HELDOUT_RANGES if split == "test" else TRAIN_RANGES
    defects = []
    radius_m = float(rng.choice([0.15, 0.2, 0.225, 0.25, 0.3, 0.35, 0.4, 0.5]))
    position = radius_m * _u(rng, 15.0, 16.0)  # metres; far views need ~14 radii before it
    if primary != "ND":
        defects.append((primary, position))
    if rng.random() < 0.25:  # a second, different defect further along
        other = str(rng.choice([c for c in DEFECT_CODES if c != primary]))
        defects.append((other, position + radius_m * _u(rng, 4.0, 7.0)))
    scene = build_scene(rng, length_m=position + radius_m * 16.0, defects=defects, ranges=ranges,
                        pipe_id=f"SYN-{seed:04d}-{p:05d}", radius_m=radius_m)
    camera = random_camera(rng, width, height, ranges)
    look = random_look(rng, ranges, scene)
    target_z = scene.radii(position)
    base_day = dt.datetime(2021, 4, 1, 9, 0, 0)
    when = base_day + dt.timedelta(days=int(rng.integers(0, 300)), minutes=int(rng.integers(0, 600)))
    records: list[dict] = []
    counts: dict[str, int] = {}
    for k in range(frames):
        if primary == "ND" or k < frames_per_pipe - 1:
            # A view with the pipe's own defect in sight (a few tries: near views can
            # put a crown defect above the frame).
            for _try in range(4):
                z_cam = max(0.05, target_z - _u(rng, 1.8, 6.5))
                if primary == "ND" or any(lab["code"] == primary for lab in visible_labels(scene, camera, z_cam)):
                    break
        else:
            z_cam = max(0.05, target_z - _u(rng, 9.0, 14.0))  # the defect still far off
        image = render_view(scene, camera, look, z_cam, rng)
        if rng.random() < overlay_fraction:
            info = _overlay_for(rng, scene, z_cam, when)
            draw_overlay(image, when=info["when"], pipe_id=info["pipe_id"],
                         distance_m=info["distance_m"], extra=info["extra"])
        labels = visible_labels(scene, camera, z_cam)
        name = f"images/{scene.pipe_id}_{k:03d}.jpg"
        quality = int(rng.integers(60, 95))
        cv2.imwrite(str(out / name), image, [cv2.IMWRITE_JPEG_QUALITY, quality])
        records.append({
            "file_name": name, "width": width, "height": height, "pipe_id": scene.pipe_id,
            "video_id": scene.pipe_id, "split": split, "material": scene.material,
            "diameter_mm": scene.diameter_mm, "distance_m": round(scene.metres(z_cam), 2),
            "render": ranges.name,
            "objects": [{"code": lab["code"], "bbox": lab["bbox"], "clock": lab["clock"]} for lab in labels],
        })
        for code in {lab["code"] for lab in labels}:
            counts[code] = counts.get(code, 0) + 1
    return records, counts


def _one_cv_thread() -> None:
    """Pool initializer: each rendering process uses one OpenCV thread (N processes × N
    threads would oversubscribe the cores)."""
    cv2.setNumThreads(1)


def generate_images(out: Path, count: int, *, seed: int = 0, width: int = 360, height: int = 240,
                    frames_per_pipe: int = 3, heldout_fraction: float = 0.15,
                    val_fraction: float = 0.15, overlay_fraction: float = 0.7,
                    progress: ProgressCallback = null_progress, start_index: int = 0,
                    workers: int = 1) -> ImageSetReport:
    """Render ``count`` labelled frames into ``out/images`` with ``out/labels.json``.

    Frames come from pipes of ``frames_per_pipe`` views each (near-duplicates, as in real
    footage). Pipes are assigned train / val / test; test pipes render with the held-out
    appearance ranges. Each pipe is built around one primary class, cycling through the 18
    defects and normal pipe, so classes are balanced. ``workers`` > 1 renders pipes in that
    many processes; the files are the same as with one."""
    from seoul_digital.sewer.engine.datasets.aihub import write_aihub

    out = Path(out)
    (out / "images").mkdir(parents=True, exist_ok=True)
    master = np.random.default_rng(seed)
    n_pipes = max(1, math.ceil(count / frames_per_pipe))
    pipe_seeds = master.integers(0, 2**63 - 1, size=n_pipes)
    # Split by pipe; a fixed stride keeps every split's class mix balanced.
    splits = []
    for i in range(n_pipes):
        r = (i * 0.6180339887) % 1.0
        splits.append("test" if r < heldout_fraction else "val" if r < heldout_fraction + val_fraction else "train")
    primary_cycle = list(DEFECT_CODES) + ["ND", "ND"]
    tasks = []
    for p in range(n_pipes):
        frames = min(frames_per_pipe, count - p * frames_per_pipe)
        if frames <= 0:
            break
        tasks.append((str(out), p, int(pipe_seeds[p]), splits[p], primary_cycle[(p + start_index) % len(primary_cycle)],
                      frames, frames_per_pipe, seed, width, height, overlay_fraction))
    records: list[dict] = []
    counts: dict[str, int] = {}
    made = 0

    def collect(result):
        nonlocal made
        pipe_records, pipe_counts = result
        records.extend(pipe_records)
        for code, n in pipe_counts.items():
            counts[code] = counts.get(code, 0) + n
        made += len(pipe_records)
        progress(made, count, f"{made}/{count} frames")

    if workers > 1 and len(tasks) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn, not fork: the caller may hold threads (OpenCV, a web worker).
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_one_cv_thread) as pool:
            for result in pool.map(_render_pipe, tasks, chunksize=max(1, len(tasks) // (workers * 8))):
                collect(result)
    else:
        for task in tasks:
            collect(_render_pipe(task))
    labels_path = write_aihub(out / "labels.json", records,
                              description=f"synthetic sewer CCTV frames, seed {seed}")
    return ImageSetReport(out, made, labels_path, counts)


# ---------------------------------------------------------------------------------------------
# Videos

@dataclass
class VideoReport:
    path: Path
    truth_path: Path
    duration_s: float
    frames: int
    length_m: float
    defects: list[dict]


def plan_defects(rng, length_m: float, n: int, codes=None) -> list[tuple[str, float]]:
    codes = list(codes or DEFECT_CODES)
    rng.shuffle(codes)
    picks = [codes[i % len(codes)] for i in range(n)]
    start = min(4.0, 0.3 * length_m)
    spacing = max(length_m - start - 2.0, 0.5) / max(n, 1)
    return [(code, start + spacing * i + _u(rng, 0.0, spacing * 0.5)) for i, code in enumerate(picks)]


def generate_video(path: Path, *, seed: int = 0, length_m: float = 20.0, fps: float = 30.0,
                   speed_mps: float = 0.5, width: int = 720, height: int = 480,
                   defects: int = 6, codes=None, pipe_id: str | None = None,
                   inspected: dt.datetime | None = None, start_m: float = 0.0,
                   ranges: Ranges = TRAIN_RANGES, render_scale: float = 0.5,
                   progress: ProgressCallback = null_progress) -> VideoReport:
    """A crawler driving down one pipe, with the inspection overlay (date, pipe id, running
    distance). A ``.truth.json`` beside it lists each defect with its distance, clock and the
    seconds it is in view.

    The container follows the suffix: ``.mp4`` (MPEG-4 Part 2, as many contractors deliver;
    fast to write), ``.avi`` (MJPEG) or ``.webm`` (VP8: plays in browsers but is slow to
    encode). Screening makes a browser copy of anything browsers cannot play."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    pipe_id = pipe_id or f"SYN-V{seed:04d}"
    plan = plan_defects(rng, length_m, defects, codes)
    scene = build_scene(rng, length_m=length_m + 4.0, defects=plan, ranges=ranges, pipe_id=pipe_id)
    camera_full = random_camera(rng, width, height, ranges)
    camera = camera_full.scaled(render_scale)
    look = random_look(rng, ranges, scene)
    look.noise = min(look.noise, 0.012)  # temporal noise bloats every codec
    inspected = inspected or dt.datetime(2021, 5, 10, 10, 0, 0)
    # Crawler motion: steady speed with short stops at defects (as operators do).
    stops = {round(scene.radii(pos), 3): _u(rng, 1.0, 2.5) for _c, pos in plan}
    z, t = 0.0, 0.0
    timeline = []  # (t, z)
    end_z = scene.radii(length_m)
    dt_frame = 1.0 / fps
    stop_left = 0.0
    stopped = set()
    while z < end_z:
        timeline.append((t, z))
        if stop_left > 0:
            stop_left -= dt_frame
        else:
            for stop_z, seconds in stops.items():
                if stop_z not in stopped and 0 < stop_z - z < scene.radii(0.8):
                    stopped.add(stop_z)
                    stop_left = seconds
                    break
            z += scene.radii(speed_mps) * dt_frame * (1 + 0.1 * math.sin(t * 0.7))
        t += dt_frame
    suffix = path.suffix.lower()
    fourcc = {".webm": "VP80", ".avi": "MJPG", ".mp4": "mp4v", ".mkv": "mp4v"}.get(suffix, "mp4v")
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, (width, height))
    if not writer.isOpened():
        raise RuntimeError(f"OpenCV cannot write {suffix} video ({fourcc}) here")
    in_view: dict[int, list[float]] = {}
    features = [f for f in scene.features if f.code != NORMAL_JOINT]
    try:
        for i, (t, z) in enumerate(timeline):
            image = render_view(scene, camera, look, z, rng)
            if render_scale != 1.0:
                image = cv2.resize(image, (width, height), interpolation=cv2.INTER_LINEAR)
            draw_overlay(image, when=(inspected + dt.timedelta(seconds=t)).strftime("%Y-%m-%d %H:%M:%S"),
                         pipe_id=pipe_id, distance_m=start_m + scene.metres(z),
                         extra=f"D{scene.diameter_mm} {scene.material.upper()}")
            writer.write(image)
            for k, feature in enumerate(features):
                if _feature_in_view(feature, camera, z):
                    span = in_view.setdefault(k, [t, t])
                    span[1] = t
            if i % 10 == 0:
                progress(i + 1, len(timeline), f"frame {i + 1}/{len(timeline)}")
    finally:
        writer.release()
    truth = []
    for k, feature in enumerate(features):
        span = in_view.get(k)
        truth.append({"code": feature.code, "distance_m": round(start_m + scene.metres(feature.z), 2),
                      "clock": feature.clock, "severity": feature.severity,
                      "start_s": round(span[0], 2) if span else None,
                      "end_s": round(span[1], 2) if span else None})
    duration = len(timeline) / fps
    truth_doc = {"pipe_id": pipe_id, "fps": fps, "duration_s": round(duration, 2),
                 "length_m": length_m, "start_m": start_m, "diameter_mm": scene.diameter_mm,
                 "material": scene.material, "inspected": inspected.isoformat(),
                 "defects": truth}
    truth_path = path.with_suffix(".truth.json")
    truth_path.write_text(json.dumps(truth_doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return VideoReport(path, truth_path, duration, len(timeline), length_m, truth)


def _feature_in_view(feature: Feature, camera: Camera, z_cam: float) -> bool:
    px, depth = project(feature.points, camera, z_cam)
    keep = (depth > LABEL_MIN_DEPTH) & (depth < LABEL_MAX_DEPTH)
    if not keep.any():
        return False
    px = px[keep]
    inside = (px[:, 0] >= 0) & (px[:, 0] < camera.width) & (px[:, 1] >= 0) & (px[:, 1] < camera.height)
    if inside.sum() < 3 and inside.mean() < 0.5:
        return False
    x0, y0 = px[inside].min(axis=0)
    x1, y1 = px[inside].max(axis=0)
    return bool(max(x1 - x0, y1 - y0) >= LABEL_MIN_SIZE * camera.width)


def synthesize(out: Path, *, images: int, videos: int, seed: int = 0, width: int = 360,
               height: int = 240, video_seconds: float = 40.0, workers: int = 1,
               progress: ProgressCallback = null_progress) -> dict:
    """What ``seoul-digital sewer synth`` runs: ``images`` labelled frames and ``videos``
    inspection videos under ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    summary: dict = {"out": str(out), "seed": seed}
    total = images + videos * 100
    if images:
        report = generate_images(out, images, seed=seed, width=width, height=height, workers=workers,
                                 progress=lambda d, t, m="": progress(d, total, m))
        summary["images"] = report.images
        summary["labels"] = str(report.labels)
        summary["class_counts"] = report.class_counts
    summary["videos"] = []
    for v in range(videos):
        rng = np.random.default_rng([seed, v])
        speed = 0.5
        length = max(8.0, video_seconds * speed * 0.85)
        report = generate_video(out / "videos" / f"inspection_{v + 1:02d}.mp4", seed=int(rng.integers(2**31)),
                                length_m=length, speed_mps=speed, defects=max(2, int(length / 4)),
                                pipe_id=f"SYN-{seed:04d}-V{v + 1:02d}",
                                progress=lambda d, t, m="", v=v: progress(images + v * 100 + 100 * d / max(t, 1), total, m))
        summary["videos"].append({"path": str(report.path), "truth": str(report.truth_path),
                                  "duration_s": round(report.duration_s, 1), "defects": len(report.defects)})
    (out / "synth.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return summary
