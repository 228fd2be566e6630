#!/usr/bin/env python3
"""Generates Tollgate's sample order book: data/samples/orders.csv, orders.jsonl, fx.csv and
parties.csv. Deterministic (fixed seed, no clock, no network): running it again gives the same
bytes, and the outputs are checked in next to this script.

    python3 data/samples/generate_orders.py            # rewrites the four files
    python3 data/samples/generate_orders.py --check    # exits 1 if the checked-in files differ

What it models (see docs/pipeline.md, "The sample order book"):
  * 2022-10 .. 2026-07, NVIDIA, AMD, Intel and (a few) Huawei parts from data/catalog.csv;
  * destinations China, Hong Kong, Macau, the Gulf (AE, SA, QA), Southeast Asia (VN, MY, SG,
    TH), Europe, Japan, Korea, Taiwan, Israel, the US, and a few embargoed ones (IR, CU, KP,
    SY) and Russia, which must come out prohibited or denied;
  * buyers headquartered elsewhere (e.g. Singapore and Malaysian subsidiaries of Chinese
    parents: end_user_hq CN), military and other end uses;
  * licence numbers on some licensed lines, customs values on lines that pass through the US;
  * a few parties that are on the bundled restricted-party samples, under their real listed
    names (so screening holds them). Every other company name is invented; the exporters are
    fictitious distributors, so no real firm is shown shipping anything.
Prices are plausible street prices, not quotes. FX rates are rounded monthly approximations
for testing, not official rates.
"""

import csv
import io
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20260115

HEADER = ["order_id", "line", "date", "exporter", "item", "quantity", "unit_price", "currency",
          "ship_from", "destination", "consignee", "consignee_country", "end_user",
          "end_user_country", "end_user_hq", "end_use", "licence", "customs_value"]

# Fictitious exporters: (name, ship_from, usual currencies).
EXPORTERS = {
    "northbridge": ("Northbridge Compute Supply Inc.", "US", ["USD"]),
    "formosa": ("Formosa Accelerator Trading Co., Ltd.", "TW", ["USD", "TWD"]),
    "lionsgate": ("Lionsgate Systems Pte. Ltd.", "SG", ["USD", "SGD"]),
    "rheinland": ("Rheinland Datentechnik GmbH", "DE", ["EUR"]),
    "kansai": ("Kansai Compute K.K.", "JP", ["JPY", "USD"]),
}

