#!/usr/bin/env python3
"""Synthetic DICOM for the benchmark (no patient data, fresh UIDs every call, standard library only).

  gen_dicom.py multiframe SIZE_MB OUTFILE     one multi-frame grayscale word secondary capture
                                              object of about SIZE_MB MiB (512x512 16-bit frames),
                                              written frame by frame, never held in memory
  gen_dicom.py series N OUTDIR [STUDIES]      N CT slices (512x512 16-bit) per study, one series
                                              each; only used when ../shared/bench (whose
                                              generator the DICOM figures use) is absent

Explicit VR little endian Part 10 files. Prints one line: RESULT gen-dicom files=.. bytes=..
"""
import os
import struct
import sys
import time
import uuid

EXPLICIT_LE = "1.2.840.10008.1.2.1"
CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2"
MF_GRAY_WORD_SC = "1.2.840.10008.5.1.4.1.1.7.3"
ROWS = COLS = 512


def uid():
    return "2.25." + str(uuid.uuid4().int)


def element(group, elem, vr, value):
    """One explicit VR little endian element; value is bytes or str (padded to even length)."""
    if isinstance(value, str):
        pad = b"\0" if vr == "UI" else b" "
        value = value.encode("ascii")
        if len(value) % 2:
            value += pad
    if vr in ("OB", "OW", "OF", "SQ", "UT", "UN"):
        return struct.pack("<HH2sHI", group, elem, vr.encode(), 0, len(value)) + value
    return struct.pack("<HH2sH", group, elem, vr.encode(), len(value)) + value


def us(v):
    return struct.pack("<H", v)


def meta(sop_class, sop_uid):
    body = (element(0x0002, 0x0001, "OB", b"\0\1") + element(0x0002, 0x0002, "UI", sop_class)
            + element(0x0002, 0x0003, "UI", sop_uid) + element(0x0002, 0x0010, "UI", EXPLICIT_LE)
            + element(0x0002, 0x0012, "UI", "1.2.826.0.1.3680043.9.7433.1") + element(0x0002, 0x0013, "SH", "RADLOOP_BENCH"))
    return b"\0" * 128 + b"DICM" + element(0x0002, 0x0000, "UL", struct.pack("<I", len(body))) + body


def header(sop_class, sop_uid, study, series, instance, modality, frames, extra=b""):
    """Data set elements up to (not including) Pixel Data, in tag order."""
    now = time.strftime("%Y%m%d"), time.strftime("%H%M%S")
    h = (element(0x0008, 0x0016, "UI", sop_class) + element(0x0008, 0x0018, "UI", sop_uid)
         + element(0x0008, 0x0020, "DA", now[0]) + element(0x0008, 0x0030, "TM", now[1])
         + element(0x0008, 0x0050, "SH", study["accession"]) + element(0x0008, 0x0060, "CS", modality))
    if sop_class == MF_GRAY_WORD_SC:
        h += element(0x0008, 0x0064, "CS", "WSD")
    h += (element(0x0008, 0x1030, "LO", study["description"]) + element(0x0008, 0x103E, "LO", "BENCH SERIES")
          + element(0x0010, 0x0010, "PN", "BENCH^SYNTHETIC") + element(0x0010, 0x0020, "LO", study["patient"])
          + element(0x0010, 0x0030, "DA", "19700101") + element(0x0010, 0x0040, "CS", "O") + extra
          + element(0x0020, 0x000D, "UI", study["uid"]) + element(0x0020, 0x000E, "UI", series)
          + element(0x0020, 0x0010, "SH", "1") + element(0x0020, 0x0011, "IS", "1")
          + element(0x0020, 0x0013, "IS", str(instance)))
    return h


def image_module(frames, ct_position=None):
    h = b""
    if ct_position is not None:
        h += element(0x0020, 0x0032, "DS", "-128\\-128\\%d" % ct_position)
        h += element(0x0020, 0x0037, "DS", "1\\0\\0\\0\\1\\0")
    h += element(0x0028, 0x0002, "US", us(1)) + element(0x0028, 0x0004, "CS", "MONOCHROME2")
    if frames > 1:
        h += element(0x0028, 0x0008, "IS", str(frames))
    h += (element(0x0028, 0x0010, "US", us(ROWS)) + element(0x0028, 0x0011, "US", us(COLS))
          + element(0x0028, 0x0100, "US", us(16)) + element(0x0028, 0x0101, "US", us(16))
          + element(0x0028, 0x0102, "US", us(15)) + element(0x0028, 0x0103, "US", us(0)))
    return h


def frame_bytes(seed):
    """A 512x512 16-bit frame: a disc on a gradient, shifted by seed (cheap, not constant)."""
    row = bytearray()
    out = bytearray()
    for y in range(ROWS):
        row.clear()
        for x in range(COLS):
            d = (x - 256) ** 2 + (y - 256 - seed % 64) ** 2
            row += us(1000 + (x + y + seed) % 200 if d < 160 ** 2 else (x * 3) % 50)
        out += row
    return bytes(out)


def study_info(n):
    tag = uuid.uuid4().hex[:10].upper()
    return {"uid": uid(), "accession": "BA" + tag, "patient": "BENCH" + tag, "description": "BENCH STUDY %d" % n}


def multiframe(size_mb, outfile):
    frame_len = ROWS * COLS * 2
    frames = max(1, (size_mb * 1024 * 1024) // frame_len)
    sop = uid()
    study = study_info(1)
    study["description"] = "BENCH LARGE MULTIFRAME"
    frames_data = [frame_bytes(s * 7) for s in range(4)]
    with open(outfile, "wb") as f:
        f.write(meta(MF_GRAY_WORD_SC, sop))
        f.write(header(MF_GRAY_WORD_SC, sop, study, uid(), 1, "OT", frames) + image_module(frames))
        f.write(struct.pack("<HH2sHI", 0x7FE0, 0x0010, b"OW", 0, frames * frame_len))
        for i in range(frames):
            f.write(frames_data[i % len(frames_data)])
    print("RESULT gen-dicom files=1 frames=%d bytes=%d" % (frames, os.path.getsize(outfile)))


def series(n, outdir, studies=1):
    os.makedirs(outdir, exist_ok=True)
    frames_data = [frame_bytes(s * 5) for s in range(8)]
    total = 0
    for s in range(studies):
        study = study_info(s + 1)
        series_uid = uid()
        for i in range(n):
            sop = uid()
            path = os.path.join(outdir, "st%03d_im%05d.dcm" % (s, i + 1))
            with open(path, "wb") as f:
                f.write(meta(CT_IMAGE, sop))
                f.write(header(CT_IMAGE, sop, study, series_uid, i + 1, "CT", 1) + image_module(1, i))
                f.write(element(0x7FE0, 0x0010, "OW", frames_data[i % len(frames_data)]))
            total += os.path.getsize(path)
    print("RESULT gen-dicom files=%d bytes=%d" % (n * studies, total))


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "multiframe":
        multiframe(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) >= 4 and sys.argv[1] == "series":
        series(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    else:
        sys.exit(__doc__)
