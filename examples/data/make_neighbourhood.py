#!/usr/bin/env python3
"""Writes examples/data/neighbourhood.json: the bundled example neighbourhood.

Three neighbourhoods of Utrecht Overvecht (district WK034403 of GM0344) with the real CBS
codes; everything about the residents is invented and pseudonymous. The offers are the kinds
that practice names (eating club, coffee morning, parenting meetings, debt course, bath house,
peer group, sports buddies, a start meeting as in "Samen Welkom"). Coordinates are RD New
metres near the CBS label points of each neighbourhood. Format v1.1: four resident initiatives
(one resting on a single, overloaded organiser), organisations and the team as organisers, and
ten residents who offer help to neighbours. Deterministic: run it again and the file is
byte-for-byte the same.
"""
import json
import os
import random

rng = random.Random(20261127)

AREAS = {  # code: (x, y) RD New near the CBS label point
    "BU03440341": (136050, 459290),  # Zambesidreef en omgeving
    "BU03440342": (135570, 459640),  # Tigrisdreef en omgeving
    "BU03440311": (136600, 458150),  # Taag- en Rubicondreef en omgeving
}
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
PARTS = ["morning", "afternoon", "evening"]


def schedule(slots):
    out = {}
    for day, part in slots:
        out.setdefault(day, []).append(part)
    return {d: sorted(p, key=PARTS.index) for d, p in sorted(out.items(), key=lambda kv: DAYS.index(kv[0]))}


def near(area, spread=250):
    x, y = AREAS[area]
    return {"x": float(round(x + rng.uniform(-spread, spread))), "y": float(round(y + rng.uniform(-spread, spread)))}


def offer(key, kind, level, domains, seats, occupancy, area, langs, cost, slots=(), min_group=0,
          ages=(), sev=(1, 5), referral=False, waiting=0):
    return {
        "key": key, "kind": kind, "level": level, "domains": domains, "seats": seats,
        "occupancy": occupancy, "min_group_size": min_group, "schedule": schedule(slots),
        "location": near(area, 60), "neighbourhood": area, "languages": list(langs),
        "cost_per_month": cost,
        "eligibility": {"age_bands": list(ages), "severity_min": sev[0], "severity_max": sev[1],
                        "referral_required": referral},
        "waiting_days": waiting,
    }


