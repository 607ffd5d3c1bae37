#!/usr/bin/env python3
"""summary.md from a bench/run results file: tables per phase, RadLoop's ratios to the reference
peers measured in the same run, and whether each target of issues 2, 3 and 4 is met.

Usage: summarize.py RESULTS_FILE [MACHINE_FILE]
"""
import sys

results = []
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) > 1 and p[0] in ("RESULT", "LOAD", "SYNC"):
        results.append((p[0], p[1] if p[0] == "RESULT" else p[0].lower(),
                        dict(x.split("=", 1) for x in p[1:] if "=" in x)))


def rows(kind, **match):
    return [kv for k, s, kv in results if k == "RESULT" and s == kind
            and all(kv.get(a) == b for a, b in match.items())]


def num(kv, key):
    try:
        return float(kv[key])
    except (KeyError, ValueError, TypeError):
        return None


def ratio(a, b):
    return "na" if a is None or not b else "%.2f" % (a / b)


def verdict(r, target):
    return "na" if r == "na" else ("met" if float(r) >= target else "MISSED")


print("# RadLoop benchmark summary\n")
if len(sys.argv) > 2:
    print("```")
    print(open(sys.argv[2]).read().rstrip())
    print("```\n")
loads = [kv for k, s, kv in results if k == "LOAD"]
if loads:
    print("Load average (1, 5, 15 min) at each phase: "
          + "; ".join("%s %s" % (kv.get("phase"), kv.get("loadavg", "").replace(",", " ")) for kv in loads) + "\n")

sync = [kv for k, s, kv in results if k == "SYNC"]
if sync:
    kv = sync[0]
    print("Journal flush delay given to RadLoop's broker and to camel-artemis-tuned: %.3f ms (%s).\n" % (
        int(kv["o_dsync_4k_write_ns"]) / 1e6,
        "set by SYNC_NS" if kv.get("source") == "SYNC_NS" else
        "fastest of five passes of 200 O_DSYNC 4 KiB writes: " + ", ".join(
            "%.3f" % (int(x) / 1e6) for x in kv.get("passes_ns", "").split(",") if x) + " ms"))

hl7 = rows("hl7")
if hl7:
    print("## HL7 ORM^O01 over MLLP (closed loop; median of interleaved rounds)\n")
    print("| target | connections | runs | msgs/s | min / max | p50 ms | p99 ms | server CPU ms/msg |")
    print("|---|---|---|---|---|---|---|---|")
    for kv in sorted(hl7, key=lambda kv: (not kv["target"].startswith("radloop"), kv["target"], int(kv["conns"]))):
        print("| %s | %s | %s | %s | %s / %s | %s | %s | %s |" % (
            kv["target"], kv["conns"], kv.get("runs"), kv.get("msgs_per_s", "FAILED"), kv.get("msgs_per_s_min", "-"),
            kv.get("msgs_per_s_max", "-"), kv.get("p50_ms", "-"), kv.get("p99_ms", "-"), kv.get("server_cpu_ms_per_msg", "-")))
    print()
    for store, target in (("embedded H2", "radloop"), ("PostgreSQL", "radloop-pg")):
        for c in sorted({kv["conns"] for kv in hl7}, key=int):
            me = rows("hl7", target=target, conns=c)
            ref = rows("hl7", target="camel-artemis-tuned", conns=c)
            if me and ref:
                r = ratio(num(me[0], "msgs_per_s"), num(ref[0], "msgs_per_s"))
                print("- %s connection(s), RadLoop on %s: RadLoop / camel-artemis-tuned = **%s** (target >= 0.8: %s)" % (
                    c, store, r, verdict(r, 0.8)))
    print()

