"""Draw the illustration for the reclining lower-trunk extensor stretch.

The picture shows a person lying on their back on an exercise mat, seen from
the side: one hip and knee bent with the thigh drawn toward the chest, the
other leg crossed over it ("figure four": its ankle rests on the supporting
thigh just below the knee, its knee points out to the side) and both hands
clasped behind the supporting thigh.

The project draws its own pictures rather than taking them from elsewhere, so
the handouts carry no third-party artwork and the figure can be rebuilt at
any time. The output is deterministic: same script, same PNG bytes.

Usage: python tools/draw_figure.py [OUTPUT.png]
(default output: assets/reclining-lower-trunk-extensor-stretch.png in the repo)
"""

import math
import sys
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

DEFAULT_OUT = (Path(__file__).resolve().parent.parent
               / "assets" / "reclining-lower-trunk-extensor-stretch.png")

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
ZOOM, SHIFT = 1.7, (-38, -396)   # figure coordinates -> page


# ---- geometry (all in final-size pixels, y grows downward) -------------

def polar(origin, length, degrees):
    """Point `length` away from origin; angle from +x, counter-clockwise (up)."""
    a = math.radians(degrees)
    return (origin[0] + length * math.cos(a), origin[1] - length * math.sin(a))


def lerp(a, b, t):
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def capsule(a, b, ra, rb, steps=24):
    """Closed outline of a tapered capsule: circles at a and b joined by tangents."""
    phi = math.atan2(b[1] - a[1], b[0] - a[0])
    half = math.pi / 2 + math.asin(max(-1.0, min(1.0, (ra - rb) / math.dist(a, b))))
    arc_b = [phi - half + 2 * half * i / steps for i in range(steps + 1)]
    arc_a = [phi + half + (2 * math.pi - 2 * half) * i / steps for i in range(steps + 1)]
    return ([(b[0] + rb * math.cos(t), b[1] + rb * math.sin(t)) for t in arc_b]
            + [(a[0] + ra * math.cos(t), a[1] + ra * math.sin(t)) for t in arc_a])


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


# u: back of the head -> face, v: crown -> chin (head units, origin mid-head)
HEAD_SHAPE = [(-0.42, 0.05), (-0.33, -0.36), (-0.06, -0.52), (0.26, -0.44), (0.37, -0.2),
              (0.38, -0.08), (0.5, 0.05), (0.39, 0.12), (0.41, 0.2), (0.37, 0.36),
              (0.22, 0.48), (-0.05, 0.43), (-0.3, 0.32)]
HAIR_SHAPE = [(-0.44, 0.06), (-0.36, -0.38), (-0.06, -0.56), (0.28, -0.46), (0.31, -0.3),
              (0.1, -0.3), (-0.1, -0.2), (-0.22, 0.0), (-0.3, 0.2)]
FOOT_SHAPE = [(-0.02, -0.12), (0.3, -0.12), (0.6, -0.1), (0.82, -0.07), (0.94, -0.02),
              (0.95, 0.06), (0.87, 0.13), (0.7, 0.15), (0.48, 0.13), (0.25, 0.16),
              (0.05, 0.25), (-0.1, 0.27), (-0.2, 0.17), (-0.16, 0.0)]  # u: to toes, v: to sole


# ---- the pose --------------------------------------------------------------

def pose():
    """Joint positions from segment lengths (in head units) and joint angles.

    We look from the side of the supporting leg: it is nearest, so its thigh,
    the hands clasped behind it and the crossed foot beside its knee all stay
    in view, while the crossed knee points away from us, out to the far side."""
    h = HEAD
    j = {"head": (165, MAT_Y - 6 - 0.42 * h),
         "shoulder": (255, MAT_Y - 42), "hip": (255 + 2.25 * h, MAT_Y - 50)}
    j["thigh_dir"] = 110                                  # thigh drawn toward chest
    j["knee"] = polar(j["hip"], 1.85 * h, j["thigh_dir"])
    j["ankle"] = polar(j["knee"], 1.85 * h, -4)           # shin about horizontal
    j["calf"] = polar(lerp(j["knee"], j["ankle"], 0.3), 5, -94)
    # crossed leg: ankle on the front of the supporting thigh just below the knee
    j["hip2"] = (j["hip"][0] + 6, j["hip"][1] - 6)
    j["ankle2"] = polar(lerp(j["hip"], j["knee"], 0.9), 0.42 * h, j["thigh_dir"] + 90)
    j["knee2"] = two_link(j["hip2"], j["ankle2"], 1.4 * h, 1.85 * h, bend=1)
    # hands clasped round the back of the supporting thigh
    j["wrist"] = lerp(j["hip"], j["knee"], 0.45)
    j["fist"] = polar(lerp(j["hip"], j["knee"], 0.48), 0.47 * h, j["thigh_dir"] - 90)
    # arms flare out to the sides, so both segments look a little shortened
    j["elbow"] = two_link(j["shoulder"], j["wrist"], 1.25 * h, 1.0 * h, bend=-1)
    j["shoulder_far"] = (j["shoulder"][0] - 4, j["shoulder"][1] - 8)
    j["elbow_far"] = (j["elbow"][0] - 16, j["elbow"][1] - 14)
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
        r = stroke * SS
        for part in parts:          # grow each shape by `stroke`: round pen along the edge
            pts = self.up(part[0])
            self.draw.polygon(pts, fill=INK)
            for a, b in zip(pts, pts[1:] + pts[:1]):
                self.draw.line([a, b], fill=INK, width=2 * r)
                self.draw.ellipse((a[0] - r, a[1] - r, a[0] + r, a[1] + r), fill=INK)
        for part in parts:
            if len(part) == 2:
                self.draw.polygon(self.up(part[0]), fill=part[1])
            else:
                m = ImageChops.multiply(self.mask(part[0]), self.mask(part[2]))
                self.img.paste(part[1], mask=m)

    def line(self, points, width=4, clip=None):
        """A detail stroke (hem, eye), optionally kept inside the clip polygon."""
        pts, r = self.up(points), width * SS / 2
        layer = Image.new("L", self.img.size, 0)
        pen = ImageDraw.Draw(layer)
        pen.line(pts, fill=255, width=width * SS, joint="curve")
        for x, y in (pts[0], pts[-1]):   # round caps
            pen.ellipse((x - r, y - r, x + r, y + r), fill=255)
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


