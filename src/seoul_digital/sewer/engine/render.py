"""Ray-cast rendering of a circular pipe seen by a CCTV crawler's forward camera.

Units: lengths are in pipe radii (R = 1) unless a name ends in ``_m``. The pipe axis is the
world z axis; x points right and y up when looking downstream, so the wall angle
``theta = atan2(y, x)`` is 0 at 3 o'clock, +pi/2 at the crown (12) and -pi/2 at the
invert (6).

Wall-attached things (texture, joints, cracks, holes, stains) are painted once into a
texture indexed by (z, theta); each frame casts one ray per pixel, finds where it meets the
wall (circle, deformed ellipse, or a displaced segment), the water or the sediment, samples
the texture with ``cv2.remap`` and lights it with the crawler's lamp. Things that stand out
of the wall (protruding laterals, roots, obstacles, debris, water jets) are drawn after that
as projected shapes. Everything is numpy + OpenCV: ~5 ms per 360×240 frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import cv2
import numpy as np

__all__ = ["Camera", "Look", "PipeGeometry", "Frame", "render_frame", "project", "theta_to_col",
           "TEX_COLS", "clock_of_theta", "wall_point"]

TEX_COLS = 1024  # texture columns around the circumference
SEAM_THETA = -math.pi / 2  # the texture's left/right edge is at the invert, always under water


def theta_to_col(theta):
    """Texture column of wall angle ``theta`` (seam at the invert)."""
    return np.mod(np.asarray(theta) - SEAM_THETA, 2 * math.pi) * (TEX_COLS / (2 * math.pi))


def clock_of_theta(theta: float) -> int:
    """Clock position (1–12) of a wall angle, looking downstream: 12 = crown, 3 = right."""
    degrees = (90.0 - math.degrees(theta)) % 360.0
    hour = int(round(degrees / 30.0)) % 12
    return 12 if hour == 0 else hour


def wall_point(theta: float, z: float, radius: float = 1.0) -> tuple[float, float, float]:
    return (radius * math.cos(theta), radius * math.sin(theta), z)


@dataclass
class Camera:
    width: int
    height: int
    focal: float  # pixels
    px: float  # principal point
    py: float
    cx: float = 0.0  # camera position in the cross-section (pipe radii)
    cy: float = -0.2
    roll: float = 0.0  # radians; crawler tilt

    def scaled(self, factor: float) -> "Camera":
        return Camera(int(round(self.width * factor)), int(round(self.height * factor)),
                      self.focal * factor, self.px * factor, self.py * factor, self.cx, self.cy,
                      self.roll)


@dataclass
class Look:
    """How the scene is lit and recorded."""

    light: float = 1.0  # lamp gain
    falloff: float = 3.0  # depth (radii) where the lamp's light has dropped to a half
    ambient: float = 0.04
    beam: float = 1.5  # lamp beam narrowness (cos^beam)
    water_rgb: tuple[float, float, float] = (0.20, 0.24, 0.20)  # BGR, 0..1
    sand_rgb: tuple[float, float, float] = (0.35, 0.50, 0.60)
    tint: tuple[float, float, float] = (1.0, 1.0, 1.0)  # camera white balance (BGR gains)
    gamma: float = 0.9
    noise: float = 0.02  # sensor noise sigma (0..1)
    blur: float = 0.0  # Gaussian sigma in pixels (focus)
    max_depth: float = 40.0  # beyond this the pipe is black


@dataclass
class PipeGeometry:
    """Everything about the pipe that changes where a ray lands."""

    length: float  # radii
    texture: np.ndarray  # (rows, TEX_COLS + 1, 3) uint8, BGR; last row black
    rows_per_radius: float
    water_level: float = 0.15  # height of water above the invert (radii)
    deformations: list[tuple[float, float, float]] = field(default_factory=list)  # (z0, z1, e)
    offsets: list[tuple[float, float, float, float]] = field(default_factory=list)  # (z0, z1, ox, oy)
    deposits: list[tuple[float, float, float]] = field(default_factory=list)  # (z0, z1, height)
    sand_texture: np.ndarray | None = None  # (rows, cols) uint8 noise for deposits
    water_phase: float = 0.0


@dataclass
class Frame:
    image: np.ndarray  # uint8 BGR
    depth: np.ndarray  # float32 depth per pixel (radii), for occlusion tests


def _rays(camera: Camera):
    key = (camera.width, camera.height, round(camera.focal, 3), round(camera.px, 2),
           round(camera.py, 2), round(camera.roll, 4))
    cached = _RAY_CACHE.get(key)
    if cached is not None:
        return cached
    u = np.arange(camera.width, dtype=np.float32) - camera.px
    v = np.arange(camera.height, dtype=np.float32) - camera.py
    ou, ov = np.meshgrid(u, v)
    c, s = math.cos(camera.roll), math.sin(camera.roll)
    ru = c * ou - s * ov
    rv = s * ou + c * ov
    dx = (ru / camera.focal).astype(np.float32)
    dy = (-rv / camera.focal).astype(np.float32)
    norm = np.sqrt(1.0 + dx * dx + dy * dy).astype(np.float32)
    if len(_RAY_CACHE) > 16:
        _RAY_CACHE.clear()
    _RAY_CACHE[key] = (dx, dy, norm)
    return dx, dy, norm


_RAY_CACHE: dict = {}


def _circle_hit(dx, dy, cx, cy, a=1.0, b=1.0):
    """Depth t where the ray from (cx, cy) with direction (dx, dy, 1) meets the ellipse
    (x/a)^2 + (y/b)^2 = 1 (a, b may be arrays)."""
    ia2 = 1.0 / (a * a)
    ib2 = 1.0 / (b * b)
    qa = dx * dx * ia2 + dy * dy * ib2
    qb = 2.0 * (cx * dx * ia2 + cy * dy * ib2)
    qc = cx * cx * ia2 + cy * cy * ib2 - 1.0
    disc = np.maximum(qb * qb - 4.0 * qa * qc, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (-qb + np.sqrt(disc)) / (2.0 * qa)
    return np.where(qa > 1e-12, t, np.float32(1e6)).astype(np.float32)


def _ramp(z, z0, z1):
    """0 outside [z0, z1], rising to 1 in the middle half (smooth deformation profile)."""
    span = max(z1 - z0, 1e-6)
    x = np.clip((z - z0) / span, 0.0, 1.0)
    return np.sin(np.pi * x) ** 2


def render_frame(geometry: PipeGeometry, camera: Camera, look: Look, z_cam: float,
                 rng: np.random.Generator | None = None) -> Frame:
    dx, dy, norm = _rays(camera)
    cx, cy = camera.cx, camera.cy
    t = _circle_hit(dx, dy, cx, cy)
    center_x = np.zeros_like(t)
    center_y = np.zeros_like(t)
    face = np.zeros(t.shape, dtype=bool)  # step faces of displaced joints

    # Deformed sections: an ellipse squashed at the crown (two passes settle the depth).
    for z0, z1, e in geometry.deformations:
        if z1 < z_cam or z0 > z_cam + look.max_depth:
            continue
        for _ in range(2):
            w = _ramp(z_cam + t, z0, z1) * e
            inside = w > 1e-4
            if not inside.any():
                break
            t_def = _circle_hit(dx, dy, cx, cy, 1.0 + 0.6 * w, 1.0 - w)
            t = np.where(inside, t_def, t)

    # Displaced segments: the pipe between z0 and z1 sits off-axis by (ox, oy).
    for z0, z1, ox, oy in geometry.offsets:
        if z1 < z_cam or z0 > z_cam + look.max_depth:
            continue
        beyond = (z_cam + t) > z0
        if not beyond.any():
            continue
        t_off = _circle_hit(dx, dy, cx - ox, cy - oy)
        z_off = z_cam + t_off
        on_segment = beyond & (z_off >= z0) & (z_off <= z1)
        on_face = beyond & (z_off < z0) & (z0 > z_cam)
        t = np.where(on_segment, t_off, t)
        center_x = np.where(on_segment, np.float32(ox), center_x)
        center_y = np.where(on_segment, np.float32(oy), center_y)
        t = np.where(on_face, np.float32(z0 - z_cam), t)
        face |= on_face

    x = cx + t * dx
    y = cy + t * dy
    z = z_cam + t
    theta = np.arctan2(y - center_y, x - center_x)

    # Texture lookup.
    cols = theta_to_col(theta).astype(np.float32)
    rows = (z * geometry.rows_per_radius).astype(np.float32)
    last = geometry.texture.shape[0] - 1
    valid = (rows >= 0) & (rows < last - 1) & (t <= look.max_depth)
    # OpenCV's remap takes sources under 32767 rows: sample only the stretch of texture in
    # view (at most max_depth radii long); everything else reads as black.
    if valid.any():
        r0 = max(int(np.floor(rows[valid].min())) - 1, 0)
        r1 = min(int(np.ceil(rows[valid].max())) + 2, last)
    else:
        r0, r1 = 0, 1
    local_rows = np.where(valid, rows - np.float32(r0), np.float32(-10.0))
    wall = cv2.remap(geometry.texture[r0:r1], cols, local_rows, interpolation=cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_CONSTANT, borderValue=0).astype(np.float32) * (1.0 / 255.0)
    # Lambert term: how squarely the wall faces the lamp (at the camera).
    radial_x = x - center_x
    radial_y = y - center_y
    lambert = np.abs(radial_x * dx + radial_y * dy) / (norm * np.maximum(np.hypot(radial_x, radial_y), 1e-3))
    lambert = np.where(face, np.float32(0.9), 0.25 + 0.75 * lambert)
    wall = np.where(face[..., None], wall * 0.85 + 0.08, wall)
    depth = t.copy()
    color = wall * lambert[..., None]

    # Water and sediment planes.
    down = dy < -1e-6
    with np.errstate(divide="ignore", invalid="ignore"):
        t_water = np.where(down, (-1.0 + geometry.water_level - cy) / dy, np.float32(1e6)).astype(np.float32)
    water = down & (t_water > 0) & (t_water < depth)
    if water.any():
        zw = z_cam + t_water
        if geometry.sand_texture is not None:  # murky surface: drifting foam and turbidity
            st = geometry.sand_texture
            sc = np.mod(dx * t_water * 25.0 + 50.0, st.shape[1] - 1).astype(np.float32)
            sr = np.mod(zw * 6.0 + geometry.water_phase * 10.0, st.shape[0] - 1).astype(np.float32)
            ripple = cv2.remap(st, sc, sr, cv2.INTER_LINEAR).astype(np.float32) * (1.0 / 255.0)
        else:
            ripple = np.full(t_water.shape, 0.5, np.float32)
        base = np.array(look.water_rgb, dtype=np.float32)
        wcol = base[None, None, :] * (0.8 + 0.4 * ripple[..., None])
        # Specular glint of the lamp along the centre line.
        glint = np.exp(-((dx * t_water) ** 2) * 6.0) * np.exp(-t_water / 3.0) * 0.2
        wcol = wcol + (glint * (0.6 + 0.8 * ripple))[..., None]
        color = np.where(water[..., None], wcol, color)
        depth = np.where(water, t_water, depth)
    for z0, z1, height in geometry.deposits:
        if z1 < z_cam or z0 > z_cam + look.max_depth:
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            t_sand = np.where(down, (-1.0 + height - cy) / dy, np.float32(1e6)).astype(np.float32)
        zs = z_cam + t_sand
        sand = down & (t_sand > 0) & (t_sand < depth) & (zs >= z0) & (zs <= z1)
        if sand.any():
            grain = 0.8
            if geometry.sand_texture is not None:
                st = geometry.sand_texture
                sc = np.mod(dx * t_sand * 60.0, st.shape[1] - 1).astype(np.float32)
                sr = np.mod(zs * 25.0, st.shape[0] - 1).astype(np.float32)
                grain = cv2.remap(st, sc, sr, cv2.INTER_LINEAR).astype(np.float32) / 255.0
                grain = 0.6 + 0.6 * grain
            scol = np.array(look.sand_rgb, dtype=np.float32)[None, None, :] * np.asarray(grain)[..., None]
            color = np.where(sand[..., None], scol, color)
            depth = np.where(sand, t_sand, depth)

    # The lamp: inverse-square-like falloff with depth, a beam, and a little ambient light.
    beam = (1.0 / norm) ** look.beam
    light = look.light * beam / (1.0 + (depth / look.falloff) ** 2) + look.ambient
    color = color * light[..., None]
    color = np.where((depth > look.max_depth)[..., None], 0.0, color)
    return Frame(image=color.astype(np.float32), depth=depth.astype(np.float32))


def finish(frame: Frame, look: Look, rng: np.random.Generator) -> np.ndarray:
    """Camera response: white balance, gamma, focus blur, sensor noise → uint8 BGR."""
    color = frame.image * np.array(look.tint, dtype=np.float32)[None, None, :]
    color = np.clip(color, 0.0, 1.0) ** look.gamma
    if look.blur > 0.3:
        color = cv2.GaussianBlur(color, (0, 0), look.blur)
    if look.noise > 0:
        color = color + rng.normal(0.0, look.noise, size=color.shape[:2])[..., None].astype(np.float32)
    return (np.clip(color, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def project(points: np.ndarray, camera: Camera, z_cam: float):
    """Project world points (N × 3, radii) → (pixels N × 2, depth N). Points behind the
    camera get depth <= 0."""
    points = np.asarray(points, dtype=np.float64)
    xr = points[:, 0] - camera.cx
    yr = points[:, 1] - camera.cy
    d = points[:, 2] - z_cam
    safe = np.where(d > 1e-3, d, 1e-3)
    ru = camera.focal * xr / safe
    rv = -camera.focal * yr / safe
    c, s = math.cos(camera.roll), math.sin(camera.roll)
    ou = c * ru + s * rv
    ov = -s * ru + c * rv
    return np.stack([camera.px + ou, camera.py + ov], axis=1), d


# Drawing helpers for projected objects -------------------------------------------------------

def lamp_light(depth: float, look: Look) -> float:
    return look.light / (1.0 + (depth / look.falloff) ** 2) + look.ambient


def draw_polygon(frame: Frame, pixels: np.ndarray, depth: float, rgb, look: Look,
                 shade: float = 1.0) -> None:
    """Fill a projected polygon at one depth, lit by the lamp, respecting what is in front."""
    if len(pixels) < 3 or depth <= 0.05:
        return
    h, w = frame.depth.shape
    mask = np.zeros((h, w), dtype=np.uint8)
    cv2.fillPoly(mask, [np.round(pixels).astype(np.int32)], 1, lineType=cv2.LINE_AA)
    visible = (mask > 0) & (frame.depth > depth)
    if not visible.any():
        return
    value = np.array(rgb, dtype=np.float32) * shade * lamp_light(depth, look)
    frame.image[visible] = value
    frame.depth[visible] = depth


def draw_mask(frame: Frame, mask: np.ndarray, depth: float, colour_image: np.ndarray) -> None:
    visible = mask & (frame.depth > depth)
    frame.image[visible] = colour_image[visible]
    frame.depth[visible] = depth


def paint_polyline(frame: Frame, pixels: np.ndarray, depth: float, rgb, look: Look,
                   thickness: float, shade: float = 1.0) -> None:
    if len(pixels) < 2 or depth <= 0.05:
        return
    h, w = frame.depth.shape
    mask = np.zeros((h, w), dtype=np.uint8)
    cv2.polylines(mask, [np.round(pixels).astype(np.int32)], False, 1,
                  thickness=max(1, int(round(thickness))), lineType=cv2.LINE_AA)
    visible = (mask > 0) & (frame.depth > depth)
    if visible.any():
        frame.image[visible] = np.array(rgb, dtype=np.float32) * shade * lamp_light(depth, look)
        frame.depth[visible] = depth


ObjectDrawer = Callable[[Frame, Camera, Look, float, np.random.Generator], None]