Z, T, R = "BU03440341", "BU03440342", "BU03440311"
offers = [
    offer("start-samen-welkom", "start_meeting", "collective",
          {d: 0.3 for d in ["finances", "work_education", "time_use", "social_network", "social_participation",
                            "parenting", "instrumental_adl"]}, 30, 12, Z, ["nl", "ar", "tr"], 0.0,
          [("mon", "afternoon")]),
    offer("eetclub-zambesi", "eating_club", "collective",
          {"social_network": 0.9, "time_use": 0.6, "physical_health": 0.3}, 24, 17, Z, ["nl", "ar"], 12.0,
          [("tue", "evening"), ("thu", "evening")], min_group=8),
    offer("koffieochtend-tigris", "coffee_morning", "collective",
          {"social_network": 0.8, "social_participation": 0.6, "time_use": 0.4}, 20, 9, T, ["nl"], 0.0,
          [("wed", "morning")]),
    offer("opvoedgroep-overvecht", "parenting_meetings", "collective",
          {"parenting": 1.0, "domestic_relations": 0.5}, 12, 5, R, ["nl", "ar", "tr"], 0.0,
          [("thu", "morning")], min_group=6, ages=["15-24", "25-44", "45-64"]),
    offer("schuldencursus", "debt_course", "collective",
          {"finances": 1.0, "instrumental_adl": 0.4}, 14, 10, Z, ["nl"], 0.0,
          [("tue", "afternoon")], min_group=6, ages=["15-24", "25-44", "45-64", "65-79"], sev=(2, 5)),
    offer("badhuis-overvecht", "bath_house", "collective",
          {"basic_adl": 1.0, "physical_health": 0.4, "social_network": 0.3}, 10, 8, T, ["nl", "ar", "tr", "en"],
          2.5, [("mon", "morning"), ("wed", "morning"), ("fri", "morning")]),
    offer("lotgenoten-ggz", "peer_group", "collective",
          {"mental_health": 0.9, "social_network": 0.5}, 10, 6, R, ["nl"], 0.0,
          [("wed", "evening")], min_group=4, sev=(2, 5)),
    offer("sportmaatjes", "sports_buddies", "collective",
          {"physical_health": 0.8, "time_use": 0.5, "social_network": 0.5}, 16, 11, T, ["nl", "en"], 5.0,
          [("sat", "morning"), ("thu", "evening")]),
    offer("taalcafe", "language_cafe", "collective",
          {"social_participation": 0.8, "work_education": 0.6}, 20, 14, Z, ["nl", "ar", "tr", "en"], 0.0,
          [("fri", "afternoon")]),
    offer("wandelgroep-senioren", "walking_group", "collective",
          {"physical_health": 0.6, "social_network": 0.7}, 15, 7, R, ["nl"], 0.0,
          [("tue", "morning")], ages=["65-79", "80+"]),
    offer("huiswerkklas", "homework_club", "collective",
          {"work_education": 0.9, "parenting": 0.3}, 18, 15, T, ["nl", "ar"], 0.0,
          [("mon", "afternoon"), ("wed", "afternoon")], ages=["0-14", "15-24"]),
    offer("formulierenbrigade", "paperwork_help", "collective",
          {"finances": 0.8, "instrumental_adl": 0.6}, 25, 19, Z, ["nl", "ar", "tr"], 0.0,
          [("mon", "morning"), ("thu", "afternoon")]),
    offer("werkclub", "job_club", "collective",
          {"work_education": 0.9, "time_use": 0.5, "social_participation": 0.4}, 12, 12, R, ["nl"], 0.0,
          [("tue", "morning")], ages=["15-24", "25-44", "45-64"]),
    offer("repaircafe", "repair_cafe", "collective",
          {"instrumental_adl": 0.5, "social_participation": 0.6, "time_use": 0.4}, 20, 6, T, ["nl", "en"], 0.0,
          [("sat", "afternoon")]),
    offer("vrouwengroep", "womens_group", "collective",
          {"social_network": 0.8, "domestic_relations": 0.4, "social_participation": 0.5}, 15, 10, Z,
          ["nl", "ar", "tr"], 0.0, [("fri", "morning")], ages=["15-24", "25-44", "45-64", "65-79"]),
    offer("wijkteam-kort", "team_short_support", "basic_care",
          {d: 0.6 for d in ["finances", "housing", "domestic_relations", "mental_health", "time_use",
                            "social_network", "parenting", "instrumental_adl"]}, 40, 31, Z,
          ["nl", "ar", "tr", "en"], 150.0, waiting=7),
    offer("huishoudelijke-hulp", "home_help", "individual",
          {"instrumental_adl": 1.0, "basic_adl": 0.5}, 30, 27, Z, ["nl", "tr"], 480.0,
          referral=True, waiting=21, sev=(1, 3)),
    offer("begeleiding-individueel", "individual_coaching", "individual",
          {"mental_health": 0.7, "time_use": 0.6, "finances": 0.5, "social_participation": 0.5}, 20, 18, R,
          ["nl", "ar", "en"], 950.0, referral=True, waiting=28, sev=(1, 3)),
    offer("schuldhulpverlening", "debt_restructuring", "individual",
          {"finances": 1.0}, 25, 22, Z, ["nl", "ar", "tr"], 600.0, referral=True, waiting=35, sev=(1, 3)),
    offer("dagbesteding", "day_care", "individual",
          {"time_use": 0.9, "social_participation": 0.6, "basic_adl": 0.3}, 16, 14, T, ["nl"], 1100.0,
          [("mon", "morning"), ("tue", "morning"), ("wed", "morning"), ("thu", "morning")],
          referral=True, waiting=42, sev=(1, 3)),
    offer("jeugdhulp-ambulant", "youth_support", "individual",
          {"parenting": 1.0, "domestic_relations": 0.6}, 15, 14, R, ["nl", "ar", "tr"], 1300.0,
          referral=True, waiting=30, sev=(1, 3)),
    offer("ggz-specialistisch", "specialist_mental_health", "specialist",
          {"mental_health": 1.0, "substance_use": 0.7}, 12, 12, R, ["nl", "en"], 3500.0,
          referral=True, waiting=70, sev=(1, 3)),
    offer("opvang-beschermd-wonen", "shelter", "specialist",
          {"housing": 1.0, "domestic_relations": 0.8}, 6, 5, T, ["nl", "ar", "en"], 6700.0,
          referral=True, waiting=14, sev=(1, 2)),
]

