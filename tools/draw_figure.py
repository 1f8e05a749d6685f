"""Draw the illustration for the reclining lower-trunk extensor stretch.

The picture shows a person lying on their back on an exercise mat, seen from
the side: one hip and knee bent with the thigh drawn toward the chest, the
other leg crossed over it ("figure four", ankle resting on the supporting
thigh just below the knee) and both hands clasped behind the supporting thigh.

The project draws its own pictures instead of taking them from elsewhere, so
the handouts carry no third-party artwork and the figure can be regenerated
exactly. The output is deterministic: same script, same PNG bytes.

Usage: python tools/draw_figure.py [OUTPUT.png]
"""

import math
import sys
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "assets" / "reclining-lower-trunk-extensor-stretch.png"

W, H, SS = 1200, 800, 4          # final size and supersampling factor
STROKE = 7                       # outline width at final size, px
INK = (27, 42, 58)               # #1b2a3a
SKIN = (246, 226, 208)
SHIRT = (207, 223, 236)
SHORTS = (150, 176, 199)
HAIR = (92, 84, 80)
MAT = (190, 225, 220)
MAT_Y = 620                      # top surface of the mat
HEAD = 105                       # crown-to-chin; adult height ~ 7.5 heads
ZOOM, SHIFT = 1.45, (115, -215)  # figure coordinates -> page


# ---- geometry (all in final-size pixels, y grows downward) -------------

def polar(origin, length, degrees):
    """Point `length` away from origin; angle from +x, counter-clockwise (up)."""
    a = math.radians(degrees)
    return (origin[0] + length * math.cos(a), origin[1] - length * math.sin(a))