def clothed(root, end, r1, r2, colour, t):
    """Limb segment covered by clothing from root to fraction t: parts and hem line."""
    seg = capsule(root, end, r1, r2)
    hem = lerp(root, end, t)
    deg = math.degrees(math.atan2(root[1] - end[1], end[0] - root[0]))
    hem_line = [polar(hem, 60, deg + 90), polar(hem, 60, deg - 90)]
    return [(seg, SKIN), (seg, colour, beyond(hem, root))], hem_line


def oval(centre, rx, ry, n=32):
    steps = (2 * math.pi * i / n for i in range(n))
    return [(centre[0] + rx * math.cos(t), centre[1] + ry * math.sin(t)) for t in steps]


def render(c, j):
    """Paint back to front: mat, crossed leg, far arm, body with supporting leg, near arm."""
    h, base, hc, waist = HEAD, MAT_Y - 6, j["head"], 415
    c.group([(capsule((54, MAT_Y + 8.5), (696, MAT_Y + 8.5), 8.5, 8.5), MAT)], 5)
    # crossed leg, furthest from us: knee out to the far side, shin behind the
    # supporting thigh, foot showing past the front of that thigh below the knee
    leg2, hem2 = clothed(j["hip2"], j["knee2"], 38, 25, SHORTS, 0.5)
    mirrored = [(p, -q) for p, q in FOOT_SHAPE]              # sole faces away, heel below
    shin2 = [j["knee2"], lerp(j["knee2"], j["ankle2"], 0.3), j["ankle2"]]
    c.group(leg2 + limb(shin2, [25, 24, 13])
            + [(smooth(frame(j["ankle2"], j["thigh_dir"] + 10, mirrored, 0.85 * h), 12), SKIN)])
    c.line(hem2, clip=leg2[0][0])
    c.group(limb([j["shoulder_far"], j["elbow_far"], j["wrist"]], [19, 13, 11]))
    # head, neck, torso and the supporting leg share one silhouette
    head = smooth(frame(hc, 90, HEAD_SHAPE, h), 8)
    torso = smooth([(235, base), (400, base - 5), (505, base), (540, 590), (528, 540),
                    (465, 532), (410, 530), (350, 512), (310, 508), (270, 522),
                    (240, 552), (232, base - 20)], 10)
    leg, hem = clothed(j["hip"], j["knee"], 39, 25, SHORTS, 0.42)
    foot = smooth(frame(j["ankle"], 85, FOOT_SHAPE, 0.9 * h), 12)
    c.group([(head, SKIN), (capsule((200, base - 34), (245, base - 36), 22, 28), SKIN),
             (torso, SHIRT), (torso, SHORTS, beyond((waist, 0), (waist + 1, 0)))] + leg
            + limb([j["knee"], j["calf"], j["ankle"]], [25, 27, 13])
            + [(foot, SKIN)])
    c.group([(smooth(frame(hc, 90, HAIR_SHAPE, h), 8), HAIR)], 3)
    c.group([(frame(hc, 90, oval((-0.05, 0.06), 0.08, 0.12), h), SKIN)], 3)       # ear
    c.line(frame(hc, 90, [(0.27, -0.1), (0.25, -0.02)], h), 4)          # closed eye
    c.line([(waist, base - 10), (waist, 520)], clip=torso)               # shirt hem
    c.line(hem, clip=leg[0][0])
    # near arm reaches round the thigh; the hands meet behind it
    arm, sleeve = clothed(j["shoulder"], j["elbow"], 24, 15, SHIRT, 0.42)
    c.group(arm + limb([j["elbow"], j["wrist"], j["fist"]], [15, 11, 22]))
    c.line(sleeve, clip=arm[0][0])
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
