#!/usr/bin/env python3
"""Writes the committed seed corpus of the fuzz targets (fuzz/corpus/<target>/).

Usage: fuzz/make_corpus.py WIJKMATCH_EXE

Seeds are small on purpose (a few kB): a subset of examples/data/neighbourhood.json that stays
valid, small generated models (JSON and .wjm, format v1.1), a format v1 .wjm (tests/data), the default policy and variants, small DIMACS
networks (hand-made and exported by `wijkmatch allocate`), and hand-made edge cases of each
format. Deterministic: running it again rewrites the same files.
"""
import json
import pathlib
import subprocess
import sys
import tempfile

root = pathlib.Path(__file__).resolve().parent.parent
corpus = root / "fuzz" / "corpus"


def put(target, name, data):
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data.encode() if isinstance(data, str) else data)


def example_subset(households):
    """The example neighbourhood cut down to its first households, with every reference kept valid."""
    doc = json.loads((root / "examples/data/neighbourhood.json").read_text())
    keep_h = {h["key"] for h in doc["households"][:households]}
    residents = [r for r in doc["residents"] if r["household"] in keep_h]
    keep_r = {r["key"] for r in residents}
    offers = doc["offers"][:3]
    keep_o = {o["key"] for o in offers}
    for r in residents:
        r["attends"] = [o for o in r["attends"] if o in keep_o]
    # Format v1.1: organisers and volunteers who live elsewhere leave the subset's offers.
    offers = json.loads(json.dumps(offers))
    for o in offers:
        if "organiser" in o and "residents" in o["organiser"]:
            o["organiser"]["residents"] = [k for k in o["organiser"]["residents"] if k in keep_r]
        if "volunteers" in o:
            o["volunteers"] = [v for v in o["volunteers"] if v["resident"] in keep_r]
    out = {k: v for k, v in doc.items() if not isinstance(v, list) and k != "$schema"}
    out["households"] = [h for h in doc["households"] if h["key"] in keep_h]
    out["offers"] = offers
    out["residents"] = residents
    out["ties"] = [t for t in doc["ties"] if t["helper"] in keep_r and t["helped"] in keep_r]
    out["needs"] = [n for n in doc["needs"] if n["resident"] in keep_r]
    out["professionals"] = doc["professionals"][:1]
    return out