# Buyers: (name, country, hq, usual end uses). Invented names.
BUYERS = {
    "CN": [("Shanghai Yunhai Cloud Computing Co., Ltd.", "CN", "CN", ["datacenter", "commercial"]),
           ("Hangzhou Xinghe Intelligent Research Institute", "CN", "CN", ["research"]),
           ("Shenzhen Pengcheng Smart Devices Co., Ltd.", "CN", "CN", ["commercial"]),
           ("Beijing Qingyun Data Technology Co., Ltd.", "CN", "CN", ["datacenter"]),
           ("Chengdu Tianfu Supercomputing Center", "CN", "CN", ["supercomputer", "research"])],
    "HK": [("Kowloon Bay Computing Ltd.", "HK", "HK", ["datacenter", "commercial"]),
           ("Victoria Harbour AI Ltd.", "HK", "CN", ["datacenter"])],
    "MO": [("Cotai Data Centre (Macau) Ltd.", "MO", "MO", ["datacenter"])],
    "AE": [("Gulf Horizon AI Cloud LLC", "AE", "AE", ["datacenter"]),
           ("Abu Dhabi Frontier Research Centre", "AE", "AE", ["research", "government"])],
    "SA": [("Riyadh Digital Compute Co.", "SA", "SA", ["datacenter", "commercial"])],
    "QA": [("Doha Analytics Hub W.L.L.", "QA", "QA", ["datacenter"])],
    "VN": [("Saigon Compute JSC", "VN", "VN", ["datacenter", "commercial"])],
    "MY": [("Johor Southern Data Centre Sdn. Bhd.", "MY", "CN", ["datacenter"]),
           ("Penang Vision Systems Sdn. Bhd.", "MY", "MY", ["commercial"])],
    "SG": [("Marina Bay Intelligence Pte. Ltd.", "SG", "CN", ["datacenter"]),
           ("Straits Research Computing Pte. Ltd.", "SG", "SG", ["research", "datacenter"])],
    "TH": [("Bangkok Cloud Services Co., Ltd.", "TH", "TH", ["datacenter", "commercial"])],
    "DE": [("Munich AI Lab GmbH", "DE", "DE", ["research", "datacenter"])],
    "FR": [("Paris Calcul Intensif SAS", "FR", "FR", ["research", "supercomputer"])],
    "NL": [("Amsterdam GPU Cloud B.V.", "NL", "NL", ["datacenter"])],
    "JP": [("Tokyo Deep Learning K.K.", "JP", "JP", ["research", "commercial"])],
    "KR": [("Seoul Hyperscale Co., Ltd.", "KR", "KR", ["datacenter"])],
    "TW": [("Hsinchu Research Compute Co.", "TW", "TW", ["research"])],
    "IL": [("Tel Aviv Vision Ltd.", "IL", "IL", ["commercial"])],
    "US": [("Oregon Frontier Compute LLC", "US", "US", ["datacenter", "research"])],
    "RU": [("Volga Neural Systems LLC", "RU", "RU", ["commercial"])],
    "IR": [("Tehran Data Processing Co.", "IR", "IR", ["commercial"])],
    "CU": [("Havana Informatics S.A.", "CU", "CU", ["government"])],
    "KP": [("Pyongyang Computing Centre", "KP", "KP", ["government"])],
    "SY": [("Damascus Data Services", "SY", "SY", ["commercial"])],
}

# Military end users (invented): used with end_use military / military_intelligence.
MILITARY = [("Northern Defence Electronics Research Institute", "CN", "CN", "military"),
            ("Gulf Defence Systems LLC", "AE", "AE", "military"),
            ("Eastern Signals Analysis Bureau", "VN", "VN", "military_intelligence")]

# Parties on the bundled restricted-party samples (data/lists/), under their listed names.
LISTED = [
    # (name as on the list, country, hq, list code, entry id, source file)
    ("China Electronics Technology Group Corporation 13th Research Institute (CETC 13)", "CN",
     "CN", "bis_entity_list", "99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be",
     "data/lists/csl_samples/consolidated_2025-06_sample13.csv"),
    ("Academy of Aerospace Solid Propulsion Technology (AASPT)", "CN", "CN", "bis_meu",
     "66f6ab3f26234b75a9093fce79ef0ce0",
     "data/lists/csl_samples/consolidated_2025-06_sample13.csv"),
    ("HUAWEI TECHNOLOGIES CO., LTD.", "CN", "CN", "ofac_cons", "30947",
     "data/lists/ofac_nonsdn_cons_2025-12/cons_prim.csv"),
    ("INSPUR GROUP CO., LTD.", "CN", "CN", "ofac_cons", "30949",
     "data/lists/ofac_nonsdn_cons_2025-12/cons_prim.csv"),
    # The 2019 CSL sample has no _id column; "329a71682dcc" is the id the screening importer
    # derives for this row (docs/screening.md).
    ("54th Research Institute of China", "CN", "CN", "bis_entity_list", "329a71682dcc",
     "data/lists/csl_samples/csl_2019-12_sample115.csv"),
]

