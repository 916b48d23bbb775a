"""The AI editor's screens in the admin: "Schrijf met AI", rewrites, alt text and the AI review.

Thin views: the work is in newsletter.drafting (sources, the draft job, the revision), in
newsletter.ai_review (what the reviewer sees) and in drafting.api (the AI itself). A newsletter
draft runs in the worker; the page polls drafting's job URL. Rewrites and alt text are short and
made while the editor waits.
"""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from drafting import api
from newsletter import ai_review
from newsletter import drafting as newsletter_drafting
from newsletter.drafting_forms import DraftForm
from newsletter.models import AIDraft, AIRewrite, NewsletterIndexPage, NewsletterPage

REWRITE_ACTIONS = {
    "shorter": _("Shorter"),
    "simpler": _("Simpler (B1)"),
    "formal": _("More formal"),
    "informal": _("More informal"),
    "spelling": _("Fix spelling"),
    "continue": _("Continue writing"),
    "translate_en": _("Translate to English"),
    "translate_nl": _("Translate to Dutch"),
}
RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3"]
REWRITE_LIMIT = 5000  # characters: a block, not a document


def _require_ai_user(user):
    if not newsletter_drafting.may_draft(user):
        raise PermissionDenied


def _pending_job(page, user):
    return (
        api.DraftJob.objects.filter(
            user=user,
            handler=newsletter_drafting.HANDLER,
            target__page_id=page.pk,
            state__in=[api.DraftJob.State.QUEUED, api.DraftJob.State.RUNNING],
        )
        .order_by("-pk")
        .first()
    )


def _form_page(request, *, page, index, form, job=None, refused: str = ""):
    return TemplateResponse(
        request,
        "newsletter/drafting/draft_form.html",
        {
            "page": page,
            "index": index,
            "form": form,
            "job": job,
            "job_url": reverse("drafting:job", args=[job.pk]) if job else "",
            "refused": refused,
            "ai_available": api.is_available(),
            "page_title": _("Write with AI"),
        },
    )


def _initial_from_job(job) -> dict:
    choices = (job.target or {}).get("choices") or {}
    return {key: value for key, value in choices.items()}