# Households and residents.
LANG_SETS = [["nl"]] * 6 + [["nl", "ar"], ["ar", "nl"], ["nl", "tr"], ["tr", "nl"], ["nl", "en"], ["pl", "en"]]
households, residents = [], []
areas = [Z] * 32 + [T] * 30 + [R] * 28
for h, area in enumerate(areas, start=1):
    hkey = f"H{h:03d}"
    households.append({"key": hkey, "neighbourhood": area})
    shape = rng.choices(["single_young", "single_old", "couple", "family", "single_parent", "couple_old"],
                        weights=[14, 16, 14, 30, 12, 14])[0]
    bands = {"single_young": ["25-44"], "single_old": [rng.choice(["65-79", "80+"])],
             "couple": ["25-44", "25-44"], "couple_old": ["65-79", rng.choice(["65-79", "80+"])],
             "family": ["25-44", "25-44"] + ["0-14"] * rng.randint(1, 3) + (["15-24"] if rng.random() < .3 else []),
             "single_parent": [rng.choice(["25-44", "45-64"])] + ["0-14"] * rng.randint(1, 2)}[shape]
    langs = rng.choice(LANG_SETS)
    home = near(area)
    for band in bands:
        slots = [(d, p) for d in DAYS for p in PARTS if rng.random() < (0.45 if band in ("65-79", "80+") else 0.3)]
        if band == "0-14":
            slots = [(d, "afternoon") for d in ["mon", "wed", "fri"]]
        residents.append({
            "key": f"R{len(residents) + 1:04d}", "household": hkey, "neighbourhood": area,
            "location": dict(home), "age_band": band, "languages": langs,
            "availability": schedule(slots),
            "max_travel_m": {"80+": 600.0, "65-79": 1200.0, "0-14": 800.0}.get(band, 2500.0),
            "group_averse": rng.random() < 0.08, "care_avoider": False, "attends": [],
        })

by_household = {}
for r in residents:
    by_household.setdefault(r["household"], []).append(r)

# Ties: household care, family across households, neighbours, friends, volunteer buddies.
ties = []
def tie(a, b, kind, strength, domains, hours, used):
    ties.append({"helper": a["key"], "helped": b["key"], "kind": kind, "strength": strength,
                 "domains": domains, "hours_per_week": hours, "hours_used": used})

for members in by_household.values():
    adults = [m for m in members if m["age_band"] != "0-14"]
    for a in adults:
        for b in members:
            if a is not b and (b["age_band"] in ("0-14", "80+") or rng.random() < 0.5):
                tie(a, b, "household", 0.9, ["basic_adl", "instrumental_adl", "social_network"],
                    10.0 if b["age_band"] == "80+" else 6.0, 4.0 if b["age_band"] != "80+" else 9.0)
adults = [r for r in residents if r["age_band"] != "0-14"]
for r in adults:
    same_area = [o for o in adults if o["neighbourhood"] == r["neighbourhood"] and o["household"] != r["household"]]
    if rng.random() < 0.35:
        n = rng.choice(same_area)
        tie(n, r, "neighbour", round(rng.uniform(0.3, 0.7), 2), ["instrumental_adl", "social_network"],
            2.0, float(rng.choice([0, 0, 1])))
    if rng.random() < 0.3:
        f = rng.choice(adults)
        if f["key"] != r["key"]:
            tie(f, r, "friend", round(rng.uniform(0.4, 0.9), 2), ["social_network", "time_use"], 2.0, 0.0)
    if rng.random() < 0.12:
        f = rng.choice([o for o in adults if o["household"] != r["household"]])
        tie(f, r, "family", 0.8, ["finances", "instrumental_adl", "parenting", "social_network"], 4.0, 1.0)