# Items (catalog aliases), unit price in USD, first and last order date it appears on.
ITEMS = {
    "A100": (12500, "2022-10-01", "2023-12-31"),
    "A800": (13800, "2022-11-01", "2024-06-30"),
    "H100": (27500, "2022-10-01", "2026-07-31"),
    "H800": (30500, "2023-03-21", "2024-03-31"),
    "L40S": (8400, "2023-08-01", "2025-12-31"),
    "RTX 4090": (1850, "2022-10-12", "2025-06-30"),
    "RTX 4090D": (1950, "2024-01-01", "2026-07-31"),
    "L20": (7200, "2024-02-01", "2026-07-31"),
    "H20": (12000, "2024-02-01", "2026-07-31"),
    "H200": (32000, "2024-06-01", "2026-07-31"),
    "B200": (41000, "2025-01-01", "2026-07-31"),
    "B300": (48000, "2025-10-01", "2026-07-31"),
    "RTX 5090D": (2450, "2025-02-01", "2026-07-31"),
    "MI250X": (10500, "2022-10-01", "2024-06-30"),
    "MI300X": (15500, "2024-01-01", "2026-07-31"),
    "MI308X": (11200, "2024-06-01", "2026-07-31"),
    "MI325X": (21000, "2024-11-01", "2026-07-31"),
    "MI350X": (25500, "2025-07-01", "2026-07-31"),
    "Gaudi 2": (8200, "2022-10-01", "2025-06-30"),
    "Gaudi 3": (15600, "2024-10-01", "2026-07-31"),
    "Ascend 910B": (16500, "2024-01-01", "2026-07-31"),
}

START = date(2022, 10, 10)
END = date(2026, 7, 31)

# Currencies and rough USD per unit by year (illustrative test data, not official rates).
FX_BASE = {
    "CNY": {2022: "0.1420", 2023: "0.1410", 2024: "0.1390", 2025: "0.1385", 2026: "0.1430"},
    "EUR": {2022: "1.0100", 2023: "1.0820", 2024: "1.0830", 2025: "1.1100", 2026: "1.1600"},
    "JPY": {2022: "0.007200", 2023: "0.007100", 2024: "0.006600", 2025: "0.006700",
            2026: "0.006450"},
    "SGD": {2022: "0.7150", 2023: "0.7440", 2024: "0.7450", 2025: "0.7650", 2026: "0.7800"},
    "TWD": {2022: "0.03200", 2023: "0.03210", 2024: "0.03110", 2025: "0.03200",
            2026: "0.03180"},
    "HKD": {2022: "0.1274", 2023: "0.1278", 2024: "0.1281", 2025: "0.1282", 2026: "0.1284"},
    "AED": {y: "0.2723" for y in range(2022, 2027)},  # pegged
    "SAR": {y: "0.2667" for y in range(2022, 2027)},  # pegged
}
BUYER_CURRENCY = {"DE": "EUR", "FR": "EUR", "NL": "EUR", "JP": "JPY", "SG": "SGD",
                  "HK": "HKD", "AE": "AED", "SA": "SAR", "CN": "CNY", "TW": "TWD"}


def fx_rows():
    rng = random.Random(SEED + 1)
    rows = []
    for cur in sorted(FX_BASE):
        for year in range(2022, 2027):
            for month in range(1, 13):
                if date(year, month, 1) > END:
                    break
                base = FX_BASE[cur][year]
                scale = len(base.split(".")[1])
                if cur in ("AED", "SAR"):
                    value = base
                else:
                    # +-1.5% monthly drift around the yearly value, exact decimal text.
                    units = int(base.replace(".", ""))
                    units = units + round(units * rng.uniform(-0.015, 0.015))
                    text = str(units).rjust(scale + 1, "0")
                    value = text[:-scale] + "." + text[-scale:]
                rows.append([f"{year:04d}-{month:02d}-01", cur, value])
    return rows


def rate_on(fx, cur, d):
    best = None
    for row in fx:
        if row[1] == cur and row[0] <= d.isoformat():
            best = row[2]
    return best


def money(value, scale):
    """Formats a Python int of minor units with `scale` decimals."""
    if scale == 0:
        return str(value)
    s = str(value).rjust(scale + 1, "0")
    return s[:-scale] + "." + s[-scale:]


