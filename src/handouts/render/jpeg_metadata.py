"""A JPEG's metadata taken out without decoding it: what a phone or camera wrote beside the picture.

A JPEG that already fits the page goes into the PDF byte for byte (no second generation of
compression loss), and ReportLab embeds the whole file: measured, a photo's Exif (camera, serial
number, the time taken, and GPS position when the phone records it), XMP and comments were all
readable in the emailed PDF.  A handout must carry nothing but the picture, so those segments
are dropped here, losslessly: the entropy-coded data is copied as it is, and the picture decodes
to the same pixels.

Kept, because they change how the picture looks: JFIF (APP0, pixel density), the ICC colour
profile (APP2 ``ICC_PROFILE``) and Adobe's colour transform (APP14, which a CMYK or YCCK JPEG
needs), with every table, frame and scan.  Dropped: APP1 (Exif, XMP), the other APP2 kinds
(multi-picture index, FlashPix), APP3-APP13 (IPTC and Photoshop in APP13), APP15 and comments
(COM), wherever they are, also between the scans of a progressive JPEG; and anything after the
end marker.  The only Exif field that changes how a picture looks, its orientation, is handled
before this is called: a picture that is not upright is decoded, turned and encoded again, and
an encoder writes none of these.

The segment syntax is ITU-T T.81 (ISO/IEC 10918-1) annex B: a marker is 0xFF and a code; a
segment's two-byte length counts itself; in entropy-coded data 0xFF is followed by 0x00
(stuffing) or a restart marker (0xD0-0xD7), and any other code there is the next marker.
"""

from __future__ import annotations

_SOI, _EOI, _SOS, _TEM = 0xD8, 0xD9, 0xDA, 0x01
_RESTARTS = range(0xD0, 0xD8)
_APP0, _APP2, _APP14, _APP15, _COM = 0xE0, 0xE2, 0xEE, 0xEF, 0xFE
_ICC = b"ICC_PROFILE\0"


def _metadata(code: int, body: bytes) -> bool:
    """Whether the segment *code* with *body* (after its length) is metadata (see the module's docstring)."""
    if code == _COM:
        return True
    if _APP0 <= code <= _APP15:
        return code not in (_APP0, _APP14) and not (code == _APP2 and body.startswith(_ICC))
    return False


def _entropy_end(data: bytes, start: int) -> int:
    """Where the entropy-coded data beginning at *start* ends: the offset of the next marker."""
    i = start
    while True:
        i = data.find(b"\xff", i)
        if i < 0 or i + 1 >= len(data):
            raise ValueError("the scan data has no end marker")
        code = data[i + 1]
        if code == 0x00 or code in _RESTARTS or code == 0xFF:  # stuffing, a restart, or fill before a marker
            i += 1 if code == 0xFF else 2
            continue
        return i


def without_metadata(data: bytes) -> bytes | None:
    """The JPEG *data* without its metadata segments (see the module's docstring), or None when it
    has none (and nothing after its end marker but padding): then *data* is used as it is.

    Raises ValueError when *data* is not a JPEG whose segments can be followed to its end marker
    (a length running past the end, no end marker): it is then decoded and encoded again instead.
    """
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG (no start marker)")
    kept = [data[:2]]
    dropped = False
    i = 2
    while True:
        while i < len(data) and data[i] == 0xFF and i + 1 < len(data) and data[i + 1] == 0xFF:
            i += 1  # fill bytes before a marker
        if i + 1 >= len(data) or data[i] != 0xFF:
            raise ValueError(f"no marker at byte {i}")
        code = data[i + 1]
        if code == _EOI:
            kept.append(data[i:i + 2])
            end = i + 2
            break
        if code == _TEM or code in _RESTARTS or code == _SOI:  # markers without a length
            kept.append(data[i:i + 2])
            i += 2
            continue
        if i + 4 > len(data):
            raise ValueError(f"a segment at byte {i} is cut off")
        length = int.from_bytes(data[i + 2:i + 4], "big")
        if length < 2 or i + 2 + length > len(data):
            raise ValueError(f"a segment at byte {i} runs past the end")
        segment_end = i + 2 + length
        if _metadata(code, data[i + 4:segment_end]):
            dropped = True
        else:
            kept.append(data[i:segment_end])
        i = segment_end
        if code == _SOS:
            scan_end = _entropy_end(data, i)
            kept.append(data[i:scan_end])
            i = scan_end
    if not dropped and not data[end:].strip(b"\0\r\n"):
        return None
    return b"".join(kept)
