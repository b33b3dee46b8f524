"""The field policy over every surface (issue 17 item 1, SEC-02; docs/security.md "Field policy").

Marked values are planted in every confidential field the policies declare (``core.fields``):
each project's investment, investment nature, approval-system code and internal timestamps, each
organisation's credit code and contact phone, each person's e-mail address. Then every page (each
URL pattern, filled with the ids of the test world), every export (Excel, CSV, JSON, the PDF's
layout) and every API answer (each GET operation of the schema, lists and details) is read as the
public (signed out) and as outsiders (signed in, no relation to the projects), and no marker may
appear, except a reader's own organisation's and own account's.

Further tests: ``?q=`` matches the approval code only where the reader sees it, and an ``?ordering=``
on an internal field is refused (API) or not applied (pages, export). The control test shows the
bureau reading every planted value, so a leak would be seen.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from openpyxl import load_workbook

from greenbuild.accounts.models import Organisation, User
from greenbuild.core.fields import Audience, policy_for, registered_policies
from greenbuild.projects.models import Project
from greenbuild.reference.models import InvestmentNature

pytestmark = pytest.mark.django_db

APPROVAL = "GBSECRETAPPR"
INVESTMENT = Decimal("7654321.98")
NATURE = "GBSECRETNATURE"
CREDIT = "GBSECRETCC"
PHONE = "GBSECRETPHONE"
EMAIL = "gbsecret"
#: the planted internal timestamps (first submission, creation, last change)
WHEN = dt.datetime(1987, 6, 5, 4, 3, 2, tzinfo=dt.UTC)
WHEN_SHAPES = ("1987-06-05", "1987年", "1987/06", "June 5, 1987", "Jun. 5, 1987", "5 June 1987", "1987-06-0")
INVESTMENT_SHAPES = ("7654321", "7,654,321", "7 654 321")

#: the public, and an outsider: signed in, an owner applicant of another company (she reaches more
#: pages than a user with no role, whose pages are a subset of hers)
READERS = ("anonymous", "olivia_other_owner")

#: URL keyword → where its values come from; each a function of the world giving candidate values.
#: A page whose keywords are not all here fails ``test_every_page_pattern_is_walked``.
SLUGS = {
    "stage": ["evaluation", "design"],
    "kind": ["waste", "material", "energy"],
    "action": ["submit", "approve"],
    "code": ["gbt-50378-2019", "natural-resources-planning"],
    "name": ["organisations", "users", "projects"],
    "token": ["abc"],
    "condition_move": ["answer"],
    "move": ["submit"],
    "fmt": ["pdf", "xlsx"],
}
#: URL namespaces (and names) whose ``pk`` is a project's
PROJECT_PK = {"projects", "scoring", "plans", "reports"}
PK_MODEL = {
    "attachments": "attachments.Attachment",
    "notifications": "notifications.Notification",
    "jobs": "jobs.Job",
    "imports": "imports.ImportBatch",
    "reviews": "reviews.ReviewRound",
    "reviews:seat-respond": "reviews.PanelSeat",
    "reviews:seat-score": "reviews.PanelSeat",
    "conference": "conference.Meeting",
    "conference:action-item-detail": "conference.ActionItem",
    "conference:action-item-move": "conference.ActionItem",
    "conference:action-item-evidence": "conference.ActionItem",
    "conference:action-item-evidence-file": "conference.ActionItem",
    "conference:member-edit": "conference.ConferenceMember",
    "lifecycle": "lifecycle.ProjectStep",
    "lifecycle:request-create": "projects.Project",
    "lifecycle:request-detail": "lifecycle.BaselineChangeRequest",
    "lifecycle:request-decide": "lifecycle.BaselineChangeRequest",
    "documents": "documents.IssuedDocument",
    "accounts:unlock": "accounts.User",
    "api-tokens:revoke": "api.ApiToken",
    "webhooks": "webhooks.Subscription",
    "lists": "lists.SavedFilter",
    # issue 20: supervision and evaluation
    "supervision": "supervision.Draw",
    "supervision:plan-detail": "supervision.InspectionPlan",
    "supervision:plan-edit": "supervision.InspectionPlan",
    "supervision:plan-move": "supervision.InspectionPlan",
    "supervision:pool-toggle": "supervision.InspectorPoolMember",
    "supervision:evaluation-detail": "supervision.Evaluation",
    "supervision:evaluation-file": "supervision.Evaluation",
    "supervision:evaluation-move": "supervision.Evaluation",
    "inspections": "inspections.Inspection",
    "inspections:finding-detail": "inspections.Finding",
    "inspections:finding-photo": "inspections.Finding",
    "inspections:finding-photo-file": "inspections.Finding",
    "inspections:finding-order": "inspections.Finding",
    "inspections:finding-close": "inspections.Finding",
    "inspections:order-detail": "inspections.RectificationOrder",
    "inspections:order-evidence": "inspections.RectificationOrder",
    "inspections:order-evidence-file": "inspections.RectificationOrder",
    "inspections:order-deadline": "inspections.RectificationOrder",
    "inspections:order-move": "inspections.RectificationOrder",
    "completion": "completion.CompletionEvaluation",
    "completion:scheme-detail": "completion.EvaluationScheme",
    "completion:cost-delete": "completion.IncrementalCost",
    "bulletins": "bulletins.Bulletin",
    "summaries": "summaries.ProgrammeSummary",
    "publicity": "publicity.PublicNotice",
    "publicity:objection-answer": "publicity.Objection",
    "publicity:message-detail": "publicity.PublicMessage",
    "publicity:message-answer": "publicity.PublicMessage",
    "publicity:message-photo": "publicity.PublicMessage",
    "publicity:public-pilot": "projects.Project",
    "incentives": "incentives.TrainingSession",
    "incentives:bonus-detail": "incentives.BonusRecord",
    "incentives:bonus-revoke": "incentives.BonusRecord",
    "incentives:escrow-detail": "incentives.EscrowEligibility",
    "incentives:escrow-release": "incentives.EscrowEligibility",
    "incentives:enterprise": "accounts.Organisation",
    "incentives:enterprise-public": "accounts.Organisation",
}
OTHER_KWARGS = {
    "building_pk": "projects.Building",
    "item_id": "guidelines.GuidelineItem",
    "participant_pk": "projects.ProjectParticipant",
    "request_pk": "projects.WithdrawalRequest",
    "record_pk": "scoring.WasteRecord",
    "run_pk": "scoring.ScoreRun",
    "claim_pk": "scoring.ClauseClaim",
    "attachment_pk": "attachments.Attachment",
    "user_pk": "accounts.User",
    "plan_pk": "plans.GreenPlan",
    "condition_pk": "lifecycle.StepCondition",
    "item_pk": "lifecycle.StepItem",
    "number": "plans.PlanVersion",
    "project_pk": "projects.Project",
    "photo_pk": "inspections.FindingPhoto",
}
#: Pages never read here: they sign out or switch language (no content of their own).
SKIP_NAMES = {"logout", "set_language"}


# --- the world ---------------------------------------------------------------------------------


@pytest.fixture
def world(personas, filed_project):
    from greenbuild.testing.factories import file_scorecard

    alice = personas["alice_owner"]
    pilot = filed_project("confirmed", name="标记试点")
    file_scorecard(pilot, actor=alice)
    submitted = filed_project("submitted", name="标记申报")
    nature = InvestmentNature.objects.create(code="gbsecret", name_zh=NATURE, name_en=NATURE, sort_order=99)
    for n, project in enumerate(Project.objects.all()):
        Project.objects.filter(pk=project.pk).update(
            approval_code="{}{:04d}".format(APPROVAL, n),
            investment_wan_yuan=INVESTMENT,
            investment_nature=nature,
            submitted_at=WHEN,
            created_at=WHEN,
            updated_at=WHEN,
        )
    for org in Organisation.objects.all():
        Organisation.objects.filter(pk=org.pk).update(
            credit_code="{}{:06d}".format(CREDIT, org.pk), contact_phone="{}{:06d}".format(PHONE, org.pk)
        )
    for user in User.objects.all():
        User.objects.filter(pk=user.pk).update(email="{}{:06d}@example.com".format(EMAIL, user.pk))
    return {"pilot": Project.objects.get(pk=pilot.pk), "submitted": submitted, "personas": personas}


def reader_client(world: dict[str, Any], who: str) -> tuple[Client, User | None]:
    client = Client()
    if who == "anonymous":
        return client, None
    user = world["personas"][who]
    client.force_login(user)
    return client, user


def own_markers(user: User | None) -> set[str]:
    """What a reader may see of their own: their organisations' codes and phone, their e-mail."""
    if user is None:
        return set()
    mine = {"{}{:06d}@example.com".format(EMAIL, user.pk)}
    for m in user.memberships.all():
        mine |= {"{}{:06d}".format(CREDIT, m.organisation_id), "{}{:06d}".format(PHONE, m.organisation_id)}
    return mine


