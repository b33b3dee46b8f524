"""The open data (R26; issue 18 item 7, API-10, API-11, API-17): a DCAT-US v1.1 catalogue that
validates, a field dictionary matching every distribution, stable codes whatever the language,
conditional GETs, CORS, a public link, and no field the public may not see."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.test import Client

from greenbuild.api import open_data
from greenbuild.core.fields import Audience, policy_for
from greenbuild.projects.models import Project

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(open_data.__file__).parent / open_data.DCAT_US_SCHEMA_FILE).read_text())
DOWNLOADS = ("/api/v1/open/pilots.json", "/api/v1/open/pilots.csv")
PUBLIC_GETS = ("/data.json", "/api/v1/open/", "/api/v1/open/pilots/dictionary.json", "/api/v1/open/pilots/", *DOWNLOADS)


@pytest.fixture
def pilot(filed_project):
    project = filed_project("confirmed", name="公开试点", bim_design=True, bim_construction=True)
    filed_project("candidate", name="候选不公开")
    return project


def pilots_entry(datasets: list[dict]) -> dict:
    """The pilots' data set of the catalogue (its API address ends in /open/pilots/)."""
    return next(d for d in datasets if d["identifier"].rstrip("/").endswith("/open/pilots"))


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- the catalogue -----------------------------------------------------------------------------


def test_our_schema_encodes_the_dcat_us_rules():
    """The schema refuses what DCAT-US v1.1 refuses (so validating against it means something)."""
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    assert not validator.is_valid({"dataset": []})  # conformsTo is required
    assert not validator.is_valid({"conformsTo": "https://example.org/other", "dataset": []})
    dataset = {
        "title": "t",
        "description": "d",
        "keyword": ["k"],
        "modified": "2026-12-07",
        "publisher": {"name": "p"},
        "contactPoint": {"fn": "c", "hasEmail": "mailto:c@example.org"},
        "identifier": "i",
        "accessLevel": "restricted public",
        "rights": "On request from the publisher.",
    }
    good = {"conformsTo": open_data.DCAT_US_CONFORMS_TO, "dataset": [dataset]}
    assert validator.is_valid(good)
    for field, value in (
        ("keyword", []),
        ("modified", "7 December 2026"),
        ("accessLevel", "open"),
        ("contactPoint", {"fn": "c", "hasEmail": "c@example.org"}),
        ("accrualPeriodicity", "daily"),
        ("distribution", [{"downloadURL": "https://example.org/x.csv"}]),  # downloadURL needs mediaType
        ("bureauCode", ["15:10"]),
    ):
        assert not validator.is_valid({**good, "dataset": [{**dataset, field: value}]}), field
    assert not validator.is_valid({**good, "dataset": [{**dataset, "accessLevel": "public"}]})  # licence, files
    without_rights = {k: v for k, v in dataset.items() if k != "rights"}
    assert not validator.is_valid({**good, "dataset": [without_rights]})  # why it is not public
    assert validator.is_valid({**good, "dataset": [{**without_rights, "accessLevel": "non-public", "rights": "No."}]})
    files = {"license": "https://example.org/l", "accessLevel": "public"}
    assert validator.is_valid(
        {**good, "dataset": [{**dataset, **files, "distribution": [{"accessURL": "https://x.org"}]}]}
    )
    assert not validator.is_valid({**good, "dataset": [{**dataset, **files, "distribution": [{"format": "CSV"}]}]})
    for temporal in ("2021-03-01/2028-12-01", "2021-03-01/P2Y", "R/2021-03-01/P1D"):
        assert validator.is_valid({**good, "dataset": [{**dataset, "temporal": temporal}]}), temporal
    assert not validator.is_valid({**good, "dataset": [{**dataset, "temporal": "2021-03-01/later"}]})
    for required in ("title", "publisher", "identifier"):
        assert not validator.is_valid({**good, "dataset": [{k: v for k, v in dataset.items() if k != required}]})


