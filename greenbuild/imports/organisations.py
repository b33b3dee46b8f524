"""The bureau's first imports: organisations (credit codes checked) and their users.

Organisations are imported first; a user row names its organisation by credit code or by name,
as it is in the platform. Imported users get the initial password typed on the import form (it
is never stored in the file) and must change it at their first sign-in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from greenbuild.accounts.choices import OrganisationKind, Role
from greenbuild.accounts.models import Membership, Organisation, User
from greenbuild.core.credit_code import is_valid_credit_code
from greenbuild.imports.base import Column, Importer, RowError, join_list
from greenbuild.reference.models import Department, District

#: Not the three separated administrators: only the security administrator grants those (docs/security.md).
IMPORTABLE_ROLES = [r for r in Role if r not in (Role.PUBLIC, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)]


def _choice_lookup(choices: Any) -> dict[str, str]:
    """Code, Chinese label and English label (normalised) → code."""
    lookup: dict[str, str] = {}
    for choice in choices:
        lookup[choice.value.lower()] = choice.value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                lookup[str(choice.label).strip().lower()] = choice.value
    return lookup


def _reference_lookup(model: Any) -> dict[str, Any]:
    lookup: dict[str, Any] = {}
    for item in model.objects.filter(active=True):
        for key in (item.code, item.name_zh, item.name_en):
            if key:
                lookup[key.strip().lower()] = item
    return lookup


def _labels(choices: Any) -> str:
    return join_list([c.label for c in choices])


def _lookup_district(districts: dict[str, Any], values: dict[str, str], errors: dict[str, list[str]]) -> Any:
    """The row's district (None when the cell is empty or unknown; an unknown one adds an error)."""
    if not values.get("district"):
        return None
    district = districts.get(values["district"].lower())
    if district is None:
        errors.setdefault("district", []).append(
            _("“{value}” is not a district of the platform").format(value=values["district"])
        )
    return district


def _uniqueness_errors(
    rows: list[tuple[int, dict[str, Any]]],
    key: str,
    label: str,
    existing: set[str],
    *,
    normalise: Callable[[str], str],
) -> list[RowError]:
    """A row whose ``key`` (after ``normalise``) is in ``existing`` or in an earlier row is an error."""
    errors: list[RowError] = []
    first: dict[str, int] = {}
    for number, values in rows:
        value = values[key]
        seen = normalise(value)
        if seen in existing:
            errors.append(RowError(number, label, _("“{value}” is already in the platform").format(value=value)))
        elif seen in first:
            errors.append(
                RowError(number, label, _("“{value}” is also in row {row}").format(value=value, row=first[seen]))
            )
        else:
            first[seen] = number
    return errors