OPTION = re.compile(r"<option\b[^>]*>[^<]*</option>", re.S)


def leaks(text: str, user: User | None, *, vocabulary: bool = False) -> list[str]:
    """The markers in ``text`` the reader must not see. ``vocabulary``: the answer is a list of
    investment natures (a reference table or a form's choices), where the planted nature's
    name is an ordinary word, not a project's value."""
    found = []
    for pattern in (APPROVAL, CREDIT, PHONE, *INVESTMENT_SHAPES, *WHEN_SHAPES):
        found += [m.group(0) for m in re.finditer(re.escape(pattern) + r"[0-9@a-z.]*", text)]
    found += [m.group(0) for m in re.finditer(EMAIL + r"[0-9]+@example\.com", text)]
    if not vocabulary and NATURE in OPTION.sub("", text):
        found.append(NATURE)
    allowed = own_markers(user)
    return sorted({f for f in found if f not in allowed and f.split("@")[0] not in allowed})


def body_text(response: Any) -> str:
    """What a reader gets, as text: the page, the JSON or CSV, every cell of a workbook."""
    content_type = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type:
        workbook = load_workbook(io.BytesIO(content))
        return "\n".join(
            str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
        )
    if "pdf" in content_type:
        return ""  # PDFs: their layout (HTML) is read in test_the_pdf_summary_shows_no_internal_field
    return content.decode("utf-8", "replace")


