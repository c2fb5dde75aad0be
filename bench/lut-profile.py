#!/usr/bin/env python3
"""lut-profile.py — an RGB ICC profile made of lookup tables, from any RGB profile, to tag test photos with.

usage: bench/lut-profile.py SOURCE.icc OUT.icc [VERSION]     (VERSION 4.3, the default, or 2.1)

Scanners', printers' and some editors' RGB profiles hold tables (A2B0 to the profile connection space, B2A0 back)
where the usual ones hold a matrix and three curves. None of the profiles Debian ships is of that kind, so this
samples SOURCE's own conversion into such tables (33 levels a channel, to and from Lab), with LittleCMS 2 (Debian's
liblcms2-2) through ctypes. Tag a photo with the result without converting it, e.g.
    convert photo.jpg -strip -profile OUT.icc -quality 90 tagged.jpg
(docs/PERFORMANCE.md, section 1, session 21).
"""
import ctypes as C
import sys

POINTS = 33
TYPE_RGB_16 = (4 << 16) | (3 << 3) | 2  # COLORSPACE_SH(PT_RGB) | CHANNELS_SH(3) | BYTES_SH(2)
TYPE_LAB_16 = (10 << 16) | (3 << 3) | 2  # COLORSPACE_SH(PT_Lab) | CHANNELS_SH(3) | BYTES_SH(2)
RELATIVE_COLORIMETRIC = 1
AT_END = 1

lcms = C.CDLL("liblcms2.so.2")
for name, result, args in [
        ("cmsOpenProfileFromFile", C.c_void_p, [C.c_char_p, C.c_char_p]),
        ("cmsCreateLab4Profile", C.c_void_p, [C.c_void_p]),
        ("cmsCreateLab2Profile", C.c_void_p, [C.c_void_p]),
        ("cmsCreateTransform", C.c_void_p, [C.c_void_p, C.c_uint32, C.c_void_p, C.c_uint32, C.c_uint32, C.c_uint32]),
        ("cmsDoTransform", None, [C.c_void_p, C.c_void_p, C.c_void_p, C.c_uint32]),
        ("cmsCreateProfilePlaceholder", C.c_void_p, [C.c_void_p]),
        ("cmsSetProfileVersion", None, [C.c_void_p, C.c_double]),
        ("cmsSetDeviceClass", None, [C.c_void_p, C.c_uint32]),
        ("cmsSetColorSpace", None, [C.c_void_p, C.c_uint32]),
        ("cmsSetPCS", None, [C.c_void_p, C.c_uint32]),
        ("cmsPipelineAlloc", C.c_void_p, [C.c_void_p, C.c_uint32, C.c_uint32]),
        ("cmsPipelineInsertStage", C.c_int, [C.c_void_p, C.c_int, C.c_void_p]),
        ("cmsStageAllocToneCurves", C.c_void_p, [C.c_void_p, C.c_uint32, C.c_void_p]),
        ("cmsStageAllocCLut16bit", C.c_void_p, [C.c_void_p, C.c_uint32, C.c_uint32, C.c_uint32, C.c_void_p]),
        ("cmsWriteTag", C.c_int, [C.c_void_p, C.c_uint32, C.c_void_p]),
        ("cmsD50_XYZ", C.c_void_p, []),
        ("cmsSaveProfileToFile", C.c_int, [C.c_void_p, C.c_char_p])]:
    function = getattr(lcms, name)
    function.restype, function.argtypes = result, args
SAMPLER = C.CFUNCTYPE(C.c_int, C.POINTER(C.c_uint16), C.POINTER(C.c_uint16), C.c_void_p)
lcms.cmsStageSampleCLut16bit.restype = C.c_int
lcms.cmsStageSampleCLut16bit.argtypes = [C.c_void_p, SAMPLER, C.c_void_p, C.c_uint32]


def signature(text):
    return int.from_bytes(text.encode("ascii"), "big")


def sampled(transform):
    """A pipeline of straight curves, a table of the transform at POINTS levels a channel, straight curves."""
    def sample(inputs, outputs, _):
        lcms.cmsDoTransform(transform, inputs, outputs, 1)
        return 1
    sampler = SAMPLER(sample)
    table = lcms.cmsStageAllocCLut16bit(None, POINTS, 3, 3, None)
    if not lcms.cmsStageSampleCLut16bit(table, sampler, None, 0):
        sys.exit("could not sample the conversion")
    pipeline = lcms.cmsPipelineAlloc(None, 3, 3)
    for stage in (lcms.cmsStageAllocToneCurves(None, 3, None), table, lcms.cmsStageAllocToneCurves(None, 3, None)):
        lcms.cmsPipelineInsertStage(pipeline, AT_END, stage)
    return pipeline


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    version = float(sys.argv[3]) if len(sys.argv) == 4 else 4.3
    source = lcms.cmsOpenProfileFromFile(sys.argv[1].encode(), b"r")
    lab = lcms.cmsCreateLab4Profile(None) if version >= 4 else lcms.cmsCreateLab2Profile(None)
    to_lab = lcms.cmsCreateTransform(source, TYPE_RGB_16, lab, TYPE_LAB_16, RELATIVE_COLORIMETRIC, 0)
    from_lab = lcms.cmsCreateTransform(lab, TYPE_LAB_16, source, TYPE_RGB_16, RELATIVE_COLORIMETRIC, 0)
    if not source or not to_lab or not from_lab:
        sys.exit(f"not an RGB profile LittleCMS can use: {sys.argv[1]}")
    out = lcms.cmsCreateProfilePlaceholder(None)
    lcms.cmsSetProfileVersion(out, version)
    lcms.cmsSetDeviceClass(out, signature("mntr"))
    lcms.cmsSetColorSpace(out, signature("RGB "))
    lcms.cmsSetPCS(out, signature("Lab "))
    # Both directions: TwelveMonkeys' readers ignore a profile that cannot convert sRGB's colours back.
    ok = (lcms.cmsWriteTag(out, signature("A2B0"), sampled(to_lab))
          and lcms.cmsWriteTag(out, signature("B2A0"), sampled(from_lab))
          and lcms.cmsWriteTag(out, signature("wtpt"), lcms.cmsD50_XYZ())
          and lcms.cmsSaveProfileToFile(out, sys.argv[2].encode()))
    if not ok:
        sys.exit(f"could not write {sys.argv[2]}")


if __name__ == "__main__":
    main()
