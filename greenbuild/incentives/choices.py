from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EnterpriseRole(models.TextChoices):
    """An enterprise's role in a pilot: the owner (建设单位) and the participants' roles
    (``projects.ParticipantRole``), as the bonus rule names them."""

    OWNER = "owner", _("Owner")
    EPC_CONTRACTOR = "epc_contractor", _("EPC contractor")
    DESIGNER = "designer", _("Designer")
    CONTRACTOR = "contractor", _("Contractor")
    SUPERVISOR = "supervisor", _("Supervisor")
    CONSULTANT = "consultant", _("Whole-process consultant")
    MANUFACTURER = "manufacturer", _("Component manufacturer")
    EVALUATOR = "evaluator", _("Third-party evaluator")


class ResultLevel(models.TextChoices):
    """The completion evaluation's result as the bonus rule grades it."""

    EXCELLENT = "excellent", _("Passed with distinction")
    PASSED = "passed", _("Passed")


class BonusStatus(models.TextChoices):
    ACTIVE = "active", _("In force")
    REVOKED = "revoked", _("Revoked")


BONUS_STATUS_COLOURS = {BonusStatus.ACTIVE: "success", BonusStatus.REVOKED: "secondary"}


class EscrowStatus(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible for release")
    INELIGIBLE = "ineligible", _("Not eligible")
    RELEASED = "released", _("Released")


ESCROW_STATUS_COLOURS = {
    EscrowStatus.ELIGIBLE: "success",
    EscrowStatus.INELIGIBLE: "danger",
    EscrowStatus.RELEASED: "primary",
}


class Audience(models.TextChoices):
    """Who a training session is for (R26: 开发、设计、生产、施工、监理、检测)."""

    DEVELOPMENT = "development", pgettext_lazy("training audience", "Development")
    DESIGN = "design", pgettext_lazy("training audience", "Design")
    PRODUCTION = "production", pgettext_lazy("training audience", "Production")
    CONSTRUCTION = "construction", pgettext_lazy("training audience", "Construction")
    SUPERVISION = "supervision", pgettext_lazy("training audience", "Supervision")
    TESTING = "testing", pgettext_lazy("training audience", "Testing")


#: The project category whose pilots hold pre-sale escrow funds (reference data, ProjectCategory.code).
REAL_ESTATE_CATEGORY = "real-estate"