# --- pages -------------------------------------------------------------------------------------


def page_patterns() -> Iterator[tuple[str, str, list[str]]]:
    """Every page's (route, URL name with namespace, keyword names): admin and API excluded."""

    def walk(patterns: Any, prefix: str, namespace: str) -> Iterator[tuple[str, str, list[str]]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                if ns in ("admin", "api") or str(p.pattern).startswith(("admin", "api")):
                    continue
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern) and p.name and p.name not in SKIP_NAMES:
                name = "{}:{}".format(namespace, p.name) if namespace else p.name
                yield prefix + str(p.pattern), name, list(p.pattern.regex.groupindex)

    yield from walk(get_resolver().url_patterns, "", "")


def candidates(name: str, keyword: str) -> list[Any]:
    from django.apps import apps

    namespace = name.split(":")[0]
    if keyword in SLUGS:
        return SLUGS[keyword]
    if keyword == "pk":
        label = PK_MODEL.get(name) or PK_MODEL.get(namespace)
        if label is None and namespace in PROJECT_PK:
            label = "projects.Project"
        if label is None:
            raise LookupError(name)
        model = apps.get_model(label)
        return list(model._default_manager.order_by("pk").values_list("pk", flat=True)[:3]) or [1]
    if keyword in OTHER_KWARGS:
        model = apps.get_model(OTHER_KWARGS[keyword])
        field = "number" if keyword == "number" else "pk"
        return list(model._default_manager.order_by("pk").values_list(field, flat=True)[:2]) or [1]
    raise LookupError("{} {}".format(name, keyword))


def fill(route: str, kwargs: dict[str, Any]) -> str:
    path = route
    for key, value in kwargs.items():
        path = re.sub(r"<(?:\w+:)?{}>".format(key), str(value), path)
        path = re.sub(r"\(\?P<{}>[^)]*\)".format(key), str(value), path)
    return "/" + path.replace("^", "").replace("$", "")


def page_urls() -> list[str]:
    urls = []
    for route, name, keywords in page_patterns():
        combos: list[dict[str, Any]] = [{}]
        for keyword in keywords:
            combos = [{**c, keyword: v} for c in combos for v in candidates(name, keyword)]
        urls += [fill(route, c) for c in combos[:3]]
    return urls