def main():
    exe = sys.argv[1]
    # Model, JSON.
    put("model_json", "example_subset_2.json", json.dumps(example_subset(2), indent=1))
    put("model_json", "example_subset_4.json", json.dumps(example_subset(4), separators=(",", ":")))
    put("model_json", "empty_model.json",
        '{"format": "wijkmatch-neighbourhood", "format_version": 1, "households": [], "offers": [],'
        ' "residents": [], "ties": [], "needs": [], "professionals": []}')
    edge = {
        "empty.json": "",
        "object.json": "{}",
        "array.json": "[]",
        "version_only.json": '{"format_version": 1}',
        "duplicate_member.json": '{"format_version": 1, "format_version": 1}',
        "overflow_number.json": '{"format_version": 1e999, "households": [1e400, "x"]}',
        "deep.json": "[" * 40 + "]" * 40,
        "bad_utf8.json": b'{"format_version": 1, "households": [{"key": "\xc3\x28"}]}',
        "truncated.json": '{"format": "wijkmatch-neighbourhood", "households": [{"key": "H1", "neigh',
    }
    for name, data in edge.items():
        put("model_json", name, data)
    with tempfile.TemporaryDirectory() as tmp:
        for seed, residents in ((1, 5), (2, 12)):
            for ext, target in (("json", "model_json"), ("wjm", "model_binary")):
                out = pathlib.Path(tmp) / f"generated_{residents}_{seed}.{ext}"
                subprocess.run([exe, "generate", "--residents", str(residents), "--seed", str(seed),
                                "--offers-per-1000", "100", "--professionals-per-10000", "1000",
                                "--needs-per-100", "30", str(out)], check=True, capture_output=True)
                data = out.read_bytes()
                if ext == "json":  # one line: the same model in about half the bytes
                    data = json.dumps(json.loads(data), separators=(",", ":")).encode()
                put(target, out.name, data)
        # An allocation-shaped network, as allocate exports it.
        model = pathlib.Path(tmp) / "alloc.json"
        subprocess.run([exe, "generate", "--residents", "12", "--seed", "3", "--offers-per-1000", "100",
                        "--needs-per-100", "40", str(model)], check=True, capture_output=True)
        net = pathlib.Path(tmp) / "alloc.dimacs"
        subprocess.run([exe, "allocate", str(model), "--export-dimacs", str(net)], check=True, capture_output=True)
        put("dimacs", "allocation_export.dimacs", net.read_bytes())
    # Model, binary version 1 (format v1), as the last build before format v1.1 wrote it.
    put("model_binary", "v1_generated_40_5.wjm", (root / "tests/data/generated-40-5-v1.wjm").read_bytes())
    # Model, binary: damaged forms of a generated file.
    wjm = (corpus / "model_binary" / "generated_5_1.wjm").read_bytes()
    put("model_binary", "empty.wjm", b"")
    put("model_binary", "magic_only.wjm", wjm[:8])
    put("model_binary", "header_only.wjm", wjm[:40])
    put("model_binary", "truncated.wjm", wjm[: len(wjm) // 2])
    # Policy.
    default = json.loads((root / "schema/policy-default.json").read_text())
    put("policy", "default.json", json.dumps(default, indent=2))
    variant = dict(default, ladder=list(reversed(default["ladder"])), acceptable_score=0.0,
                   exceptions=default["exceptions"][:1],
                   overrides=[{"need": "N001", "level": "specialist", "reason": "unsafe_in_group"}])
    put("policy", "variant.json", json.dumps(variant))
    for name, data in {"empty.json": "", "object.json": "{}", "array.json": "[1]",
                       "bad_ladder.json": '{"format": "wijkmatch-policy", "format_version": 1,'
                                          ' "ladder": ["collective", "collective"], "weights": {"fit": -1}}',
                       "unknown_member.json": '{"format": "wijkmatch-policy", "format_version": 2, "x": null}'}.items():
        put("policy", name, data)
    # DIMACS.
    dimacs = {
        "transport.dimacs": "c two sources, two sinks\np min 4 4\nn 1 3\nn 2 2\nn 3 -4\nn 4 -1\n"
                            "a 1 3 0 3 2\na 1 4 0 2 5\na 2 3 0 2 1\na 2 4 0 1 1\n",
        "lower_bounds.dimacs": "p min 3 3\nn 1 4\nn 3 -4\na 1 2 1 4 3\na 2 3 2 4 -1\na 1 3 0 1 7\n",
        "negative_cycle.dimacs": "p min 3 4\na 1 2 0 5 -2\na 2 3 0 5 -2\na 3 1 0 5 -2\na 1 1 0 3 -1\n",
        "parallel_and_loops.dimacs": "p min 2 4\nn 1 2\nn 2 -2\na 1 2 0 1 1\na 1 2 0 1 1\na 1 2 2 2 0\na 2 2 1 1 4\n",
        "infeasible.dimacs": "p min 2 1\nn 1 5\nn 2 -5\na 1 2 0 4 1\n",
        "unbalanced.dimacs": "p min 2 1\nn 1 5\nn 2 -4\na 1 2 0 9 1\n",
        "empty_network.dimacs": "p min 0 0\n",
        "isolated.dimacs": "c blank lines and comments\n\np min 5 1\n\nc between\na 2 3 0 1 -1\n",
        "huge_numbers.dimacs": "p min 2 2\nn 1 1125899906842624\nn 2 -1125899906842624\n"
                               "a 1 2 0 1125899906842624 1125899906842624\na 2 1 0 1125899906842624 -1125899906842624\n",
        "bad_line.dimacs": "p min 2 1\nx 1 2\n",
        "too_many_arcs.dimacs": "p min 2 1\na 1 2 0 1 1\na 2 1 0 1 1\n",
        "out_of_range.dimacs": "p min 2 1\na 1 3 0 1 99999999999999999999\n",
        "crlf_tabs.dimacs": "p\tmin 2 1\r\nn 1 1\r\nn 2 -1\r\na 1\t2 0 1 1\r\n",
    }
    for name, data in dimacs.items():
        put("dimacs", name, data)


if __name__ == "__main__":
    main()
