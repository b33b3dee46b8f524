"""The reviews app's field policy (``core.fields``) for expert profiles.

* the expert's declared relations (the conflicts the draw avoids) and availability: the pool's
  managers (the bureau) and the expert (internal);
* the employer: also the experts sitting on a panel with them (insiders: the round page names
  each panel member's employer to the panel);
* name, professional title and specialties: public.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from greenbuild.core.fields import Audience, FieldPolicy, register_field_policy


def profile_audience(user: Any, profile: Any) -> Audience:
    from greenbuild.reviews.choices import SeatResponse
    from greenbuild.reviews.models import PanelSeat
    from greenbuild.reviews.permissions import can_manage_pool

    if not getattr(user, "is_authenticated", False):
        return Audience.PUBLIC
    if profile.user_id == user.pk or can_manage_pool(user):
        return Audience.INTERNAL
    fellow = (
        PanelSeat.objects.filter(expert_id=user.pk, round__seats__expert_id=profile.user_id)
        .exclude(response=SeatResponse.DECLINED)
        .exists()
    )
    return Audience.INSIDER if fellow else Audience.PUBLIC


def profile_internal_scope(user: Any) -> Q:
    from greenbuild.reviews.permissions import can_manage_pool

    if can_manage_pool(user):
        return Q()
    return Q(user_id=user.pk) if getattr(user, "is_authenticated", False) else Q(pk__in=[])


EXPERT_PROFILE_FIELDS = register_field_policy(
    FieldPolicy(
        model="reviews.ExpertProfile",
        insider=frozenset({"employer"}),
        internal=frozenset({"related_organisations", "available"}),
        audience=profile_audience,
        internal_scope=profile_internal_scope,
        aliases={"employer_name": "employer", "employer_id": "employer"},
    )
)
