"""Pages of the register: the documents a user may read, one document (download, re-issue), and
the public verification page (no sign-in) reached by a document's QR code."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from greenbuild.attachments.downloads import content_disposition
from greenbuild.core.errors import DomainError
from greenbuild.core.forms import apply_service_error
from greenbuild.documents import permissions, services
from greenbuild.documents.forms import CopyForm, ReissueForm
from greenbuild.documents.models import IssuedDocument
from greenbuild.documents.registry import kinds

LIST_LIMIT = 200


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    documents = (
        IssuedDocument.objects.for_user(request.user)
        .select_related("superseded_by", "project")
        .order_by("-issued_at", "-pk")[:LIST_LIMIT]
    )
    return render(request, "documents/document_list.html", {"documents": documents})


def _detail_context(request: HttpRequest, document: IssuedDocument, form: Any = None) -> dict[str, Any]:
    spec = kinds().get(document.kind)
    obj = document.subject_object
    may_reissue = document.is_current and permissions.can(request.user, permissions.ISSUE, document)
    return {
        "document": document,
        "subject_url": spec.url_of(obj) if spec is not None and obj is not None else None,
        "form": (form or ReissueForm()) if may_reissue else None,
        "chain": _chain(document),
    }


def _chain(document: IssuedDocument) -> list[IssuedDocument]:
    """Every issue of the document's object and kind, the first first."""
    return list(
        IssuedDocument.objects.filter(
            kind=document.kind, content_type_id=document.content_type_id, object_id=document.object_id
        )
        .select_related("superseded_by")
        .order_by("issued_at", "pk")
    )


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = permissions.get_document_for_user(request.user, pk)
    return render(request, "documents/document_detail.html", _detail_context(request, document))


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """The filed PDF, through the object's gate (404 for whoever may not see the object)."""
    document = permissions.get_document_for_user(request.user, pk)
    attachment = document.file
    response = FileResponse(attachment.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        attachment.original_name, default_stem="document-{}".format(document.pk)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@login_required
def document_reissue(request: HttpRequest, pk: int) -> HttpResponse:
    """The re-issue form, at its own address: a refused form comes back here with its input."""
    document = permissions.get_document_for_user(request.user, pk, permissions.ISSUE)
    successor = document.successor
    if successor is not None:
        # a superseded document is re-issued no more: the page offers no form, it names the successor
        return render(
            request, "documents/document_reissue.html", {"document": document, "form": None, "successor": successor}
        )
    if request.method == "POST":
        form = ReissueForm(request.POST)
        if form.is_valid():
            try:
                new = services.reissue_document(
                    actor=request.user, document_id=document.pk, reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                apply_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("{number} has been issued; {old} is void.").format(number=new.number, old=document.number),
                )
                return redirect("documents:document-detail", pk=new.pk)
    else:
        form = ReissueForm()
    return render(request, "documents/document_reissue.html", {"document": document, "form": form})


# --- public verification -----------------------------------------------------------------------


def public_facts(document: IssuedDocument) -> dict[str, Any]:
    """What the public verification page shows of a document, and nothing else."""
    successor = document.successor
    return {
        "number": document.number,
        "kind": document.kind_label,
        "issued_on": document.issued_at,
        "issuer": document.issuer_name,
        "subject": document.subject,
        "sha256": document.sha256,
        "current": successor is None,
        "superseded_by": successor.number if successor is not None else "",
        "superseded_by_token": successor.token if successor is not None else "",
        "supersedes": document.supersedes.number if document.supersedes is not None else "",
        "token": document.token,
    }


def _copy_result(form: CopyForm) -> str | None:
    """The uploaded copy's SHA-256, or None with the form's error set."""
    try:
        return services.check_copy(form.cleaned_data["file"])
    except ValidationError as error:
        apply_service_error(form, error)
        return None


def verify(request: HttpRequest, token: str) -> HttpResponse:
    """A document's public face (number, kind, date, issuer, subject, SHA-256); an uploaded copy
    is compared with the issued file by its hash. Open to everybody, so it takes no more than the
    platform's default request size (no ``accepts_uploads``: a copy is small)."""
    document = IssuedDocument.objects.select_related("supersedes").filter(token=token).first()
    if document is None:
        raise Http404("No such document.")
    result: dict[str, Any] | None = None
    if request.method == "POST":
        form = CopyForm(request.POST, request.FILES)
        if form.is_valid():
            digest = _copy_result(form)
            if digest is not None:
                result = {"matches": digest == document.sha256, "sha256": digest}
    else:
        form = CopyForm()
    return render(request, "documents/verify.html", {"facts": public_facts(document), "form": form, "result": result})


def verify_start(request: HttpRequest) -> HttpResponse:
    """Upload a copy: is it a document the platform issued?"""
    result: dict[str, Any] | None = None
    if request.method == "POST":
        form = CopyForm(request.POST, request.FILES)
        if form.is_valid():
            digest = _copy_result(form)
            if digest is not None:
                found = IssuedDocument.objects.filter(sha256=digest).order_by("pk").first()
                result = {"sha256": digest, "facts": public_facts(found) if found is not None else None}
    else:
        form = CopyForm()
    return render(request, "documents/verify_start.html", {"form": form, "result": result})