def test_every_page_pattern_is_walked(db):
    """A new page whose URL keywords this test does not know fails here (add them above)."""
    unknown = []
    for _route, name, keywords in page_patterns():
        for keyword in keywords:
            try:
                candidates(name, keyword)
            except LookupError:
                unknown.append("{} <{}>".format(name, keyword))
    assert unknown == []


@pytest.mark.parametrize("who", READERS)
def test_no_page_or_page_export_shows_a_hidden_field_to_the_public_or_an_outsider(world, who):
    client, user = reader_client(world, who)
    urls = page_urls()
    pilot = world["pilot"]
    urls += [
        "/projects/?programme=",
        "/projects/?programme=&q=标记",
        "/en/projects/{}/".format(pilot.pk),
        "/projects/export.xlsx?programme=",
        "/en/projects/export.xlsx?programme=",
    ]
    failures = []
    seen_ok = 0
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            failures.append("{}: {}".format(url, response.status_code))
            continue
        if response.status_code != 200:
            continue
        seen_ok += 1
        text = body_text(response)
        vocabulary = "<form" in text and "investment_nature" in text
        found = leaks(text, user, vocabulary=vocabulary)
        if found:
            failures.append("{}: {}".format(url, found))
    # the standards summary PDF, laid out from this HTML for whoever may start it (reports.summary)
    from django.template.loader import render_to_string

    from greenbuild.reports.summary import summary_context

    pdf_html = render_to_string("reports/pdf/standards_summary.html", summary_context(pilot))
    assert pilot.name in pdf_html
    if leaks(pdf_html, user):
        failures.append("standards summary PDF: {}".format(leaks(pdf_html, user)))
    assert failures == []
    assert seen_ok > 5  # the walk reached real pages, among them the pilot's
    assert client.get("/projects/{}/".format(pilot.pk)).status_code == 200


def test_the_markers_are_planted_where_the_readers_inside_see_them(world):
    """The control: the bureau reads every planted value of the pilot on its page, in the export
    and in the API, so the tests above would see a leak."""
    bureau = Client()
    bureau.force_login(world["personas"]["bureau"])
    pilot = world["pilot"]
    page = body_text(bureau.get("/projects/{}/".format(pilot.pk)))
    export = body_text(bureau.get("/projects/export.xlsx?programme="))
    api = body_text(bureau.get("/api/v1/projects/{}/".format(pilot.pk)))
    for text in (page, export, api):
        assert APPROVAL in text and any(shape in text for shape in INVESTMENT_SHAPES)
    assert NATURE in page and "1987-06-05" in export and "1987-06-05" in api
    listed = body_text(bureau.get("/projects/?programme="))
    assert "1987-06-05" in listed  # the list's last-change column
    organisations = body_text(bureau.get("/api/v1/organisations/"))
    assert CREDIT in organisations


# --- the API and the open data -----------------------------------------------------------------


def api_get_paths() -> list[str]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(path for path, operations in schema["paths"].items() if "get" in operations)


API_VOCABULARY = ("/api/v1/investment-natures/",)


@pytest.mark.parametrize("who", READERS)
def test_no_api_answer_or_open_data_shows_a_hidden_field_to_the_public_or_an_outsider(world, who):
    client, user = reader_client(world, who)  # signed in through the session, as the browser reads the API
    headers: dict[str, str] = {}
    project_ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    failures = []
    answered = 0
    for template in api_get_paths():
        params = re.findall(r"\{(\w+)\}", template)
        if not params:
            urls = [template, template + ("?limit=500" if template.endswith("/") else "")]
        else:
            values: list[Any] = []
            base = template.split("{")[0]
            listed = client.get(base, **headers) if base.endswith("/") and base != "/api/v1/projects/" else None
            if listed is not None and listed.status_code == 200 and "results" in listed.json():
                values = [row.get("id") for row in listed.json()["results"][:3] if row.get("id")]
            values = values + project_ids
            urls = []
            for value in values:
                path = template
                for param in params:
                    path = path.replace("{" + param + "}", str(SLUGS.get(param, [value])[0]))
                urls.append(path)
        for url in urls:
            response = client.get(url, **headers)
            if response.status_code >= 500:
                failures.append("{}: {}".format(url, response.status_code))
            if response.status_code != 200:
                continue
            answered += 1
            found = leaks(body_text(response), user, vocabulary=url.startswith(API_VOCABULARY))
            if found:
                failures.append("{}: {}".format(url, found))
    assert failures == []
    assert answered > 10
    pilot = client.get("/api/v1/projects/{}/".format(world["pilot"].pk), **headers)
    assert pilot.status_code == 200 and "approval_code" not in pilot.json()