dicom = rows("dicom")
if dicom:
    print("## DICOM C-STORE, %s-slice CT series by storescu (median of interleaved rounds)\n" % dicom[0].get("n", "?"))
    print("| target | mode | associations | runs | images/s | min / max | MiB/s | images/s incl. sync | receiver CPU ms/image |")
    print("|---|---|---|---|---|---|---|---|---|")
    order = ["radloop", "dcmtk-single", "orthanc", "pixelmed"]
    for kv in sorted(dicom, key=lambda kv: (order.index(kv["target"]) if kv["target"] in order else 9, kv["mode"])):
        print("| %s | %s | %s | %s | %s | %s / %s | %s | %s | %s |" % (
            kv["target"], kv["mode"], kv["k"], kv.get("runs"), kv.get("images_per_s", "FAILED"), kv.get("images_per_s_min", "-"),
            kv.get("images_per_s_max", "-"), kv.get("mb_per_s", "-"), kv.get("images_per_s_incl_sync", "-"),
            kv.get("receiver_cpu_ms_per_image", "-")))
    print()
    for mode in ("single", "parallel"):
        me = rows("dicom", target="radloop", mode=mode)
        if not me:
            continue
        parts = []
        for ref, target in (("dcmtk-single", 1.0), ("orthanc", 1.5), ("pixelmed", 0.8)):
            rr = rows("dicom", target=ref, mode=mode)
            if rr:
                r = ratio(num(me[0], "images_per_s"), num(rr[0], "images_per_s"))
                parts.append("/ %s = **%s** (target >= %.1f: %s)" % (ref, r, target, verdict(r, target)))
        if parts:
            print("- %s: RadLoop %s" % (mode, "; ".join(parts)))
    print()

mem = rows("memory")
if mem:
    print("## Memory\n")
    for kv in mem:
        if kv.get("test") == "large-instance":
            print("- One %.0f MiB multi-frame instance into an engine with -Xmx%s: %s indexed, %s stored file(s), "
                  "%s s (%s MiB/s); live heap before %s MiB, highest heap after GC during the transfer %s MiB "
                  "(%s GCs), live heap after %s MiB: growth **%s MiB** (limit 256): **%s**. Peak used heap including "
                  "garbage not yet collected: %s MiB." % (
                      int(kv["bytes"]) / 1048576, kv["heap_max"], kv["indexed"], kv["stored_files"], kv["seconds"][:6],
                      kv["mb_per_s"], kv["heap_live_before_mb"], kv["heap_max_after_gc_mb"], kv["gcs_during"],
                      kv["heap_live_after_mb"], kv["heap_growth_mb"], kv["status"], kv["heap_peak_used_incl_garbage_mb"]))
        elif kv.get("test") == "concurrent-series":
            print("- %s concurrent %s-slice series (one association each) into the engine with -Xmx%s: %s of %s stored and "
                  "indexed in %s s (%s images/s), peak used heap %s MiB: **%s**" % (
                      kv["series"], kv["n"], kv["heap_max"], kv["stored"], kv["expected"], kv["seconds"][:6],
                      kv["images_per_s"], kv["heap_peak_used_mb"], kv["status"]))
    print()

tri = rows("triage")
if tri:
    kv = tri[0]
    print("## Triage latency (study complete -> triage decision, CT head demonstration model)\n")
    print("- %s studies of %s slices (%sx%s): p50 %s ms, p99 **%s ms**, max %s ms; per slice: ONNX Runtime %s ms, "
          "DICOM read %s ms; %s triaged critical. Target p99 < 2000 ms: **%s**" % (
              kv["studies"], kv["slices"], kv["size"], kv["size"], kv["p50_ms"], kv["p99_ms"], kv["max_ms"],
              kv["inference_per_slice_ms"], kv["read_per_slice_ms"], kv["critical"], kv["status"]))
    print()

asg = rows("assignment")
if asg:
    print("## Assignment decision latency (routing stage, AssignmentBenchmark)\n")
    for kv in asg:
        what = "decision only (the choice over the roster, in memory)" if kv["kind"] == "decision" else \
            "with the store (board read, case needs and decision in one read-only H2 transaction)"
        print("- %s radiologists, %s open cases, %s: p50 %s ms, p99 **%s ms**, max %s ms; thread CPU p50 %s ms, "
              "p99 %s ms. Target p99 < 20 ms: **%s**" % (kv["readers"], kv["cases"], what, kv["p50_ms"], kv["p99_ms"],
                                                       kv["max_ms"], kv["cpu_p50_ms"], kv["cpu_p99_ms"], kv["status"]))
    print()
