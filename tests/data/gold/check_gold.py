"""Check every gold-*.json in this folder: schema, word/paragraph counts, mentions verbatim, event references.

Run: python tests/data/gold/check_gold.py   (exit status 1 on any problem)
"""

import glob
import json
import os
import re
import sys
import unicodedata


def slug(s):
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def _occ(m, body):
    return [x.start() for x in re.finditer(r"(?<![\w])" + re.escape(m) + r"(?![\w])", body)]


def _present(m, body, art):
    longer = [mm for e in art["entities"] for mm in e["mentions"] if m in mm and mm != m]
    covered = set()
    for longer_mention in longer:
        for s in _occ(longer_mention, body):
            covered.update(range(s, s + len(longer_mention)))
    return any(s not in covered for s in _occ(m, body))


CODES = set(
    [
        "010",
        "011",
        "012",
        "013",
        "014",
        "015",
        "016",
        "017",
        "018",
        "019",
        "020",
        "021",
        "023",
        "024",
        "030",
        "031",
        "033",
        "035",
        "036",
        "040",
        "041",
        "042",
        "043",
        "044",
        "045",
        "046",
        "050",
        "051",
        "052",
        "053",
        "054",
        "055",
        "056",
        "057",
        "060",
        "061",
        "062",
        "063",
        "064",
        "070",
        "071",
        "072",
        "073",
        "074",
        "075",
        "080",
        "081",
        "083",
        "084",
        "085",
        "086",
        "087",
        "090",
        "100",
        "101",
        "102",
        "103",
        "104",
        "105",
        "106",
        "110",
        "111",
        "112",
        "113",
        "114",
        "115",
        "116",
        "120",
        "121",
        "122",
        "123",
        "124",
        "125",
        "128",
        "129",
        "130",
        "131",
        "138",
        "139",
        "140",
        "141",
        "142",
        "143",
        "144",
        "145",
        "150",
        "151",
        "152",
        "153",
        "154",
        "160",
        "161",
        "162",
        "163",
        "164",
        "166",
        "170",
        "171",
        "172",
        "173",
        "174",
        "175",
        "180",
        "181",
        "182",
        "183",
        "186",
        "190",
        "191",
        "192",
        "193",
        "194",
        "195",
        "196",
        "200",
        "201",
        "202",
        "203",
        "204",
    ]
)
MODS = {"asserted", "future", "reported", "hypothetical"}


def validate(d):
    errs = []
    b = d["body"]
    w = len(b.split())
    paras = b.split("\n\n")
    if not 150 <= w <= 500:
        errs.append(f"words {w}")
    if not 4 <= len(paras) <= 10:
        errs.append(f"paras {len(paras)}")
    ids = [e["id"] for e in d["entities"]]
    if len(ids) != len(set(ids)):
        errs.append("dup entity ids")
    seen = {}
    for e in d["entities"]:
        if e["type"] == "PERSON" and e["id"] != "person:" + slug(e["name"]):
            errs.append("person slug " + e["id"])
        if e["type"] not in ("PERSON", "ORG", "GPE", "LOC"):
            errs.append("type " + e["id"])
        if not e["mentions"]:
            errs.append("no mentions " + e["id"])
        for m in e["mentions"]:
            if m in seen:
                errs.append(f"mention {m!r} in {seen[m]} and {e['id']}")
            seen[m] = e["id"]
            if m not in b:
                errs.append(f"missing {m!r} ({e['id']})")
            elif not _present(m, b, d):
                errs.append(f"only nested/no word-boundary {m!r} ({e['id']})")
    if not 2 <= len(d["events"]) <= 8:
        errs.append(f"events {len(d['events'])}")
    for v in d["events"]:
        if v["code"] not in CODES:
            errs.append("code " + v["code"])
        if v["modality"] not in MODS:
            errs.append("mod")
        s = v["sentence_contains"]
        if b.count(s) != 1:
            errs.append(f"sentence_contains count {b.count(s)} {s!r}")
        else:
            para = next(p for p in paras if s in p)
            if v["trigger"] not in para:
                errs.append(f"trigger {v['trigger']!r} not near {s!r}")
        if not v["actors"]:
            errs.append("no actor " + s)
        for a in v["actors"] + v["targets"]:
            if a not in ids:
                errs.append("unknown " + a)
    return errs


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    arts = {}
    for p in sorted(glob.glob(os.path.join(here, "gold-*.json"))):
        with open(p) as f:
            arts[os.path.basename(p)[:-5]] = json.load(f)
    bad = 0
    for gid, d in arts.items():
        errs = validate(d)
        if d["id"] != gid:
            errs.append("id/file name mismatch")
        if d["split"] != ("test" if 31 <= int(gid[5:]) <= 40 else "dev"):
            errs.append("split")
        if d.get("syndicated_from") and d["syndicated_from"] not in arts:
            errs.append("syndicated_from unknown")
        if errs:
            bad += 1
            print(gid, errs)
    print(f"{len(arts)} articles, {bad} with problems")
    sys.exit(1 if bad else 0)