def test_open_data_names_only_public_fields():
    from greenbuild.api.open_data import SOURCE_FIELDS

    policy = policy_for(Project)
    assert [f for f in SOURCE_FIELDS if policy.level(f) > Audience.PUBLIC] == []


def test_every_declared_field_exists_on_its_model():
    """A typo in a declaration would leave the real field public."""
    problems = []
    for policy in registered_policies():
        names = {f.name for f in policy.model_class._meta.get_fields()}
        api_only = {"available_actions", "memberships"}
        for name in policy.hidden:
            if name not in names and name not in api_only:
                problems.append("{}.{}".format(policy.label, name))
    assert problems == []
    assert {"projects.project", "accounts.organisation", "accounts.user", "reviews.expertprofile"} <= {
        p.label for p in registered_policies()
    }


# --- search and ordering -----------------------------------------------------------------------


def test_search_matches_the_approval_code_only_for_readers_who_see_it(world):
    pilot = world["pilot"]
    code = Project.objects.get(pk=pilot.pk).approval_code
    for who in READERS:
        client, _user = reader_client(world, who)
        assert client.get("/api/v1/projects/", {"q": code}).json()["count"] == 0, who
        assert pilot.name not in client.get("/projects/", {"q": code, "programme": ""}).content.decode(), who
        assert client.get("/api/v1/projects/", {"q": code[:-1]}).json()["count"] == 0, who  # no probing by prefix
        assert client.get("/api/v1/projects/", {"q": "标记试点"}).json()["count"] == 1, who
    bureau = Client()
    bureau.force_login(world["personas"]["bureau"])
    assert pilot.name in bureau.get("/projects/", {"q": code, "programme": ""}).content.decode()
    assert bureau.get("/api/v1/projects/", {"q": code}).json()["count"] == 1


def test_ordering_by_an_internal_field_is_refused_to_readers_who_do_not_see_it(world):
    bureau = Client()
    bureau.force_login(world["personas"]["bureau"])
    for field in ("submitted_at", "-created_at", "updated_at", "name,-updated_at"):
        for who in READERS:
            client, _user = reader_client(world, who)
            response = client.get("/api/v1/projects/", {"ordering": field})
            assert response.status_code == 400, (who, field)
            body = response.json()
            assert body["status"] == 400 and body["code"] == "invalid" and "ordering" in body["errors"], who
            assert client.get("/api/v1/projects/", {"ordering": "-name"}).status_code == 200, who
        assert bureau.get("/api/v1/projects/", {"ordering": field}).status_code == 200, field
    # The page and its export have no ?ordering=: their order is the newest change first for
    # readers who see every listed project's last change, else the newest project first.
    from greenbuild.projects.filters import visible_order

    pilot, submitted = world["pilot"], world["submitted"]
    assert pilot.pk < submitted.pk
    Project.objects.filter(pk=pilot.pk).update(updated_at=WHEN + dt.timedelta(days=1))  # changed last
    by_change, by_age = [pilot.pk, submitted.pk], [submitted.pk, pilot.pk]
    for who, expected in (("bureau", by_change), ("alice_owner", by_change), ("olivia_other_owner", by_age)):
        rows = visible_order(Project.objects.filter(pk__in=by_age), world["personas"][who])
        assert list(rows.values_list("pk", flat=True)) == expected, who
    assert list(visible_order(Project.objects.filter(pk__in=by_age), None).values_list("pk", flat=True)) == by_age