def price_in(usd_price, cur, d, fx):
    """Converts a USD list price to a local-currency unit price (rounded to the unit)."""
    if cur == "USD":
        return f"{usd_price}.00"
    rate = float(rate_on(fx, cur, d))
    scale = 0 if cur == "JPY" else 2
    local = round(usd_price / rate / 10) * 10  # list prices end in 0
    return money(local * (10 ** scale), scale)


def pick_date(rng, lo, hi):
    lo = max(lo, START)
    hi = min(hi, END)
    return lo + timedelta(days=rng.randrange((hi - lo).days + 1))


def main():
    rng = random.Random(SEED)
    fx = fx_rows()
    rows = []
    order_no = [0]

    def new_order(d):
        order_no[0] += 1
        return f"SO-{d.year}-{order_no[0]:04d}"

    def add(order_id, line, d, exporter_key, item, qty, buyer, end_use, currency=None,
            licence="", customs=False, end_user=None, ship_from=None):
        exporter, from_country, currencies = EXPORTERS[exporter_key]
        ship_from = ship_from or from_country
        cons_name, cons_country, cons_hq, _ = buyer
        eu_name, eu_country, eu_hq = (end_user or buyer)[:3]
        cur = currency or rng.choice(currencies)
        usd = ITEMS[item][0]
        # Volume discounts and price drift: +-8%.
        usd = int(round(usd * rng.uniform(0.92, 1.08) / 10) * 10)
        unit = price_in(usd, cur, d, fx)
        customs_value = ""
        if customs:
            # US customs value of the line: 85-95% of the sale value (transfer pricing).
            scale = 0 if cur == "JPY" else 2
            unit_minor = int(unit.replace(".", ""))
            cv = unit_minor * qty * rng.randrange(85, 96) // 100
            customs_value = money(cv, scale)
        rows.append([order_id, str(line), d.isoformat(), exporter, item, str(qty), unit, cur,
                     ship_from, cons_country, cons_name,
                     cons_country, eu_name, eu_country, eu_hq, end_use, licence,
                     customs_value])

    def dest_buyer(country):
        b = rng.choice(BUYERS[country])
        return b, rng.choice(b[3])

    def licence_no():
        return "D" + str(rng.randrange(1000000, 9999999))

    # 1. Ordinary trade across the world, every year (about 240 lines in multi-line orders).
    ordinary = ["DE", "FR", "NL", "JP", "KR", "TW", "US", "IL", "SG", "TH", "VN", "MY", "AE",
                "SA", "QA", "HK", "CN", "CN", "CN", "MO"]
    for _ in range(150):
        country = rng.choice(ordinary)
        buyer, end_use = dest_buyer(country)
        lines = rng.choice([1, 1, 2, 2, 3])
        d = pick_date(rng, START, END)
        oid = new_order(d)
        exporter_key = rng.choice(list(EXPORTERS))
        currency = BUYER_CURRENCY.get(country) if rng.random() < 0.35 else None
        if currency and currency not in FX_BASE and currency != "USD":
            currency = None
        for ln in range(1, lines + 1):
            candidates = [i for i, (_, lo, hi) in ITEMS.items()
                          if date.fromisoformat(lo) <= d <= date.fromisoformat(hi)
                          and i != "Ascend 910B"]
            item = rng.choice(candidates)
            qty = rng.choice([8, 16, 32, 64, 128, 256, 512]) if "RTX" not in item else \
                rng.choice([10, 50, 100, 400])
            ship_from = None
            customs = False
            if EXPORTERS[exporter_key][1] == "US" or (d >= date(2026, 1, 15) and country in
                                                      ("CN", "MO", "HK")
                                                      and rng.random() < 0.5):
                # Goods that pass through the US (US exporter, or Taiwan-made parts inspected
                # in the US before re-export): the line carries a US customs value.
                ship_from = "US"
                customs = True
            add(oid, ln, d, exporter_key, item, qty, buyer, end_use,
                currency=currency, customs=customs, ship_from=ship_from)

    # 2. The China story, period by period (the regulatory history in regulatory.md § 3).
    china_plan = [
        # (date range, items, exporter, licence probability, customs)
        (("2022-10-10", "2023-11-16"), ["A800", "H800", "RTX 4090", "L40S", "MI250X"], 0.0),
        (("2023-11-17", "2025-04-08"), ["H20", "L20", "RTX 4090D", "H800", "A800", "H100"], 0.1),
        (("2025-04-09", "2025-08-07"), ["H20", "MI308X", "L20", "RTX 4090D"], 0.0),
        (("2025-08-08", "2026-01-14"), ["H20", "MI308X", "H200", "B200"], 0.5),
        (("2026-01-15", "2026-07-31"), ["H200", "MI325X", "H20", "B200", "B300", "Gaudi 3",
                                        "RTX 5090D"], 0.5),
    ]
    for (lo, hi), items, licence_p in china_plan:
        for _ in range(12):
            d = pick_date(rng, date.fromisoformat(lo), date.fromisoformat(hi))
            country = rng.choice(["CN", "CN", "CN", "HK", "MO"])
            buyer, end_use = dest_buyer(country)
            oid = new_order(d)
            exporter_key = rng.choice(["northbridge", "formosa", "lionsgate"])
            for ln in range(1, rng.choice([1, 2]) + 1):
                item = rng.choice([i for i in items
                                   if date.fromisoformat(ITEMS[i][1]) <= d])
                via_us = exporter_key == "northbridge" or (
                    d >= date(2026, 1, 15) and rng.random() < 0.6)
                lic = licence_no() if rng.random() < licence_p else ""
                add(oid, ln, d, exporter_key, item, rng.choice([16, 64, 128, 256, 1024]), buyer,
                    end_use, licence=lic, customs=via_us, ship_from="US" if via_us else None,
                    currency="CNY" if (country == "CN" and rng.random() < 0.3) else None)

    # 3. Buyers headquartered in China, in Singapore and Malaysia, before and after the
    #    BIS guidance of 2026-05-31.
    for _ in range(16):
        d = pick_date(rng, date(2024, 1, 1), END)
        buyer = rng.choice([BUYERS["SG"][0], BUYERS["MY"][0], BUYERS["HK"][1]])
        oid = new_order(d)
        item = rng.choice(["H200", "B200", "MI300X", "H100", "MI350X"])
        if date.fromisoformat(ITEMS[item][1]) > d:
            item = "H100"
        add(oid, 1, d, rng.choice(["northbridge", "formosa", "lionsgate"]), item,
            rng.choice([64, 256, 512]), buyer, "datacenter")

    # 4. The Gulf and Southeast Asia with licences (presumption of approval).
    for _ in range(14):
        d = pick_date(rng, date(2023, 11, 17), END)
        country = rng.choice(["AE", "SA", "QA", "VN", "AE"])
        buyer, end_use = dest_buyer(country)
        oid = new_order(d)
        item = rng.choice(["H100", "H200", "B200", "MI300X", "Gaudi 3"])
        if date.fromisoformat(ITEMS[item][1]) > d:
            item = "H100"
        add(oid, 1, d, "northbridge", item, rng.choice([256, 512, 1024, 2048]), buyer, end_use,
            licence=licence_no() if rng.random() < 0.6 else "", customs=True, ship_from="US")

    # 5. Military end uses and embargoed or arms-embargoed destinations.
    for mil in MILITARY:
        for _ in range(3):
            d = pick_date(rng, START, END)
            oid = new_order(d)
            item = rng.choice(["H100", "RTX 4090", "A100", "MI300X"])
            if not (date.fromisoformat(ITEMS[item][1]) <= d <= date.fromisoformat(ITEMS[item][2])):
                item = "H100"
            add(oid, 1, d, rng.choice(list(EXPORTERS)), item, rng.choice([8, 32, 64]),
                mil, mil[3])
    for country in ["IR", "CU", "KP", "SY", "RU", "RU"]:
        for _ in range(2):
            d = pick_date(rng, START, END)
            buyer, end_use = dest_buyer(country)
            oid = new_order(d)
            item = rng.choice(["H100", "RTX 4090", "L40S", "Gaudi 2"])
            if not (date.fromisoformat(ITEMS[item][1]) <= d <= date.fromisoformat(ITEMS[item][2])):
                item = "H100"
            add(oid, 1, d, rng.choice(["lionsgate", "rheinland", "kansai"]), item,
                rng.choice([4, 8, 16]), buyer, end_use)

    # 6. Listed parties: consignee or end user on a bundled restricted-party sample.
    for name, country, hq, _list, _id, _src in LISTED:
        for _ in range(2):
            d = pick_date(rng, date(2023, 1, 1), END)
            oid = new_order(d)
            item = rng.choice(["H20", "L20", "RTX 4090D"])
            if date.fromisoformat(ITEMS[item][1]) > d:
                item = "RTX 4090"
            listed = (name, country, hq, ["commercial"])
            if rng.random() < 0.5:
                # A distributor as consignee, the listed party as end user.
                cons = BUYERS["HK"][0]
                add(oid, 1, d, rng.choice(["formosa", "lionsgate"]), item, 32, cons,
                    "research", end_user=listed)
            else:
                add(oid, 1, d, rng.choice(["formosa", "lionsgate"]), item, 32, listed,
                    "research")

    # 7. Huawei parts where sensible: Ascend 910B sold by an Asian distributor to Malaysia
    #    and the Gulf (the May 2025 BIS guidance presumes them made in violation of the EAR).
    for country in ["MY", "AE", "TH"]:
        d = pick_date(rng, date(2025, 5, 13), END)
        buyer, end_use = dest_buyer(country)
        add(new_order(d), 1, d, "lionsgate", "Ascend 910B", 64, buyer, end_use,
            ship_from="CN")

    rows.sort(key=lambda r: (r[2], r[0], int(r[1])))
    return rows, fx