def lerp(a, b, t):
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def capsule(a, b, ra, rb, steps=24):
    """Closed outline of a tapered capsule: circles at a and b joined by tangents."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    d = math.hypot(dx, dy)
    phi = math.atan2(dy, dx)
    alpha = math.asin(max(-1.0, min(1.0, (ra - rb) / d)))
    half = math.pi / 2 + alpha
    pts = []
    for i in range(steps + 1):   # arc around b, then around a
        t = phi - half + (2 * half) * i / steps
        pts.append((b[0] + rb * math.cos(t), b[1] + rb * math.sin(t)))
    for i in range(steps + 1):
        t = phi + half + (2 * math.pi - 2 * half) * i / steps
        pts.append((a[0] + ra * math.cos(t), a[1] + ra * math.sin(t)))
    return pts


def smooth(points, steps=10):
    """Closed Catmull-Rom curve through the given points."""
    out, n = [], len(points)
    for i in range(n):
        p0, p1, p2, p3 = (points[(i + k) % n] for k in (-1, 0, 1, 2))
        for s in range(steps):
            t = s / steps
            out.append(tuple(
                0.5 * (2 * p1[j] + (p2[j] - p0[j]) * t
                       + (2 * p0[j] - 5 * p1[j] + 4 * p2[j] - p3[j]) * t * t
                       + (3 * p1[j] - p0[j] - 3 * p2[j] + p3[j]) * t ** 3)
                for j in (0, 1)))
    return out


def two_link(root, tip, l1, l2, bend=1):
    """Middle joint of a two-segment limb reaching from root to tip."""
    d = min(math.dist(root, tip), l1 + l2 - 1e-6)
    base = math.atan2(tip[1] - root[1], tip[0] - root[0])
    a = math.acos((l1 * l1 + d * d - l2 * l2) / (2 * l1 * d))
    return (root[0] + l1 * math.cos(base + bend * a),
            root[1] + l1 * math.sin(base + bend * a))


def frame(origin, degrees, shape, scale):
    """Map points given along a local axis (u forward, v to the right) to the page."""
    a = math.radians(degrees)
    u, v = (math.cos(a), -math.sin(a)), (math.sin(a), math.cos(a))
    return [(origin[0] + scale * (p * u[0] + q * v[0]), origin[1] + scale * (p * u[1] + q * v[1]))
            for p, q in shape]


HEAD_SHAPE = [(0.42, 0.05), (0.33, -0.36), (0.06, -0.52), (-0.26, -0.44), (-0.37, -0.2),
              (-0.38, -0.08), (-0.5, 0.05), (-0.39, 0.12), (-0.41, 0.2), (-0.37, 0.36),
              (-0.22, 0.48), (0.05, 0.43), (0.3, 0.32)]  # u: face->back, v: crown->chin
HAIR_SHAPE = [(0.44, 0.06), (0.36, -0.38), (0.06, -0.56), (-0.28, -0.46), (-0.31, -0.3),
              (-0.1, -0.3), (0.1, -0.2), (0.22, 0.0), (0.3, 0.2)]
FOOT_SHAPE = [(0.0, -0.13), (0.45, -0.14), (0.82, -0.08), (0.92, 0.03), (0.84, 0.13),
              (0.55, 0.17), (0.15, 0.2), (-0.08, 0.3), (-0.2, 0.18), (-0.15, 0.0)]


# ---- the pose --------------------------------------------------------------

def pose():
    """Joint positions from segment lengths (in head units) and joint angles."""
    h = HEAD
    j = {"shoulder": (265, MAT_Y - 42), "hip": (540, MAT_Y - 50)}
    j["knee"] = polar(j["hip"], 1.9 * h, 103)            # thigh drawn toward chest
    j["ankle"] = polar(j["knee"], 1.85 * h, -3)           # shin about horizontal
    thigh_dir = 103
    # crossed leg: thigh out toward the viewer, ankle on the supporting thigh
    j["hip2"] = (j["hip"][0] + 10, j["hip"][1] + 8)
    j["ankle2"] = polar(lerp(j["hip"], j["knee"], 0.82), 0.2 * h, thigh_dir + 90)
    j["knee2"] = polar(j["hip2"], 1.7 * h, 52)
    # hands clasped round the back of the supporting thigh
    grip = lerp(j["hip"], j["knee"], 0.5)
    j["wrist"] = polar(grip, 0.12 * h, thigh_dir + 90)
    j["fist"] = polar(grip, 0.5 * h, thigh_dir - 90)
    j["elbow"] = two_link(j["shoulder"], j["wrist"], 1.45 * h, 1.1 * h, bend=1)
    j["elbow_far"] = two_link(j["shoulder"], j["wrist"], 1.45 * h, 1.1 * h, bend=-1)
    j["thigh_dir"] = thigh_dir
    return j


# ---- drawing ---------------------------------------------------------------

class Canvas:
    """Supersampled page; figure coordinates are scaled by ZOOM and shifted by SHIFT."""

    def __init__(self):
        self.img = Image.new("RGB", (W * SS, H * SS), "white")
        self.draw = ImageDraw.Draw(self.img)

    @staticmethod
    def up(points):
        return [((x * ZOOM + SHIFT[0]) * SS, (y * ZOOM + SHIFT[1]) * SS) for x, y in points]

    def mask(self, poly):
        m = Image.new("L", self.img.size, 0)
        ImageDraw.Draw(m).polygon(self.up(poly), fill=255)
        return m

    def group(self, parts, stroke=STROKE):
        """Parts share one silhouette: outlines first, then every fill.

        Each part is (outline, colour) or (outline, colour, clip_polygon)."""
        for part in parts:
            pts = self.up(part[0])
            self.draw.polygon(pts, fill=INK)
            self.draw.line(pts + pts[:1], fill=INK, width=2 * stroke * SS, joint="curve")
        for part in parts:
            if len(part) == 2:
                self.draw.polygon(self.up(part[0]), fill=part[1])
            else:
                m = ImageChops.multiply(self.mask(part[0]), self.mask(part[2]))
                self.img.paste(part[1], mask=m)

    def line(self, points, width=4, clip=None):
        pts = self.up(points)
        layer = Image.new("L", self.img.size, 0)
        ImageDraw.Draw(layer).line(pts, fill=255, width=width * SS, joint="curve")
        for x, y in (pts[0], pts[-1]):   # round caps
            r = width * SS / 2
            ImageDraw.Draw(layer).ellipse((x - r, y - r, x + r, y + r), fill=255)
        if clip is not None:
            layer = ImageChops.multiply(layer, self.mask(clip))
        self.img.paste(INK, mask=layer)

    def finish(self):
        return self.img.resize((W, H), Image.LANCZOS)


def limb(points, radii, colour=SKIN):
    """Capsules along a chain of joints (one silhouette when drawn as a group)."""
    return [(capsule(points[i], points[i + 1], radii[i], radii[i + 1]), colour)
            for i in range(len(points) - 1)]


def beyond(a, b, far=2000):
    """Half-plane on b's side of the line through a that is normal to a->b."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    n = math.hypot(dx, dy)
    ux, uy, px, py = dx / n * far, dy / n * far, -dy / n * far, dx / n * far
    return [(a[0] + px, a[1] + py), (a[0] - px, a[1] - py),
            (a[0] - px + ux, a[1] - py + uy), (a[0] + px + ux, a[1] + py + uy)]