class OrganisationImporter(Importer):
    name = "organisations"
    label = gettext_lazy("Organisations")
    columns = (
        Column(
            "name",
            gettext_lazy("Organisation name"),
            ("name", "单位名称", "名称", "organisation"),
            example="常州示例建设有限公司",
            help=gettext_lazy("The full registered name; must not exist in the platform yet."),
        ),
        Column(
            "credit_code",
            gettext_lazy("Unified social credit code"),
            ("credit code", "credit_code", "统一社会信用代码", "信用代码"),
            example="91320402MA1XXXXXX0",
            help=gettext_lazy("18 characters, GB 32100-2015, with its check digit."),
        ),
        Column(
            "kind",
            gettext_lazy("Organisation kind"),
            ("kind", "type", "单位类型", "类型"),
            example=OrganisationKind.CONTRACTOR.label,
            help=gettext_lazy("One of the organisation kinds of the platform, in Chinese or English."),
        ),
        Column(
            "district",
            gettext_lazy("District"),
            ("district", "所属区", "区", "辖市区"),
            required=False,
            example="天宁区",
            help=gettext_lazy("Optional: the district the organisation belongs to."),
        ),
        Column(
            "contact_phone",
            gettext_lazy("Contact phone"),
            ("phone", "contact phone", "联系电话", "电话"),
            required=False,
            example="0519-88880000",
            help=gettext_lazy("Optional."),
        ),
    )

    def __init__(self) -> None:
        self.kinds = _choice_lookup(OrganisationKind)
        self.districts = _reference_lookup(District)

    def clean_row(self, values: dict[str, str]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        name = values.get("name", "")
        if not name:
            errors.setdefault("name", []).append(_("is required"))
        elif len(name) > 200:
            errors.setdefault("name", []).append(_("is longer than {limit} characters").format(limit=200))
        code = values.get("credit_code", "").replace(" ", "").upper()
        if not code:
            errors.setdefault("credit_code", []).append(_("is required"))
        elif not is_valid_credit_code(code):
            errors.setdefault("credit_code", []).append(
                _(
                    "“{code}” is not a valid unified social credit code (GB 32100: 18 characters with a check digit)"
                ).format(code=code)
            )
        kind = self.kinds.get(values.get("kind", "").lower())
        if kind is None:
            errors.setdefault("kind", []).append(
                _("“{value}” is not an organisation kind; use one of: {choices}").format(
                    value=values.get("kind", ""), choices=_labels(OrganisationKind)
                )
            )
        district = _lookup_district(self.districts, values, errors)
        phone = values.get("contact_phone", "")
        if len(phone) > 40:
            errors.setdefault("contact_phone", []).append(_("is longer than {limit} characters").format(limit=40))
        if errors:
            raise ValidationError(errors)
        return {"name": name, "credit_code": code, "kind": kind, "district": district, "contact_phone": phone}

    def check_rows(self, rows: list[tuple[int, dict[str, Any]]]) -> list[RowError]:
        errors: list[RowError] = []
        for key in ("name", "credit_code"):
            wanted = {values[key] for _n, values in rows}
            existing = set(Organisation.objects.filter(**{key + "__in": wanted}).values_list(key, flat=True))
            errors += _uniqueness_errors(rows, key, self.label_of(key), existing, normalise=str)
        return errors

    def write(self, rows: list[dict[str, Any]], *, actor: Any, options: dict[str, Any]) -> int:
        objects = [Organisation(**values) for values in rows]
        for obj in objects:  # the models' own field checks (the district was resolved from the table)
            obj.full_clean(exclude=["district"], validate_unique=False)
        bulk_create_with_history(objects, Organisation, batch_size=500, default_user=actor)
        return len(objects)


class UserImporter(Importer):
    name = "users"
    label = gettext_lazy("Users")
    columns = (
        Column(
            "username",
            gettext_lazy("Username"),
            ("username", "用户名", "登录名", "账号"),
            example="zhang.san",
            help=gettext_lazy("Letters, digits and @ . + - _ only; must not exist in the platform yet."),
        ),
        Column(
            "display_name",
            gettext_lazy("Name"),
            ("name", "display name", "姓名", "名字"),
            example="张三",
            help=gettext_lazy("The person's name as others see it."),
        ),
        Column(
            "email",
            gettext_lazy("Email"),
            ("email", "e-mail", "邮箱", "电子邮箱"),
            required=False,
            example="zhangsan@example.com",
            help=gettext_lazy("Optional."),
        ),
        Column(
            "role",
            gettext_lazy("Role"),
            ("role", "角色"),
            example=Role.OWNER_APPLICANT.label,
            help=gettext_lazy("One of the roles of the platform, in Chinese or English."),
        ),
        Column(
            "organisation",
            gettext_lazy("Organisation"),
            ("organisation", "organization", "所属单位", "单位"),
            example="常州示例建设有限公司",
            help=gettext_lazy("The organisation's name or credit code, as it is in the platform."),
        ),
        Column(
            "district",
            gettext_lazy("District scope"),
            ("district", "所属区", "区"),
            required=False,
            example="",
            help=gettext_lazy("Required for district officials."),
        ),
        Column(
            "department",
            gettext_lazy("Department scope"),
            ("department", "部门"),
            required=False,
            example="",
            help=gettext_lazy("Required for department reviewers."),
        ),
    )

    def __init__(self) -> None:
        self.roles = _choice_lookup(Role)
        self.districts = _reference_lookup(District)
        self.departments = _reference_lookup(Department)
        self.organisations: dict[str, Organisation] = {}
        for org in Organisation.objects.all():
            self.organisations[org.credit_code.lower()] = org
            self.organisations[org.name.strip().lower()] = org

    def clean_row(self, values: dict[str, str]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        username = values.get("username", "")
        if not username:
            errors.setdefault("username", []).append(_("is required"))
        else:
            try:
                User.username_validator(username)
                if len(username) > 150:
                    raise ValidationError(_("is longer than {limit} characters").format(limit=150))
            except ValidationError as error:
                errors.setdefault("username", []).extend(error.messages)
        name = values.get("display_name", "")
        if not name:
            errors.setdefault("display_name", []).append(_("is required"))
        elif len(name) > 100:
            errors.setdefault("display_name", []).append(_("is longer than {limit} characters").format(limit=100))
        email = values.get("email", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.setdefault("email", []).append(_("“{value}” is not an email address").format(value=email))
        role = self.roles.get(values.get("role", "").lower())
        if role is None or role not in IMPORTABLE_ROLES:
            errors.setdefault("role", []).append(
                _("“{value}” is not a role; use one of: {choices}").format(
                    value=values.get("role", ""), choices=_labels(IMPORTABLE_ROLES)
                )
            )
        organisation = self.organisations.get(values.get("organisation", "").lower())
        if organisation is None:
            errors.setdefault("organisation", []).append(
                _("“{value}” is not an organisation of the platform (import the organisations first)").format(
                    value=values.get("organisation", "")
                )
            )
        department = None
        district = _lookup_district(self.districts, values, errors)
        if not values.get("district") and role == Role.DISTRICT_OFFICIAL:
            errors.setdefault("district", []).append(_("A district official must be scoped to a district."))
        if values.get("department"):
            department = self.departments.get(values["department"].lower())
            if department is None:
                errors.setdefault("department", []).append(
                    _("“{value}” is not a department of the platform").format(value=values["department"])
                )
        elif role == Role.DEPARTMENT_REVIEWER:
            errors.setdefault("department", []).append(_("A department reviewer must be scoped to a department."))
        if errors:
            raise ValidationError(errors)
        return {
            "username": username,
            "display_name": name,
            "email": email,
            "role": role,
            "organisation": organisation,
            "district": district if role == Role.DISTRICT_OFFICIAL else None,
            "department": department if role == Role.DEPARTMENT_REVIEWER else None,
        }

    def check_rows(self, rows: list[tuple[int, dict[str, Any]]]) -> list[RowError]:
        names = [values["username"] for _n, values in rows]
        existing = {u.lower() for u in User.objects.filter(username__in=names).values_list("username", flat=True)}
        return _uniqueness_errors(rows, "username", self.label_of("username"), existing, normalise=str.lower)

    def write(self, rows: list[dict[str, Any]], *, actor: Any, options: dict[str, Any]) -> int:
        password_hash = options["password_hash"]
        users = User.objects.bulk_create(
            [
                User(
                    username=values["username"],
                    display_name=values["display_name"],
                    email=values["email"],
                    password=password_hash,
                    must_change_password=True,
                )
                for values in rows
            ],
            batch_size=500,
        )
        if any(user.pk is None for user in users):  # a backend that does not return keys
            by_name = User.objects.in_bulk([v["username"] for v in rows], field_name="username")
            users = [by_name[v["username"]] for v in rows]
        Membership.objects.bulk_create(
            [
                Membership(
                    user=user,
                    organisation=values["organisation"],
                    role=values["role"],
                    district=values["district"],
                    department=values["department"],
                )
                for user, values in zip(users, rows, strict=True)
            ],
            batch_size=500,
        )
        return len(users)


def check_initial_password(password: str) -> None:
    """The initial password must pass the platform's password rules (ValidationError otherwise)."""
    validate_password(password)


IMPORTERS: dict[str, type[Importer]] = {
    OrganisationImporter.name: OrganisationImporter,
    UserImporter.name: UserImporter,
}