def test_the_catalogue_validates_against_dcat_us_and_names_licence_dictionary_and_files(client, pilot, settings):
    settings.OPEN_DATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
    response = client.get("/data.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    catalogue = response.json()
    jsonschema.validate(catalogue, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert catalogue["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    assert len(catalogue["dataset"]) == len(open_data.DATASETS)  # the pilots, the published bulletins
    dataset = pilots_entry(catalogue["dataset"])
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert dataset["accessLevel"] == "public" and dataset["language"] == ["zh", "en"]
    assert dataset["accrualPeriodicity"] == "R/PT1S"
    assert "bureauCode" not in dataset and "programCode" not in dataset  # U.S. Federal agencies only
    assert {d["mediaType"] for d in dataset["distribution"] if "downloadURL" in d} == {"application/json", "text/csv"}
    for url in [dataset["describedBy"], dataset["identifier"]] + [
        d.get("downloadURL") or d["accessURL"] for d in dataset["distribution"]
    ]:
        parts = urlsplit(url)
        assert parts.scheme == "http" and parts.netloc == "testserver", url
        assert client.get(parts.path).status_code == 200, url
    assert dataset["temporal"] is None or "/" in dataset.get("temporal", "/")


def test_the_licence_is_a_setting(client, pilot, settings):
    settings.OPEN_DATA_LICENSE = "https://creativecommons.org/publicdomain/zero/1.0/"
    assert client.get("/data.json").json()["dataset"][0]["license"] == settings.OPEN_DATA_LICENSE
    assert client.get("/api/v1/open/").json()["license"] == settings.OPEN_DATA_LICENSE
    assert "CC0 1.0" in client.get("/").content.decode()


def test_the_as_of_date_comes_from_the_data(client, filed_project):
    from greenbuild.projects.models import ProjectTransition

    empty = client.get("/data.json").json()["dataset"][0]["modified"]
    assert empty.startswith("2026-11-01")  # never a row: the first publication
    project = filed_project("confirmed", name="公开试点")
    confirmed = ProjectTransition.objects.filter(project=project, to_status="confirmed").get().at
    modified = client.get("/data.json").json()["dataset"][0]["modified"]
    assert modified == open_data._iso(confirmed.replace(microsecond=0))
    assert client.get("/api/v1/open/").json()["datasets"][0]["modified"] == modified


def test_the_index_links_the_catalogue_and_every_data_set(client, pilot):
    index = client.get("/api/v1/open/").json()
    assert index["catalogue"] == "http://testserver/data.json"
    assert len(index["datasets"]) == len(open_data.DATASETS)
    for entry in index["datasets"]:
        for url in (entry["dictionary"], entry["list"], *entry["downloads"].values()):
            assert client.get(urlsplit(url).path).status_code == 200


# --- codes, labels, dictionary -----------------------------------------------------------------


def test_every_csv_header_equals_the_dictionary_codes_and_the_json_keys(client, pilot):
    for dataset in open_data.DATASETS.values():
        dictionary = client.get("/api/v1/open/{}/dictionary.json".format(dataset.slug)).json()
        codes = [c["code"] for c in dictionary["columns"]]
        header = csv_rows(client.get("/api/v1/open/{}.csv".format(dataset.slug)))[0]
        rows = client.get("/api/v1/open/{}.json".format(dataset.slug)).json()
        page = client.get("/api/v1/open/{}/".format(dataset.slug)).json()["results"]
        assert header == codes
        assert rows or dataset.slug != "pilots"  # the fixture has a pilot, and no published bulletin
        assert all(list(row) == codes for row in rows + page)
        for column in dictionary["columns"]:
            assert column["label"]["zh"] and column["label"]["en"], column["code"]
            assert column["description"]["zh"] and column["description"]["en"], column["code"]
            assert column["type"] in ("integer", "number", "string", "date", "array"), column["code"]
            if column.get("label_of"):
                assert column["label_of"] in codes
        # every coded value in the data is one of the dictionary's codes
        allowed = {c["code"]: {x["code"] for x in c["codes"]} for c in dictionary["columns"] if "codes" in c}
        for row in rows:
            for code, values in allowed.items():
                value = row[code]
                if code == "assembly_grades":
                    assert {g["grade"] for g in value} <= values
                elif isinstance(value, list):
                    assert set(value) <= values, code
                elif value is not None:
                    assert value in values, (code, value)


def test_the_dictionary_gives_chinese_and_english_labels_of_the_codes(client, pilot):
    dictionary = client.get("/api/v1/open/pilots/dictionary.json", HTTP_ACCEPT_LANGUAGE="en").json()
    columns = {c["code"]: c for c in dictionary["columns"]}
    stars = {c["code"]: c["label"] for c in columns["target_star_level"]["codes"]}
    assert stars["two_star"] == {"zh": "二星级", "en": "Two star"}
    districts = {c["code"]: c["label"] for c in columns["district"]["codes"]}
    assert districts["zhonglou"] == {"zh": "钟楼区", "en": "Zhonglou District"}
    assert columns["target_star_level_label"]["label_of"] == "target_star_level"
    assert dictionary["license"].startswith("https://")


def test_the_same_url_gives_the_same_codes_in_chinese_and_english(client, pilot):
    for url in (*DOWNLOADS, "/api/v1/open/pilots/"):
        zh = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN")
        en = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        if url.endswith(".csv"):
            zh_rows, en_rows = csv_rows(zh), csv_rows(en)
            assert zh_rows[0] == en_rows[0]
            header = zh_rows[0]
            zh_data = [dict(zip(header, row, strict=True)) for row in zh_rows[1:]]
            en_data = [dict(zip(header, row, strict=True)) for row in en_rows[1:]]
        else:
            zh_body, en_body = zh.json(), en.json()
            zh_data = zh_body["results"] if isinstance(zh_body, dict) else zh_body
            en_data = en_body["results"] if isinstance(en_body, dict) else en_body
        assert len(zh_data) == len(en_data) == 1
        for zh_row, en_row in zip(zh_data, en_data, strict=True):
            labels = {k for k in zh_row if k.endswith("_label")}
            assert {k: v for k, v in zh_row.items() if k not in labels} == {
                k: v for k, v in en_row.items() if k not in labels
            }, url
        row_zh, row_en = zh_data[0], en_data[0]
        assert row_zh["target_star_level"] == row_en["target_star_level"] == "two_star"
        assert (row_zh["target_star_level_label"], row_en["target_star_level_label"]) == ("二星级", "Two star")
        assert row_zh["status"] == "confirmed" and row_zh["district"] == row_en["district"]
        assert row_zh["district_label"] != row_en["district_label"]


def test_lists_are_arrays_and_dates_iso(client, pilot):
    Project.objects.filter(pk=pilot.pk).update(planned_start="2026-03-01", planned_completion="2027-09-30")
    (row,) = client.get("/api/v1/open/pilots.json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert row["bim"] == ["design", "construction"] and row["bim_label"] == ["design", "construction"]
    assert (row["planned_start"], row["planned_completion"]) == ("2026-03-01", "2027-09-30")
    assert isinstance(row["total_gfa_m2"], int | float)
    header, values = csv_rows(client.get("/api/v1/open/pilots.csv"))
    cells = dict(zip(header, values, strict=True))
    assert json.loads(cells["bim"]) == ["design", "construction"] and "、" not in cells["bim_label"]
    assert cells["planned_start"] == "2026-03-01"
    assert client.get("/data.json").json()["dataset"][0]["temporal"] == "2026-03-01/2027-09-30"


# --- HTTP --------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PUBLIC_GETS)
def test_public_gets_carry_validators_and_answer_a_conditional_get_with_304(client, pilot, url):
    first = client.get(url)
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and last_modified.endswith("GMT")
    assert "max-age" in first["Cache-Control"] and "Accept-Language" in first["Vary"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200
    assert again["Access-Control-Allow-Origin"] == "*"


def test_a_change_to_the_data_changes_the_etag(client, filed_project, pilot):
    before = client.get("/api/v1/open/pilots.csv")["ETag"]
    filed_project("confirmed", name="又一个试点")
    after = client.get("/api/v1/open/pilots.csv", HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200 and after["ETag"] != before


@pytest.mark.parametrize("url", PUBLIC_GETS)
def test_public_gets_allow_any_origin_and_answer_the_preflight(pilot, url):
    client = Client()
    response = client.get(url, HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        url,
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]


def test_public_pages_link_the_open_data_and_its_licence(client, pilot):
    for path in ("/", "/en/"):
        page = client.get(path).content.decode()
        assert 'href="/data.json"' in page and 'href="/api/v1/open/"' in page, path
        assert 'rel="license"' in page and "CC BY 4.0" in page, path
    assert "开放数据" in client.get("/").content.decode()
    assert "Open data" in client.get("/en/").content.decode()


def test_the_api_root_and_its_documentation_link_the_open_data(client):
    root = client.get("/api/v1/", HTTP_ACCEPT="application/json").json()
    assert root["open-data"] == "http://testserver/api/v1/open/"
    assert root["open-data-catalogue"] == "http://testserver/data.json"
    assert root["open-data-license"].startswith("https://creativecommons.org/")
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/data.json" in schema and "/api/v1/open/" in schema


def test_head_answers_like_get_without_a_body(client, pilot):
    get = client.get("/api/v1/open/pilots.csv")
    head = client.head("/api/v1/open/pilots.csv")
    assert head.status_code == 200 and head.content == b"" and head["ETag"] == get["ETag"]


# --- the field policy --------------------------------------------------------------------------


def test_every_column_reads_public_fields_only():
    policy = policy_for(Project)
    assert [f for f in open_data.SOURCE_FIELDS if policy.level(f) > Audience.PUBLIC] == []
    hidden = policy.hidden_from(Audience.PUBLIC)
    assert not {c.code for c in open_data.PILOT_COLUMNS} & hidden


def test_no_planted_internal_value_reaches_the_open_data(client, pilot):
    """Plant markers in every internal field of the published pilot (and its owner): none may
    appear in any open data answer, in either language."""
    import datetime as dt

    from greenbuild.accounts.models import Organisation
    from greenbuild.reference.models import InvestmentNature

    nature = InvestmentNature.objects.create(code="gbsecret", name_zh="GBSECRETNATURE", name_en="GBSECRETNATURE")
    when = dt.datetime(1987, 6, 5, 4, 3, 2, tzinfo=dt.UTC)
    Project.objects.filter(pk=pilot.pk).update(
        approval_code="GBSECRETAPPR",
        investment_wan_yuan="7654321.98",
        investment_nature=nature,
        submitted_at=when,
        created_at=when,
        updated_at=when,
    )
    Organisation.objects.filter(pk=pilot.owner_id).update(credit_code="GBSECRETCC", contact_phone="GBSECRETPHONE")
    markers = ("GBSECRET", "7654321", "1987")
    for url in PUBLIC_GETS:
        for language in ("zh", "en"):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            text = response.content.decode("utf-8-sig") + response["Last-Modified"]
            assert [m for m in markers if m in text] == [], (url, language)


# --- break-it review (area F) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "accept", "content_type"),
    [
        ("/api/v1/open/pilots.csv", "text/csv", "text/csv; charset=utf-8"),
        ("/data.json", "application/ld+json", "application/json"),
        ("/api/v1/open/pilots.json", "application/json; charset=utf-8", "application/json"),
    ],
)
def test_a_file_is_served_whatever_the_accept_header(client, pilot, url, accept, content_type):
    """A client that asks for the CSV as text/csv (or the catalogue as JSON-LD) gets the file, not
    a 406: each file has one representation."""
    response = client.get(url, HTTP_ACCEPT=accept)
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == content_type


@pytest.mark.parametrize("url", PUBLIC_GETS)
@pytest.mark.parametrize(
    "header", [{"HTTP_IF_MATCH": '"stale"'}, {"HTTP_IF_UNMODIFIED_SINCE": "Mon, 07 Dec 2000 06:09:46 GMT"}]
)
def test_a_failed_precondition_is_the_api_error_and_never_publicly_cached(client, pilot, url, header):
    response = client.get(url, **header)
    assert response.status_code == 412
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "precondition_failed"
    assert "public" not in response.get("Cache-Control", "")  # a shared cache must not keep it 5 minutes
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "url",
    [
        "/data.json",
        "/api/v1/open/",
        "/api/v1/open/pilots/dictionary.json",
        *DOWNLOADS,
    ],
)
def test_an_unknown_query_parameter_on_a_file_is_a_400_naming_it(client, pilot, url):
    """As on every list (API-13): ``pilots.csv?district=zhonglou`` must not silently answer every pilot."""
    response = client.get(url, {"district": "zhonglou"})
    assert response.status_code == 400
    assert "district" in response.json()["errors"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_english_labels_and_descriptions_are_english_only(client, pilot):
    import re

    han = re.compile(r"[\u3400-\u9fff]")
    dictionary = client.get("/api/v1/open/pilots/dictionary.json").json()
    for column in dictionary["columns"]:
        assert not han.search(column["label"]["en"] + column["description"]["en"]), column["code"]
    for dataset in client.get("/data.json", HTTP_ACCEPT_LANGUAGE="en").json()["dataset"]:
        assert not han.search(dataset["title"] + dataset["description"])
    assert not han.search(json.dumps(client.get("/api/v1/open/", HTTP_ACCEPT_LANGUAGE="en").json()["datasets"]))


def test_a_computation_that_changes_nothing_published_does_not_move_the_as_of_date(client, pilot, alice_owner):
    """A waste record of a pilot (its waste engine run) is not in the open data: ``modified`` and
    Last-Modified stay (else they would tell the public when an owner worked on internal records)."""
    import datetime as dt
    from decimal import Decimal

    import time_machine

    from greenbuild.scoring import services
    from greenbuild.scoring.models import ScoreRun

    before = client.get("/data.json")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    with time_machine.travel(later, tick=False):
        services.record_waste(
            actor=alice_owner,
            project=pilot,
            data={
                "recorded_on": dt.date(2022, 5, 1),
                "category": "construction_waste",
                "tonnes": Decimal(10),
                "recycled_tonnes": Decimal(4),
            },
        )
        services.run_project_engines(actor=alice_owner, project=pilot)  # the owner's "calculate"
    assert ScoreRun.objects.filter(project=pilot, engine="waste").exists()
    after = client.get("/data.json")
    assert after["Last-Modified"] == before["Last-Modified"]
    assert after.json()["dataset"][0]["modified"] == before.json()["dataset"][0]["modified"]


@pytest.mark.parametrize("url", PUBLIC_GETS)
def test_a_change_outside_the_workflow_still_refreshes_a_date_conditional_get(client, pilot, url):
    """An administrator renames a published pilot in the Django admin (no transition, no score
    run: the data's as-of time stays). A client that revalidates with If-Modified-Since alone
    (curl -z, wget -N, many harvesters) must get the new body, not a 304 on its stale copy."""
    from greenbuild.reference.models import District

    first = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    Project.objects.filter(pk=pilot.pk).update(name="改名后的试点")
    District.objects.filter(pk=pilot.district_id).update(name_en="Renamed District")
    again = client.get(url, HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    if client.get(url, HTTP_ACCEPT_LANGUAGE="en").content == first.content:
        assert again.status_code == 304  # this answer does not show the names (the catalogue, the index)
    else:
        assert again.status_code == 200, url
        assert again["Last-Modified"] != first["Last-Modified"]
        revalidated = client.get(url, HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_MODIFIED_SINCE=again["Last-Modified"])
        assert revalidated.status_code == 304


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_no_csv_cell_starts_a_formula(client, pilot, trigger):
    """Project, owner and district names are typed by people: in the CSV none may start a formula
    when the file is opened in a spreadsheet; the JSON keeps the name as typed."""
    from greenbuild.accounts.models import Organisation
    from greenbuild.reference.models import District

    name = trigger + 'HYPERLINK("https://evil.example","点击")'
    Project.objects.filter(pk=pilot.pk).update(name=name)
    Organisation.objects.filter(pk=pilot.owner_id).update(name=trigger + "SUM(1+1)")
    District.objects.filter(pk=pilot.district_id).update(name_zh=trigger + "2+3")
    header, values = csv_rows(client.get("/api/v1/open/pilots.csv"))
    cells = dict(zip(header, values, strict=True))
    for column in ("name", "owner", "district_label"):
        assert not cells[column].startswith(("=", "+", "-", "@", "\t", "\r")), column
    assert cells["name"] == "'" + name
    assert client.get("/api/v1/open/pilots.json").json()[0]["name"] == name
