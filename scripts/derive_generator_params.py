#!/usr/bin/python3
"""Derives the synthetic generator's parameters from the real CBS figures in ../shared/data.

Run once, by hand, from the repository root:

    /usr/bin/python3 scripts/derive_generator_params.py [../shared/data] > /tmp/params.txt

It prints C++ constant definitions; their numbers are committed in src/generate_tables.hpp (the
generator never reads ../shared at run time) and every figure and assumption is explained in
docs/generator.md. Only the standard library is used, so the result is reproducible anywhere.

Sources (CBS StatLine, CC BY 4.0, attribution: CBS):
  cbs/kwb2019_amsterdam_84583NED_full.csv, cbs/kwb2019_denhaag_84583NED_full.csv
      Kerncijfers wijken en buurten 2019 (84583NED), every neighbourhood of two cities.
  cbs/utrecht_province_buurten_2020_features.csv  969 neighbourhoods of Utrecht province (KWB 2020).
  cbs/nl_buurt_2014_labelpoints.csv, cbs/nl_wijk_2014_labelpoints.csv
      codes and WGS84 label points of all 12,005 neighbourhoods and 2,746 districts (2014).
  offers/amsterdam_armoede_aanbod.json  209 real Amsterdam provisions (for the mix of kinds).
"""
import collections
import csv
import json
import math
import os
import sys

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data")
CBS = os.path.join(DATA, "cbs")

# National totals the generator is scaled to (domain README, CBS): 2019.
NL_RESIDENTS = 17_900_000
NL_MUNICIPALITIES = 342
NL_WMO_CLIENTS = 1_100_000


def num(text):
    text = (text or "").strip()
    if text in ("", "."):
        return None
    return float(text)


