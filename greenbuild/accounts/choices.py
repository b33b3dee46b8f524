from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    BUREAU = "bureau", _("Housing and construction bureau (programme office)")
    DISTRICT_GOVERNMENT = "district_government", _("District government")
    DEPARTMENT = "department", _("Government department")
    OWNER = "owner", _("Project owner")
    DESIGNER = "designer", _("Design institute")
    CONTRACTOR = "contractor", _("Contractor")
    SUPERVISOR = "supervisor", _("Supervision company")
    CONSULTANT = "consultant", _("Consultant")
    MANUFACTURER = "manufacturer", _("Materials manufacturer")
    EVALUATOR = "evaluator", _("Third-party evaluator")
    EXPERT_POOL = "expert_pool", _("Expert pool")


class Role(models.TextChoices):
    """What a membership lets a person do (issue 2 §5)."""

    BUREAU_ADMIN = "bureau_admin", _("Bureau administrator")
    DISTRICT_OFFICIAL = "district_official", _("District official")
    DEPARTMENT_REVIEWER = "department_reviewer", _("Department reviewer")
    OWNER_APPLICANT = "owner_applicant", _("Owner applicant")
    PARTICIPANT = "participant", _("Participant")
    EXPERT = "expert", _("Expert")
    EVALUATOR = "evaluator", _("Third-party evaluator")
    PUBLIC = "public", _("Public")
    # The three separated administrators of GB/T 22239-2019 level 3 (三员; docs/security.md, "Duties").
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")