def render():
    rows, fx = main()
    out = {}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    w.writerows(rows)
    out["orders.csv"] = buf.getvalue()
    lines = []
    for r in rows:
        obj = dict(zip(HEADER, r))
        obj["line"] = int(obj["line"])
        obj["quantity"] = int(obj["quantity"])
        # Numbers stay exact: written as JSON numbers exactly as in the CSV.
        for k in ("unit_price", "customs_value"):
            obj[k] = None if obj[k] == "" else obj[k]
        obj["licence"] = obj["licence"] or None
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
        for k in ("unit_price", "customs_value"):
            if obj[k] is not None:
                text = text.replace(f'"{k}":"{obj[k]}"', f'"{k}":{obj[k]}')
        lines.append(text)
    out["orders.jsonl"] = "\n".join(lines) + "\n"
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["date", "currency", "rate_to_usd"])
    w.writerows(fx)
    out["fx.csv"] = buf.getvalue()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["name", "list", "entry_id"])
    for name, _c, _hq, lst, eid, _src in LISTED:
        w.writerow([name, lst, eid])
    out["parties.csv"] = buf.getvalue()
    return out


if __name__ == "__main__":
    files = render()
    if "--check" in sys.argv:
        bad = [n for n, text in files.items() if (HERE / n).read_text() != text]
        if bad:
            print("out of date: " + ", ".join(bad), file=sys.stderr)
            sys.exit(1)
        sys.exit(0)
    for name, text in files.items():
        (HERE / name).write_text(text)
    print(f"wrote {len(files['orders.csv'].splitlines()) - 1} order lines")