def test_an_owner_may_order_their_own_projects_by_an_internal_field_but_not_a_mixed_list(world):
    alice = Client()
    alice.force_login(world["personas"]["alice_owner"])
    # alice sees inside every project of the world (both are hers)
    assert alice.get("/api/v1/projects/", {"ordering": "-submitted_at"}).status_code == 200
    # a confirmed pilot of another owner joins her list: its dates are hidden from her
    from greenbuild.testing.factories import move_to

    olivia, personas = world["personas"]["olivia_other_owner"], world["personas"]
    from greenbuild.testing.factories import make_project

    other = make_project(olivia, name="他人试点", district="wujin")
    move_to(other, "confirmed", owner=olivia, district_official=personas["wu_district"], bureau=personas["bureau"])
    assert alice.get("/api/v1/projects/", {"ordering": "-submitted_at"}).status_code == 400
    assert (
        alice.get("/api/v1/projects/", {"ordering": "-submitted_at", "programme": "", "q": "标记"}).status_code == 200
    )


def test_an_experts_employer_is_read_by_the_pool_the_expert_and_fellow_panel_members_only(world):
    from greenbuild.core.fields import field_access
    from greenbuild.reviews.choices import SeatResponse
    from greenbuild.reviews.models import ExpertProfile, PanelSeat

    seats = list(
        PanelSeat.objects.filter(round__plan__project=world["pilot"])
        .exclude(response=SeatResponse.DECLINED)
        .select_related("expert")
        .order_by("order")
    )
    # The draw is random, and one of the demo's experts works for a contractor that exists only in
    # the demo (no employer in this world): read the employer of a seated expert who has one.
    with_employer = [seat for seat in seats if ExpertProfile.objects.filter(user=seat.expert, employer__isnull=False)]
    first = with_employer[0].expert
    fellow = next(seat.expert for seat in seats if seat.expert != first)

    def shown(user):
        return field_access(user, ExpertProfile.objects.get(user=first))  # a fresh object: no cached answer

    assert shown(first).employer and shown(first).available
    assert shown(world["personas"]["bureau"]).employer and shown(world["personas"]["bureau"]).available
    assert shown(fellow).employer and not shown(fellow).available  # a fellow panel member: an insider
    for outsider in (None, world["personas"]["olivia_other_owner"], world["personas"]["eve_expert"]):
        assert not shown(outsider).employer, outsider
    client = Client()
    client.force_login(fellow)
    page = client.get("/reviews/{}/".format(with_employer[0].round_id)).content.decode()
    employer = ExpertProfile.objects.get(user=first).employer
    assert employer is not None and employer.name in page


def test_a_template_asks_the_policy_through_field_access(world):
    from django.template import engines
    from django.test import RequestFactory

    template = engines["django"].from_string(
        "{% load fields %}{% field_access project as shown %}"
        "[{% if shown.approval_code %}code{% endif %}|{% if shown.name %}name{% endif %}|"
        "{% if shown.internal %}internal{% endif %}]"
    )
    request = RequestFactory().get("/")
    for user, expected in ((None, "[|name|]"), (world["personas"]["bureau"], "[code|name|internal]")):
        request.user = user
        project = Project.objects.get(pk=world["pilot"].pk)
        assert template.render({"project": project, "request": request}) == expected


def test_the_schema_does_not_promise_a_field_the_policy_may_hide():
    """A field some reader does not receive is not ``required`` in the answer's schema (a client
    generated from it would refuse the public's and an outsider's answers)."""
    from drf_spectacular.generators import SchemaGenerator

    schemas = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    promised = {}
    for name, model in {
        "Project": Project,
        "Organisation": Organisation,
        "User": User,
        "ExpertProfile": "reviews.ExpertProfile",
    }.items():
        hidden = policy_for(model).hidden_from(Audience.PUBLIC)
        promised[name] = sorted(set(schemas[name].get("required", [])) & hidden)
        assert set(schemas[name]["properties"]) & hidden, name  # still described, only optional
    assert promised == {"Project": [], "Organisation": [], "User": [], "ExpertProfile": []}


def test_a_path_through_a_relation_takes_the_related_models_policy(db):
    """``owner__credit_code`` is the organisation's hidden credit code, not a public field of the
    project; lookups on a project's own public field stay public."""
    from greenbuild.core.fields import Audience, policy_for

    policy = policy_for("projects.Project")
    assert policy.level("owner__credit_code") == Audience.INTERNAL
    assert policy.level("-owner__credit_code__startswith") == Audience.INTERNAL
    assert policy.level("owner__name") == Audience.PUBLIC
    assert policy.level("name__icontains") == Audience.PUBLIC
    assert policy.level("approval_code__icontains") == Audience.INTERNAL
