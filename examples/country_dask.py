#!/usr/bin/env python3
"""A synthetic country allocated on a local Dask cluster, municipality by municipality.

    PYTHONPATH=build/bindings /usr/bin/python3 examples/country_dask.py
    PYTHONPATH=build/bindings /usr/bin/python3 examples/country_dask.py --residents 2000000 \
        --municipalities 120 --workers 2 --check
    PYTHONPATH=build/bindings /usr/bin/python3 examples/country_dask.py --scheduler tcp://host:8786

The workers generate their own municipalities from the generator's options and a
municipality index (no model is sent over the network); municipalities whose residents can
reach each other's offers are allocated together, so the national figures equal those of one
run on the whole country (--check runs that single-process comparison as well).
"""
from __future__ import annotations

import argparse
import time

import wijkmatch
from wijkmatch import distributed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=400_000, help="residents in the country (default 400000)")
    parser.add_argument("--municipalities", type=int, default=40, help="municipalities (default 40)")
    parser.add_argument("--seed", type=int, default=2024, help="generator seed")
    parser.add_argument("--workers", type=int, default=2, help="local worker processes (default 2)")
    parser.add_argument("--scheduler", help="address of an existing scheduler instead of a local cluster")
    parser.add_argument("--mode", default="optimal", choices=wijkmatch.ALLOCATION_MODES)
    parser.add_argument("--shared", default="couple", choices=("couple", "split"),
                        help="couple municipalities that share offers (default) or run each alone")
    parser.add_argument("--check", action="store_true", help="also allocate in one process and compare totals")
    args = parser.parse_args()

    country = distributed.Generated(residents=args.residents, seed=args.seed, municipalities=args.municipalities)
    where = args.scheduler or f"a local cluster of {args.workers} worker processes"
    print(f"wijkmatch {wijkmatch.__version__}: {args.residents:,} residents in {args.municipalities} "
          f"municipalities, {args.mode} allocation on {where}")

    result = distributed.allocate_country(country, address=args.scheduler, n_workers=args.workers,
                                          mode=args.mode, shared=args.shared, progress=True)
    t = result.totals
    served_share = t["served"] / t["needs"] if t["needs"] else 0.0
    print(f"\nNational figures ({len(result.groups)} tasks, {len(result.partition.links)} couplings between "
          f"municipalities, {result.seconds:.1f} s)")
    print(f"  open needs          {t['needs']:>10,}")
    print(f"  served              {t['served']:>10,}  ({served_share:.1%})")
    print(f"  waiting             {t['needs'] - t['served']:>10,}")
    for level, n in t["served_by_level"].items():
        share = n / t["served"] if t["served"] else 0.0
        print(f"    {level:<17} {n:>10,}  ({share:.1%} of served)")
    print(f"  ladder steps        {t['ladder_steps']:>10,}")
    print(f"  mean score          {t['score_milli'] / 1000 / max(t['served'], 1):>10.3f}")
    print(f"  cost per month      {t['cost_per_month']:>10,} euro")

    m = result.municipalities.copy()
    m["waiting_share"] = 1 - m["served"] / m["needs"]
    print("\nMunicipalities with the largest share of needs still waiting:")
    print(m.sort_values("waiting_share", ascending=False)
          .head(5)[["municipality", "needs", "served", "waiting_share"]]
          .to_string(index=False, formatters={"waiting_share": "{:.1%}".format}))

    if args.check:
        started = time.perf_counter()
        whole = wijkmatch.allocate(wijkmatch.generate(**country.options()), mode=args.mode)
        same = whole.objective == t
        print(f"\nSingle process: {whole.objective['served']:,} of {whole.objective['needs']:,} served in "
              f"{time.perf_counter() - started:.1f} s; totals {'equal' if same else 'DIFFER'}")
        if not same and args.shared == "couple":
            raise SystemExit(1)


if __name__ == "__main__":
    main()