# An overloaded informal carer: one daughter caring for both parents in another household.
carer, parents = adults[5], [r for r in adults if r["age_band"] == "80+"][:2]
for p in parents:
    tie(carer, p, "family", 1.0, ["basic_adl", "instrumental_adl", "physical_health"], 14.0, 12.0)
# A volunteer buddy for a lonely older resident.
olds = [r for r in adults if r["age_band"] in ("65-79", "80+")]
tie(adults[40], olds[3], "volunteer_buddy", 0.6, ["social_network", "time_use"], 3.0, 0.0)
seen, unique_ties = set(), []
for t in ties:
    k = (t["helper"], t["helped"], t["kind"])
    if k not in seen and t["helper"] != t["helped"]:
        seen.add(k)
        unique_ties.append(t)
ties = unique_ties

# Current attendance, consistent with occupancy.
offer_by_key = {o["key"]: o for o in offers}
for o in offers:
    if o["level"] != "collective":
        continue
    eligible = [r for r in residents if r["age_band"] in (o["eligibility"]["age_bands"] or [r["age_band"]])]
    for r in rng.sample(eligible, min(len(eligible), o["occupancy"] // 3)):
        r["attends"].append(o["key"])

# Needs: most life domains and severities, and the situations practice singles out.
NEED_PLAN = [
    ("finances", 2, {}), ("finances", 3, {}), ("finances", 3, {}), ("finances", 2, {"rent_arrears_months": 3}),
    ("finances", 4, {}), ("work_education", 3, {}), ("work_education", 4, {}), ("time_use", 3, {}),
    ("time_use", 4, {}), ("housing", 2, {}), ("housing", 1, {"crisis": True}), ("domestic_relations", 2, {"safety_report": True}),
    ("domestic_relations", 3, {}), ("mental_health", 2, {}), ("mental_health", 3, {}), ("mental_health", 3, {}),
    ("physical_health", 3, {}), ("physical_health", 4, {}), ("substance_use", 2, {}), ("basic_adl", 2, {}),
    ("basic_adl", 3, {}), ("instrumental_adl", 3, {}), ("instrumental_adl", 2, {}), ("social_network", 3, {}),
    ("social_network", 3, {}), ("social_network", 4, {}), ("social_network", 2, {}), ("social_participation", 3, {}),
    ("social_participation", 4, {}), ("justice", 3, {}), ("parenting", 3, {}), ("parenting", 3, {}),
    ("parenting", 2, {}), ("finances", 3, {}), ("time_use", 3, {}), ("social_network", 3, {}),
    ("mental_health", 4, {}), ("physical_health", 2, {}), ("instrumental_adl", 3, {}), ("finances", 1, {"crisis": True, "rent_arrears_months": 5}),
]
needs = []
adults_pool = [r for r in residents if r["age_band"] not in ("0-14",)]
rng.shuffle(adults_pool)
parents_pair = next(m for m in by_household.values() if sum(x["age_band"] == "25-44" for x in m) == 2
                    and any(x["age_band"] == "0-14" for x in m))
used = set()
for i, (domain, severity, flags) in enumerate(NEED_PLAN, start=1):
    if domain == "parenting" and i <= 32:  # the two parents of one family: one group covers both
        r = parents_pair[i - 31]
    else:
        r = next(x for x in adults_pool if x["key"] not in used and x not in parents_pair)
    used.add(r["key"])
    if domain in ("basic_adl", "instrumental_adl") and severity <= 3:
        r["age_band"] = rng.choice(["65-79", "80+"]) if r["age_band"] not in ("65-79", "80+") else r["age_band"]
    needs.append({"key": f"N{i:03d}", "resident": r["key"], "domain": domain, "severity": severity,
                  "crisis": flags.get("crisis", False), "safety_report": flags.get("safety_report", False),
                  "rent_arrears_months": flags.get("rent_arrears_months", 0),
                  "since": f"2026-{rng.randint(6, 11):02d}-{rng.randint(1, 28):02d}",
                  "status": "in_progress" if i % 9 == 0 else "open"})
# A care avoider with a mental-health need, and a group-averse resident with a social one.
avoider = next(r for r in residents if r["key"] == needs[15]["resident"])
avoider["care_avoider"] = True
averse = next(r for r in residents if r["key"] == needs[23]["resident"])
averse["group_averse"] = True

professionals = [
    {"key": "P01", "specialisms": ["finances", "housing", "work_education"], "languages": ["nl", "ar"],
     "work_area": [Z, T], "caseload_cap": 24, "caseload": 21},
    {"key": "P02", "specialisms": ["parenting", "domestic_relations", "mental_health"], "languages": ["nl", "tr"],
     "work_area": [Z, R], "caseload_cap": 22, "caseload": 15},
    {"key": "P03", "specialisms": ["mental_health", "substance_use", "social_network"], "languages": ["nl", "en"],
     "work_area": [T, R], "caseload_cap": 20, "caseload": 19},
    {"key": "P04", "specialisms": ["basic_adl", "instrumental_adl", "physical_health", "time_use"],
     "languages": ["nl", "pl"], "work_area": [Z, T, R], "caseload_cap": 26, "caseload": 17},
]

# Format v1.1: who runs the offers, resident initiatives and their volunteers, and residents who
# offer help to neighbours (Harry Helpt). Drawn from a second random stream, after everything
# else, so that the v1 part of the file is what it was.
rng2 = random.Random(20261128)


def adults_of(area, avoid=()):
    return [r for r in residents if r["neighbourhood"] == area and r["age_band"] in ("15-24", "25-44", "45-64", "65-79")
            and r["key"] not in avoid]


def initiative(key, organisers, volunteers, status, hours_per_seat, budget=None):
    o = offer_by_key[key]
    o["organiser"] = {"kind": "residents", "residents": [r["key"] for r in organisers]}
    o["volunteers"] = [{"resident": r["key"], "hours_per_week": h} for r, h in volunteers]
    o["initiative"] = {"status": status, **({"budget_euro": budget} if budget is not None else {})}
    o["hours_per_seat"] = hours_per_seat


# An eating club run by two neighbours with two more volunteers: 11 hours at 0.5 an hour a seat
# carry 22 of its 24 seats.
a, b, c, d = rng2.sample(adults_of(Z), 4)
initiative("eetclub-zambesi", [a, b], [(a, 4.0), (b, 3.0), (c, 2.0), (d, 2.0)], "running", 0.5, 1500.0)
# A coffee morning resting on one organiser who also volunteers at the repair cafe: 22 hours a
# week, above the default policy's 20, so an overloaded volunteer.
solo, helper = rng2.sample(adults_of(T), 2)
initiative("koffieochtend-tigris", [solo], [(solo, 16.0), (helper, 2.0)], "running", 1.0, 600.0)
# A repair cafe that is just starting: 12 volunteer hours at 1.5 a seat carry 8 of its 20 seats.
e, f = rng2.sample(adults_of(T, {solo["key"], helper["key"]}), 2)
initiative("repaircafe", [e, f], [(e, 3.0), (f, 3.0), (solo, 6.0)], "starting", 1.5)
# A walking group whose organisers paused it for the winter: no places while paused.
g, h = rng2.sample(adults_of(R), 2)
initiative("wandelgroep-senioren", [g, h], [(g, 2.0), (h, 1.5)], "paused", 0.25, 250.0)
# Organisations and the team.
offer_by_key["taalcafe"]["organiser"] = {"kind": "organisation", "organisation": "dock"}
offer_by_key["taalcafe"]["volunteers"] = [{"resident": r["key"], "hours_per_week": 3.0}
                                          for r in rng2.sample(adults_of(Z, {a["key"], b["key"]}), 3)]
offer_by_key["taalcafe"]["hours_per_seat"] = 0.5
offer_by_key["schuldencursus"]["organiser"] = {"kind": "organisation", "organisation": "humanitas"}
offer_by_key["wijkteam-kort"]["organiser"] = {"kind": "team"}

# Help offered to neighbours. Reciprocity as in Harry Helpt: a resident who needs a place to
# shower (basic ADL) does odd jobs (instrumental ADL), and a neighbour with an odd job to be done
# can offer the shower.
by_key = {r["key"]: r for r in residents}
need_of = {n["key"]: n for n in needs}
shower, odd_job = by_key[need_of["N020"]["resident"]], by_key[need_of["N023"]["resident"]]
shower["offers_help"] = {"domains": ["instrumental_adl", "housing"], "hours_per_week": 3.0,
                         "day_parts": schedule([("sat", "morning"), ("sat", "afternoon")]), "radius_m": 1000.0}
odd_job["offers_help"] = {"domains": ["basic_adl"], "hours_per_week": 2.0,
                          "day_parts": schedule([("tue", "morning"), ("thu", "morning")]), "radius_m": 1000.0}
HELP_DOMAINS = ["instrumental_adl", "social_network", "time_use", "finances", "physical_health", "parenting",
                "work_education"]
pool = [r for r in residents if r["age_band"] != "0-14" and "offers_help" not in r]
for r in rng2.sample(pool, 8):
    r["offers_help"] = {"domains": sorted(rng2.sample(HELP_DOMAINS, rng2.randint(1, 3)), key=HELP_DOMAINS.index),
                        "hours_per_week": float(rng2.randint(1, 4)),
                        "day_parts": schedule([(dd, p) for dd in DAYS for p in PARTS if rng2.random() < 0.15]),
                        "radius_m": 400.0 if r["age_band"] in ("65-79", "80+") else float(rng2.choice([500, 750, 1000]))}

# Newcomers whose questions recur without a collective answer (issue 11, "where individual
# questions recur, we develop a group"): three Polish-speaking families who moved to Zambesidreef
# this autumn, no network yet, each adult with a question about paperwork and money. Every
# collective offer for finances there works in Dutch, Arabic or Turkish, so `propose-groups`
# finds them in one domain and day-part, with a language they share. One of them already
# helps neighbours with forms and could run it. A third random stream keeps the rest of the file
# as it was.
rng3 = random.Random(20261130)
for family in range(3):
    hkey = f"H{len(households) + 1:03d}"
    households.append({"key": hkey, "neighbourhood": Z})
    home = near(Z, 150)
    for band in ["25-44", "25-44", "0-14"]:
        slots = ([("tue", "evening"), ("thu", "evening")] + [(d, p) for d in DAYS for p in PARTS if rng3.random() < 0.15]
                 if band != "0-14" else [(d, "afternoon") for d in ["mon", "wed", "fri"]])
        r = {"key": f"R{len(residents) + 1:04d}", "household": hkey, "neighbourhood": Z, "location": dict(home),
             "age_band": band, "languages": ["pl", "en"], "availability": schedule(sorted(set(slots))),
             "max_travel_m": 800.0 if band == "0-14" else 2500.0, "group_averse": False, "care_avoider": False,
             "attends": []}
        residents.append(r)
        if band == "0-14":
            continue
        needs.append({"key": f"N{len(needs) + 1:03d}", "resident": r["key"], "domain": "finances",
                      "severity": rng3.choice([3, 3, 4]), "crisis": False, "safety_report": False,
                      "rent_arrears_months": 0, "since": f"2026-{rng3.randint(9, 11):02d}-{rng3.randint(1, 28):02d}",
                      "status": "open"})
residents[-2]["offers_help"] = {"domains": ["finances"], "hours_per_week": 3.0,
                                "day_parts": schedule([("tue", "evening"), ("thu", "evening")]), "radius_m": 1000.0}

doc = {"$schema": "../../schema/wijkmatch-model-v1.schema.json", "format": "wijkmatch-neighbourhood",
       "format_version": 1, "format_minor": 1, "households": households, "offers": offers, "residents": residents,
       "ties": ties, "needs": needs, "professionals": professionals}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "neighbourhood.json")
with open(out, "w", encoding="utf-8") as f:
    json.dump(doc, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(f"wrote {out}: {len(households)} households, {len(residents)} residents, {len(ties)} ties, "
      f"{len(needs)} needs, {len(offers)} offers, {len(professionals)} professionals; "
      f"{sum('initiative' in o for o in offers)} resident initiatives, "
      f"{sum('offers_help' in r for r in residents)} residents offering help")