@require_http_methods(["GET", "POST"])
def draft_newsletter(request, page_id: int):
    """ "Schrijf met AI" on an existing newsletter: the form, then the job's progress beside it."""
    _require_ai_user(request.user)
    page = get_object_or_404(NewsletterPage, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    job = None
    if request.method == "POST":
        form = DraftForm(request.POST)
        if form.is_valid():
            try:
                job = newsletter_drafting.start_newsletter_draft(
                    page=page, user=request.user, choices=form.choices()
                )
            except newsletter_drafting.DraftRefused as refused:
                return _form_page(request, page=page, index=None, form=form, refused=refused.message)
            return redirect(f"{reverse('newsletter_ai_draft', args=[page.pk])}?taak={job.pk}")
        return _form_page(request, page=page, index=None, form=form)
    job_id = request.GET.get("taak", "")
    if job_id.isdigit():
        job = api.DraftJob.objects.filter(pk=job_id, user=request.user, target__page_id=page.pk).first()
    job = job or _pending_job(page, request.user)
    initial = _initial_from_job(job) if job else {"kind": page.kind}
    form = DraftForm(initial=initial)
    refused = ""
    try:
        newsletter_drafting.check_can_draft(page=page, user=request.user)
    except newsletter_drafting.DraftRefused as error:
        refused = error.message
    return _form_page(request, page=page, index=None, form=form, job=job, refused=refused)


@require_http_methods(["GET", "POST"])
def draft_new_newsletter(request, index_id: int):
    """ "Schrijf met AI" for a new newsletter: makes an empty draft, then drafts into it."""
    _require_ai_user(request.user)
    index = get_object_or_404(NewsletterIndexPage, pk=index_id)
    if not index.permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied
    form = DraftForm(request.POST or None, with_title=True)
    if request.method == "POST" and form.is_valid():
        page = newsletter_drafting.create_newsletter_for_draft(
            index=index, user=request.user, title=form.cleaned_data["title"], kind=form.cleaned_data["kind"]
        )
        job = newsletter_drafting.start_newsletter_draft(page=page, user=request.user, choices=form.choices())
        return redirect(f"{reverse('newsletter_ai_draft', args=[page.pk])}?taak={job.pk}")
    return _form_page(request, page=None, index=index, form=form)


@require_GET
def editor_config(request):
    """What the editor's AI buttons need: whether to show them, labels, addresses, this page's AI state."""
    may = newsletter_drafting.may_draft(request.user)
    data = {
        "rewrite": may,
        "images": may and api.supports_images(),
        "template": not api.is_available(),
        "actions": [{"name": k, "label": str(v)} for k, v in REWRITE_ACTIONS.items()],
        "rewrite_url": reverse("newsletter_ai_rewrite"),
        "accepted_url": reverse("newsletter_ai_rewrite_accepted"),
        "alt_url": reverse("newsletter_ai_alt_text", args=[0]),
        "labels": {
            "menu": _("Rewrite with AI"),
            "write": _("Write with AI"),
            "write_help": _("A draft from your brief and the centre's news, events and year plan."),
            "working": _("The AI editor is rewriting…"),
            "suggestion": _("Suggestion"),
            "accept": _("Accept"),
            "reject": _("Reject"),
            "undo": _("Undo"),
            "retry": _("Try again"),
            "accepted": _("Suggestion accepted."),
            "template": _("Template — no AI server: the text is composed from the sources."),
            "alt": _("Suggest alt text"),
            "alt_save": _("Use as alt text"),
            "alt_saved": _("Alt text saved with the image."),
            "subject_choices": _("Subject lines from the AI draft:"),
            "preheader_choice": _("Preview text from the AI draft:"),
            "pending": _(
                "The AI editor is writing a new version of this newsletter. You can keep working; "
                "save your changes before you open the new version."
            ),
            "done": _("The AI draft is ready as a new version."),
            "open": _("Open the new version"),
            "review": _("This newsletter contains text written by the AI editor."),
            "review_link": _("See the AI check"),
            "error": _("The AI editor could not be reached. Please try again."),
        },
    }
    page_id = request.GET.get("pagina", "")
    page = NewsletterPage.objects.filter(pk=page_id).first() if page_id.isdigit() else None
    if page is not None and may and page.permissions_for_user(request.user).can_edit():
        data["page_id"] = page.pk
        data["draft_url"] = reverse("newsletter_ai_draft", args=[page.pk])
        latest = page.get_latest_revision()
        record = AIDraft.objects.filter(page=page).order_by("-pk").first()
        if record is not None:
            data["review_url"] = reverse("newsletter_ai_review", args=[page.pk])
            if latest is not None and record.revision_id == latest.pk:
                data["subject_lines"] = record.subject_lines
                data["preheader"] = record.preheader
        job = _pending_job(page, request.user)
        if job is not None:
            data["job_url"] = reverse("drafting:job", args=[job.pk])
    if request.GET.get("nieuw", "").isdigit() and may:
        data["new_draft_url"] = reverse("newsletter_ai_draft_new", args=[int(request.GET["nieuw"])])
    return JsonResponse(data)


def _json_body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = None
    return body if isinstance(body, dict) else {}


def _error(message: str, status: int = 400, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


@require_POST
def rewrite(request):
    """Rewrite one block's text (rich text as contentstate, or a heading) and return a suggestion."""
    if not newsletter_drafting.may_draft(request.user):
        return _error(_("You may not use the AI editor."), 403)
    body = _json_body(request)
    action = body.get("action")
    if action not in REWRITE_ACTIONS:
        return _error(_("Choose what the AI editor should do with the text."))
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    converter = ContentstateConverter(RICH_TEXT_FEATURES)
    is_html = "contentstate" in body
    if is_html:
        try:
            contentstate = body["contentstate"]
            if not isinstance(contentstate, str):
                contentstate = json.dumps(contentstate)
            text = converter.to_database_format(contentstate)
        except Exception:  # noqa: BLE001 — any malformed editor state is the same mistake for the user
            return _error(_("The text could not be read. Please try again."))
    else:
        text = str(body.get("text", ""))
    if not newsletter_drafting.plain_text(text):
        return _error(_("There is no text to rewrite yet."))
    if len(text) > REWRITE_LIMIT:
        return _error(_("The text is too long to rewrite at once; split it into blocks."))
    try:
        result = newsletter_drafting.rewrite_text(
            user=request.user, action=action, text=text, is_html=is_html
        )
    except api.DraftingError as error:
        return _error(
            error.message,
            503 if error.retryable else 422,
            retryable=error.retryable,
            retry_after=error.retry_after,
        )
    answer = {
        "model": result.model,
        "template": result.template,
        "call_id": result.call_id,
        "prompt_version": result.prompt_version,
        "action": action,
    }
    if is_html:
        answer["html"] = result.data["text"]
        answer["contentstate"] = json.loads(converter.from_database_format(result.data["text"]))
    else:
        answer["text"] = newsletter_drafting.plain_text(result.data["text"])
    return JsonResponse(answer)


@require_POST
def rewrite_accepted(request):
    """The editor took a rewrite: remember its sentences as AI-written for the reviewer."""
    if not newsletter_drafting.may_draft(request.user):
        return _error(_("You may not use the AI editor."), 403)
    body = _json_body(request)
    page = NewsletterPage.objects.filter(pk=body.get("page_id") or 0).first()
    if page is None:
        return JsonResponse({"recorded": False})
    if not page.permissions_for_user(request.user).can_edit():
        return _error(_("You may not edit this newsletter."), 403)
    newsletter_drafting.record_rewrite(
        page=page,
        user=request.user,
        action=str(body.get("action", ""))[:20],
        text=str(body.get("html") or body.get("text") or "")[:REWRITE_LIMIT],
        heading=bool(body.get("heading")),
        model=str(body.get("model", ""))[:100],
        prompt_version=str(body.get("prompt_version", ""))[:40],
        call_id=body.get("call_id") if isinstance(body.get("call_id"), int) else None,
    )
    return JsonResponse({"recorded": True})


@require_POST
def alt_text(request, image_id: int):
    """Suggest alt text for an image (only where the model accepts images); save it when asked."""
    from wagtail.images import get_image_model
    from wagtail.images.permissions import permission_policy

    if not newsletter_drafting.may_draft(request.user) or not api.supports_images():
        return _error(_("Alt text suggestions are not available."), 403)
    image = get_object_or_404(get_image_model(), pk=image_id)
    if not permission_policy.user_has_permission_for_instance(request.user, "change", image):
        return _error(_("You may not change this image."), 403)
    body = _json_body(request)
    if "save" in body:
        alt = " ".join(str(body["save"]).split())[:255]
        if not alt:
            return _error(_("The alt text is empty."))
        newsletter_drafting.save_alt_text(image=image, alt=alt, user=request.user)
        return JsonResponse({"saved": True, "alt": alt})
    try:
        result = newsletter_drafting.suggest_alt_text(image=image, user=request.user)
    except api.DraftingError as error:
        return _error(error.message, 503 if error.retryable else 422, retryable=error.retryable)
    return JsonResponse({"alt": result.data["alt"], "model": result.model, "template": result.template})


@require_GET
def review(request, page_id: int):
    """The AI check of a newsletter for its writers and reviewers: marks, brief, sources, fact check."""
    from newsletter.views.compose import may_compose

    page = get_object_or_404(NewsletterPage, pk=page_id)
    if not may_compose(request.user, page):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "newsletter/drafting/review.html",
        {
            "page": page,
            "review": ai_review.review(page),
            "page_title": _("AI check of %(title)s") % {"title": page.title},
        },
    )


def ai_drafted(page) -> bool:
    return AIDraft.objects.filter(page=page).exists() or AIRewrite.objects.filter(page=page).exists()