def shorts_leg(hip, knee, r1, r2, t=0.42):
    """Skin-coloured thigh with the shorts covering the part near the hip."""
    seg = capsule(hip, knee, r1, r2)
    hem = lerp(hip, knee, t)
    return [(seg, SKIN), (seg, SHORTS, beyond(hem, hip))], hem


def render(c, j):
    h, base = HEAD, MAT_Y - 6
    c.group([(smooth([(-40, MAT_Y), (760, MAT_Y), (760, MAT_Y + 24), (-40, MAT_Y + 24)], 1), MAT)], 5)
    # far arm: only a sliver shows behind the near one
    c.group(limb([j["shoulder"], j["elbow_far"], j["wrist"]], [21, 15, 13]))
    # crossed foot: beyond the supporting thigh, so behind it
    foot2 = smooth(frame(j["ankle2"], j["thigh_dir"] + 35, FOOT_SHAPE, 0.85 * h), 6)
    c.group([(foot2, SKIN)])
    # head, neck, torso and the supporting leg share one silhouette
    hc = (150, base - 0.42 * h)
    head = smooth(frame(hc, 90, HEAD_SHAPE, h), 8)
    torso = smooth([(240, base), (420, base - 5), (560, base), (610, 578), (575, 512),
                    (510, 532), (445, 530), (385, 512), (330, 500), (280, 510),
                    (250, 538), (236, base - 20)], 10)
    leg, hem = shorts_leg(j["hip"], j["knee"], 48, 31)
    foot = smooth(frame(j["ankle"], 85, FOOT_SHAPE, 0.9 * h), 6)
    c.group([(head, SKIN), (capsule((185, base - 34), (250, base - 36), 23, 30), SKIN),
             (torso, SHIRT), (torso, SHORTS, beyond((455, 0), (456, 0)))] + leg
            + limb([j["knee"], lerp(j["knee"], j["ankle"], 0.3), j["ankle"]], [31, 30, 17])
            + [(foot, SKIN)])
    c.group([(smooth(frame(hc, 90, HAIR_SHAPE, h), 8), HAIR)], 3)
    c.line(frame(hc, 90, [(-0.2, -0.02), (-0.17, 0.05)], h), 3)          # closed eye
    c.line([(455, base - 10), (455, 520)], clip=torso)                   # shirt hem
    c.line([polar(hem, 60, j["thigh_dir"] + 90), polar(hem, 60, j["thigh_dir"] - 90)],
           clip=leg[0][0])
    # near arm, hands wrapped round the back of the supporting thigh
    c.group(limb([j["shoulder"], j["elbow"], j["wrist"], j["fist"]], [23, 16, 13, 20])
            + [(capsule(j["shoulder"], lerp(j["shoulder"], j["elbow"], 0.45), 25, 21), SHIRT)])
    # crossed leg on top
    leg2, hem2 = shorts_leg(j["hip2"], j["knee2"], 46, 30)
    c.group(leg2 + limb([j["knee2"], j["ankle2"]], [30, 16]))
    c.line([polar(hem2, 60, 52 + 90), polar(hem2, 60, 52 - 90)], clip=leg2[0][0])
    return c


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else DEFAULT_OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    img = render(Canvas(), pose()).finish()
    img.save(out, format="PNG", optimize=True)
    print(out)


if __name__ == "__main__":
    main()