def read_kwb(name):
    with open(os.path.join(CBS, name), encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    for r in rows:
        for k in list(r):
            r[k] = r[k].strip() if isinstance(r[k], str) else r[k]
    return rows


def quantile(sorted_values, q):
    """Linear interpolation between order statistics (type 7)."""
    if not sorted_values:
        raise ValueError("no values")
    pos = q * (len(sorted_values) - 1)
    lo = int(math.floor(pos))
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def wgs84_to_rd(lat, lon):
    """Approximate WGS84 -> RD New (EPSG:28992), Schreutelkamp & Strang van Hees (2001), ~1 m."""
    dphi = 0.36 * (lat - 52.15517440)
    dlam = 0.36 * (lon - 5.38720621)
    x = (155000 + 190094.945 * dlam - 11832.228 * dphi * dlam - 114.221 * dphi ** 2 * dlam
         - 32.391 * dlam ** 3 - 0.705 * dphi - 2.340 * dphi ** 3 * dlam - 0.608 * dphi * dlam ** 3
         - 0.008 * dlam ** 2 + 0.148 * dphi ** 2 * dlam ** 3)
    y = (463000 + 309056.544 * dphi + 3638.893 * dlam ** 2 + 73.077 * dphi ** 2
         - 157.984 * dphi * dlam ** 2 + 59.788 * dphi ** 3 + 0.433 * dlam - 6.439 * dphi ** 2 * dlam ** 2
         - 0.032 * dphi * dlam + 0.092 * dlam ** 4 - 0.054 * dphi * dlam ** 4)
    return x, y


def cpp_array(name, ctype, values, fmt="{:.6g}", per_line=8):
    lines = []
    for i in range(0, len(values), per_line):
        lines.append("    " + ", ".join(fmt.format(v) for v in values[i:i + per_line]) + ",")
    return f"constexpr std::array<{ctype}, {len(values)}> {name}{{{{\n" + "\n".join(lines) + "\n}};"


out = []
report = []

# ---------------------------------------------------------------- KWB 2019, two cities
kwb = read_kwb("kwb2019_amsterdam_84583NED_full.csv") + read_kwb("kwb2019_denhaag_84583NED_full.csv")
cities = [r for r in kwb if r["SoortRegio_2"] == "Gemeente"]
buurten = [r for r in kwb if r["SoortRegio_2"] == "Buurt"]

for c in cities:
    report.append(f"{c['Gemeentenaam_1']}: residents {c['AantalInwoners_5']}, Wmo clients {c['WmoClienten_89']}, "
                  f"youth care {c['JongerenMetJeugdzorgInNatura_87']}, land {c['OppervlakteLand_111']} ha")

wmo_total = sum(num(c["WmoClienten_89"]) for c in cities)
youth_total = sum(num(c["JongerenMetJeugdzorgInNatura_87"]) for c in cities)
res_total = sum(num(c["AantalInwoners_5"]) for c in cities)
youth_share_of_clients = youth_total / (wmo_total + youth_total)
clients_per_100_cities = 100 * (wmo_total + youth_total) / res_total
clients_per_100_nl = 100 * NL_WMO_CLIENTS * (1 + youth_total / wmo_total) / NL_RESIDENTS
report.append(f"youth-care share of (Wmo + youth-care) clients: {youth_share_of_clients:.4f}")
report.append(f"clients per 100 residents, two cities: {clients_per_100_cities:.2f}; "
              f"NL (1.1 M Wmo x the cities' youth/Wmo ratio): {clients_per_100_nl:.2f}")

# Neighbourhood profiles: deciles of neighbourhoods ordered by Wmo clients per 1000 residents,
# population weighted. Only neighbourhoods with >= 200 residents and published Wmo figures.
FIELDS = ["AantalInwoners_5", "k_0Tot15Jaar_8", "k_15Tot25Jaar_9", "k_25Tot45Jaar_10", "k_45Tot65Jaar_11",
          "k_65JaarOfOuder_12", "HuishoudensTotaal_28", "Eenpersoonshuishoudens_29",
          "HuishoudensZonderKinderen_30", "HuishoudensMetKinderen_31", "WmoClienten_89",
          "JongerenMetJeugdzorgInNatura_87", "OppervlakteLand_111", "NietWestersTotaal_18", "WestersTotaal_17",
          "Marokko_19", "Turkije_22", "Suriname_21", "NederlandseAntillenEnAruba_20", "OverigNietWesters_23"]
usable = []
for r in buurten:
    vals = {k: num(r[k]) for k in FIELDS}
    if vals["AantalInwoners_5"] is None or vals["AantalInwoners_5"] < 200:
        continue
    if vals["WmoClienten_89"] is None or vals["HuishoudensTotaal_28"] in (None, 0):
        continue
    if any(vals[k] is None for k in FIELDS[:10] + ["OppervlakteLand_111"]):
        continue
    for k in ("JongerenMetJeugdzorgInNatura_87", "NietWestersTotaal_18", "WestersTotaal_17", "Marokko_19",
              "Turkije_22", "Suriname_21", "NederlandseAntillenEnAruba_20", "OverigNietWesters_23"):
        vals[k] = vals[k] or 0.0
    vals["wmo_rate"] = vals["WmoClienten_89"] / vals["AantalInwoners_5"]
    usable.append(vals)
usable.sort(key=lambda v: v["wmo_rate"])
report.append(f"neighbourhoods used for profiles: {len(usable)} of {len(buurten)}")

DECILES = 10
SINGLE_PARENT_SHARE = 0.25  # assumption (docs/generator.md A3)
OVER_80_SHARE_OF_65_PLUS = 0.24  # assumption (docs/generator.md A2)
profiles = []
for d in range(DECILES):
    part = usable[d * len(usable) // DECILES:(d + 1) * len(usable) // DECILES]
    s = {k: sum(v[k] for v in part) for k in FIELDS}
    P = s["AantalInwoners_5"]
    ages = [s["k_0Tot15Jaar_8"], s["k_15Tot25Jaar_9"], s["k_25Tot45Jaar_10"], s["k_45Tot65Jaar_11"],
            s["k_65JaarOfOuder_12"]]
    P_age = sum(ages)
    H, S, W, K = (s["HuishoudensTotaal_28"], s["Eenpersoonshuishoudens_29"], s["HuishoudensZonderKinderen_30"],
                  s["HuishoudensMetKinderen_31"])
    # Household types: CBS counts single / without children / with children (they sum to H
    # up to rounding). Multi-person households without children are generated as two adults.
    hh_total = S + W + K
    parents = 2 - SINGLE_PARENT_SHARE
    persons_in_k = P_age - S - 2 * W
    kids_per_k = max(1.05, persons_in_k / K - parents)
    # P(k children) ~ rho^(k-1) on k = 1..5 with the mean kids_per_k: solve rho by bisection.
    def mean_k(rho):
        w = [rho ** (k - 1) for k in range(1, 6)]
        return sum(k * x for k, x in zip(range(1, 6), w)) / sum(w)
    lo, hi = 0.0, 5.0
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if mean_k(mid) < kids_per_k else (lo, mid)
    rho = (lo + hi) / 2
    # Ages by role. Children's slots take all 0-14s, then 15-24s; parents come from 25-44 and
    # 45-64 in proportion; everyone left lives alone or as a couple without children.
    kid_slots = K * kids_per_k
    p_kid_0_14 = min(1.0, ages[0] / kid_slots)
    kids_15_24 = kid_slots - min(kid_slots, ages[0])
    parent_slots = K * parents
    p_parent_25_44 = ages[2] / (ages[2] + ages[3])
    left = [max(0.0, ages[1] - kids_15_24), max(0.0, ages[2] - parent_slots * p_parent_25_44),
            max(0.0, ages[3] - parent_slots * (1 - p_parent_25_44)),
            ages[4] * (1 - OVER_80_SHARE_OF_65_PLUS), ages[4] * OVER_80_SHARE_OF_65_PLUS]
    left_total = sum(left)
    migrant = s["NietWestersTotaal_18"] + s["WestersTotaal_17"]
    profiles.append(dict(
        wmo_per_1000=1000 * s["WmoClienten_89"] / P,
        youth_care_per_1000=1000 * s["JongerenMetJeugdzorgInNatura_87"] / P,
        single=S / hh_total, without_children=W / hh_total, with_children=K / hh_total,
        kids_rho=rho, kids_mean=kids_per_k, p_kid_0_14=p_kid_0_14, p_parent_25_44=p_parent_25_44,
        adult_ages=[x / left_total for x in left],
        m2_per_resident=1e4 * s["OppervlakteLand_111"] / P,
        second_language=(s["NietWestersTotaal_18"] - s["Suriname_21"] - s["NederlandseAntillenEnAruba_20"]
                         + 0.5 * s["WestersTotaal_17"]) / P,
        migrant_share=migrant / P,
        age_shares=[a / P_age for a in ages],
    ))

mean_need = sum(p["wmo_per_1000"] + p["youth_care_per_1000"] for p in profiles) / DECILES
out.append("// Neighbourhood profiles: deciles of the neighbourhoods of Amsterdam and Den Haag (KWB 2019)")
out.append("// ordered by Wmo clients per 1000 residents, population weighted.")
out.append("// {wmo_per_1000, youth_care_per_1000, single, without_children, with_children, kids_rho,")
out.append("//  p_kid_0_14, p_parent_25_44, adult ages {15-24, 25-44, 45-64, 65-79, 80+}, m2_per_resident,")
out.append("//  second_language}")
for p in profiles:
    out.append("    {%.1f, %.1f, %.3f, %.3f, %.3f, %.3f, %.3f, %.3f, {%s}, %.0f, %.3f}," % (
        p["wmo_per_1000"], p["youth_care_per_1000"], p["single"], p["without_children"], p["with_children"],
        p["kids_rho"], p["p_kid_0_14"], p["p_parent_25_44"], ", ".join("%.3f" % a for a in p["adult_ages"]),
        p["m2_per_resident"], p["second_language"]))
for i, p in enumerate(profiles):
    report.append("decile %d: Wmo %.1f/1000, youth care %.1f/1000, need multiplier %.2f, ages %s, kids/hh %.2f, "
                  "m2/res %.0f, migrant %.2f" % (i, p["wmo_per_1000"], p["youth_care_per_1000"],
                                                  (p["wmo_per_1000"] + p["youth_care_per_1000"]) / mean_need,
                                                  ["%.3f" % a for a in p["age_shares"]], p["kids_mean"],
                                                  p["m2_per_resident"], p["migrant_share"]))

# Second languages: non-western backgrounds by origin (Surinamese and Antillean backgrounds
# counted as Dutch-speaking), "other non-western" and western spread over common languages.
tot = collections.Counter()
for v in usable:
    tot["ar"] += v["Marokko_19"]
    tot["tr"] += v["Turkije_22"]
    other = v["OverigNietWesters_23"]
    for code, share in (("ar", 0.25), ("so", 0.10), ("ti", 0.10), ("fa", 0.10), ("zh", 0.10), ("en", 0.15),
                        ("es", 0.10), ("pa", 0.10)):
        tot[code] += other * share
    west = 0.5 * v["WestersTotaal_17"]
    for code, share in (("en", 0.35), ("pl", 0.25), ("de", 0.15), ("uk", 0.10), ("es", 0.15)):
        tot[code] += west * share
langs = sorted(tot.items(), key=lambda kv: -kv[1])
lang_total = sum(x for _, x in langs)
out.append("// Second languages (KWB 2019 migration background, two cities; see docs A6).")
out.append("    " + ", ".join('{"%s", %.3f}' % (c, x / lang_total) for c, x in langs))

# ---------------------------------------------------------------- neighbourhood sizes
city_sizes = sorted(v["AantalInwoners_5"] for v in usable)
with open(os.path.join(CBS, "utrecht_province_buurten_2020_features.csv"), encoding="utf-8") as f:
    prov = list(csv.DictReader(f))
town_sizes = sorted(float(r["aantal_inwoners"]) for r in prov
                    if r["gm_naam"] != "Utrecht" and r["aantal_inwoners"] and float(r["aantal_inwoners"]) >= 50)
QS = [0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0]
out.append("// Residents per neighbourhood at quantiles " + ", ".join(str(q) for q in QS))
out.append("// city: Amsterdam + Den Haag (KWB 2019, >= 200 residents); town: Utrecht province without")
out.append("// Utrecht city (KWB 2020, >= 50 residents).")
out.append(cpp_array("city_neighbourhood_size", "double", [quantile(city_sizes, q) for q in QS], "{:.0f}", 13))
out.append(cpp_array("town_neighbourhood_size", "double", [quantile(town_sizes, q) for q in QS], "{:.0f}", 13))
report.append(f"city neighbourhoods: n={len(city_sizes)}, mean {sum(city_sizes) / len(city_sizes):.0f}; "
              f"town neighbourhoods: n={len(town_sizes)}, mean {sum(town_sizes) / len(town_sizes):.0f}")

# ---------------------------------------------------------------- 2014 label points
with open(os.path.join(CBS, "nl_buurt_2014_labelpoints.csv"), encoding="utf-8") as f:
    bu = list(csv.DictReader(f))
with open(os.path.join(CBS, "nl_wijk_2014_labelpoints.csv"), encoding="utf-8") as f:
    wk = list(csv.DictReader(f))
per_wijk = collections.Counter(r["statcode"][2:8] for r in bu)
wijk_counts = sorted(per_wijk.values())
out.append("// Neighbourhoods per district (all 2,746 districts of 2014) at the same quantiles.")
out.append(cpp_array("neighbourhoods_per_district", "double", [quantile(wijk_counts, q) for q in QS], "{:.1f}", 13))
report.append(f"districts: {len(per_wijk)} (file {len(wk)}), neighbourhoods per district mean "
              f"{sum(wijk_counts) / len(wijk_counts):.2f}")

# Municipality sizes. The label points give every 2014 municipality's neighbourhood count n;
# residents ~ a * n^b is fitted on the municipalities whose size we know from the KWB files
# (Den Haag, KWB 2019; Utrecht-province municipalities, KWB 2020 sums, only where the file covers
# at least 90% of the municipality's 2014 neighbourhoods). Amsterdam is left out of the fit: its
# 2014 neighbourhoods were coarse (97 for 863,000 residents) and were renumbered since. The three
# cities of the KWB files then get their known 2019 sizes in place of the estimate.
per_gm = collections.Counter(r["statcode"][2:6] for r in bu)
known = {}
for c in cities:
    known[c["Codering_3"].strip()[2:6]] = num(c["AantalInwoners_5"])
with open(os.path.join(CBS, "kwb2019_utrecht_84583NED_subset.csv"), encoding="utf-8-sig") as f:
    for r in csv.DictReader(f, delimiter=";"):
        if r["SoortRegio_2"].strip() == "Gemeente":
            known[r["Codering_3"].strip()[2:6]] = num(r["AantalInwoners_5"])
prov_gm = collections.defaultdict(lambda: [0.0, 0])
for r in prov:
    g = r["buurt_code"][2:6]
    prov_gm[g][0] += float(r["aantal_inwoners"] or 0)
    prov_gm[g][1] += 1
fit = {g: p for g, p in known.items() if g != "0363"}
for g, (pop, n) in prov_gm.items():
    if g in per_gm and n >= 0.9 * per_gm[g] and g not in fit:
        fit[g] = pop
fit = {g: p for g, p in fit.items() if p and g in per_gm}
xs = [math.log(per_gm[g]) for g in fit]
ys = [math.log(fit[g]) for g in fit]
mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
a = my - b * mx
report.append(f"size fit on {len(fit)} municipalities: residents = {math.exp(a):.0f} * n^{b:.3f}; known sizes used "
              f"for {sorted(known)}")
est = {g: math.exp(a) * n ** b for g, n in per_gm.items()}
for g, pop in known.items():
    est[g] = pop
ranked = sorted(est.items(), key=lambda kv: -kv[1])
N = len(ranked)
mean_est = sum(v for _, v in ranked) / N
report.append(f"municipalities in 2014: {N}; estimated total {sum(est.values()):.0f}; largest share "
              f"{ranked[0][1] / sum(est.values()):.4f}; median {quantile(sorted(est.values()), 0.5):.0f}; "
              f"smallest {ranked[-1][1]:.0f}")
RANKS = [0, 1, 2, 3, 4, 5, 7, 10, 14, 20, 28, 40, 56, 80, 113, 160, 226, 290, 340, 380, N - 1]
out.append("// Municipality size curve: {rank quantile (r + 0.5) / N, residents / mean} of the %d" % N)
out.append("// municipalities of 2014, sizes estimated as %.0f * neighbourhoods^%.3f." % (math.exp(a), b))
out.append("    " + ", ".join("{%.5f, %.4f}" % ((r + 0.5) / N, ranked[r][1] / mean_est) for r in RANKS))

# Municipality centres (RD New, 100 m), in the same size order: the centroid of each
# municipality's neighbourhood label points.
cent = collections.defaultdict(lambda: [0.0, 0.0, 0])
for r in bu:
    x, y = wgs84_to_rd(float(r["lat"]), float(r["lon"]))
    c = cent[r["statcode"][2:6]]
    c[0] += x
    c[1] += y
    c[2] += 1
centres = []
for g, _ in ranked:
    x, y, n = cent[g]
    centres.append((round(x / n / 100), round(y / n / 100)))
out.append("// Municipality centres, hectometres RD New, largest first (%d)." % len(centres))
out.append(cpp_array("municipality_centre_hm", "std::array<std::int16_t, 2>",
                     ["{%d, %d}" % c for c in centres], "{}", 8))
ams = wgs84_to_rd(52.3731, 4.8926)
report.append(f"RD check: Amersfoort {wgs84_to_rd(52.15517440, 5.38720621)}, Dam Amsterdam ({ams[0]:.0f}, {ams[1]:.0f})")

# ---------------------------------------------------------------- kinds of collective offers
with open(os.path.join(DATA, "offers", "amsterdam_armoede_aanbod.json"), encoding="utf-8") as f:
    directory = json.load(f)["dataResult"]
RULES = [  # first match wins; text = name + what it provides, lower case
    ("repair_cafe", ["repair", "karwei", "klus", "fietswerkplaats"]),
    ("eating_club", ["buurtbuik", "maaltijd", "mee eten", "resto", "ontbijt", "kook", "koken"]),
    ("parenting_meetings", ["opvoed", "gezinnen", "buurtgezin", "gezinscoach"]),
    ("debt_course", ["schuld", "grip op je geld", "geld maatje", "financi"]),
    ("paperwork_help", ["administratie", "voorziening", "brief", "raadsman", "raadslid", "spreekuur",
                        "juridisch", "recht"]),
    ("language_cafe", ["taal", "voorlees"]),
    ("homework_club", ["huiswerk", "school", "reken", "kinderactiviteit", "naschools", "kinderclub", "computer"]),
    ("job_club", ["werk", "talent", "sollicitatie", "stage", "carri", "participatie", "integratie", "training"]),
    ("womens_group", ["vrouw"]),
    ("sports_buddies", ["sport", "zumba", "dans", "zwem", "gym", "voetbal", "fiets"]),
    ("walking_group", ["wandel"]),
    ("peer_group", ["verslaafd", "lotgeno", "conflict", "mantelzorg"]),
    ("coffee_morning", ["koffie", "huis van de wijk", "buurthuis", "buurtactiviteit", "ontmoeting", "huisbezoek"]),
]
EXCLUDE = ["toeslag", "lening", "korting", "vergoed", "budget", "bijstand", "kwijtschelding", "gratis id",
           "verzekering", "voedselbank", "kapper", "bonnen", "weggeef", "speelgoed", "dierenarts", "stadspas",
           "openbaar vervoer", "laptop", "witgoed", "kleding", "bijdrage", "aanvulling", "theater", "vakantie"]
counts = collections.Counter()
unmatched = 0
for entry in directory:
    text = (entry.get("naam", "") + " " + entry.get("levert", "")).lower()
    if any(x in text for x in EXCLUDE):
        continue
    for kind, words in RULES:
        if any(w in text for w in words):
            counts[kind] += 1
            break
    else:
        unmatched += 1
report.append(f"offer directory: {len(directory)} entries, matched {sum(counts.values())}, unmatched {unmatched}")
KINDS = ["start_meeting", "eating_club", "coffee_morning", "parenting_meetings", "debt_course", "bath_house",
         "peer_group", "sports_buddies", "language_cafe", "walking_group", "homework_club", "paperwork_help",
         "job_club", "womens_group", "repair_cafe"]
out.append("// Weights of the collective kinds (Amsterdam directory matches; 1 where none matched).")
out.append("    " + ", ".join('{"%s", %d}' % (k, max(1, counts[k])) for k in KINDS))

# ---------------------------------------------------------------- headline numbers
out.append("// Clients per 100 residents (Wmo + youth care), NL estimate: %.2f; youth-care share %.3f" % (
    clients_per_100_nl, youth_share_of_clients))

print("\n".join(out))
print()
print("\n".join("# " + line for line in report))
