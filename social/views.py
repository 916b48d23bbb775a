"""The social screens besides the post editor: drafting, the week calendar and posting by hand."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from social import channels, publishing, queries, services
from social.forms import DraftPostsForm, PlanForm, RecordPostedForm
from social.models import PostState, SocialPost

VIEW = "social.view_socialpost"
ADD = "social.add_socialpost"
CHANGE = "social.change_socialpost"


class PermissionRequired:
    permission = VIEW

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def edit_url(post) -> str:
    return reverse("social_posts:edit", args=[post.pk])


class CalendarView(PermissionRequired, WagtailAdminTemplateMixin, TemplateView):
    """All posts of one week by planned moment, with their state; filter by channel and state."""

    template_name = "social/calendar.html"
    page_title = gettext_lazy("Social media: week")
    header_icon = "date"

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        params = self.request.GET
        try:
            day = dt.date.fromisoformat(params.get("week", ""))
        except ValueError:
            day = timezone.localdate()
        channel = params.get("channel", "") if params.get("channel") in channels.RULES else ""
        state = params.get("state", "") if params.get("state") in PostState.values else ""
        week = queries.week(start=queries.week_start(day), channel=channel, state=state)
        return super().get_context_data(
            week=week,
            today=timezone.localdate(),
            channel=channel,
            state=state,
            channel_choices=channels.Channel.choices,
            state_choices=PostState.choices,
            can_add=self.request.user.has_perm(ADD),
            **kwargs,
        )


class DraftPostsView(PermissionRequired, WagtailAdminTemplateMixin, FormView):
    """ "Maak socialemediaberichten": asks the AI editor for one draft per channel, in the worker."""

    permission = ADD
    template_name = "social/draft_form.html"
    form_class = DraftPostsForm
    page_title = gettext_lazy("Make social media posts")
    header_icon = "edit"

    def get_breadcrumbs_items(self):
        return []

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["source_choices"] = queries.source_choices()
        return kwargs

    def get_context_data(self, **kwargs):
        from drafting import api

        return super().get_context_data(ai_available=api.is_available(), **kwargs)

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("page", "").isdigit():
            initial["source"] = f"page:{self.request.GET['page']}"
        elif self.request.GET.get("project", "").isdigit():
            initial["source"] = f"project:{self.request.GET['project']}"
        return initial

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # A source given by a button (e.g. on a newsletter) is offered even if not among the recent ones.
        initial = self.get_initial().get("source") or self.request.POST.get("source", "")
        if initial and initial not in {
            value for _g, group in form.fields["source"].choices[1:] for value, _l in group
        }:
            label = self._label_for(initial)
            if label:
                form.fields["source"].choices = [*form.fields["source"].choices, (initial, label)]
        return form

    def _label_for(self, value: str) -> str:
        from wagtail.models import Page

        from projects.models import Project

        kind, _sep, pk = value.partition(":")
        if not pk.isdigit():
            return ""
        model = Project if kind == "project" else Page
        found = model.objects.filter(pk=pk).first()
        return str(found) if found else ""

    def form_valid(self, form):
        from drafting import api
        from social.drafting import start_social_draft

        source = form.cleaned_data["source"]
        try:
            job = start_social_draft(
                user=self.request.user,
                channel_keys=form.cleaned_data["channels"],
                brief=form.cleaned_data["brief"],
                planned_at=form.cleaned_data["planned_at"],
                **source,
            )
        except api.DraftingError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        except ValueError as error:
            form.add_error("source", str(error))
            return self.form_invalid(form)
        return redirect("social:draft_result", job.pk)


class DraftResultView(PermissionRequired, WagtailAdminTemplateMixin, TemplateView):
    """Progress of a drafting job; when done, the posts it made. Refreshes itself until then."""

    permission = ADD
    template_name = "social/draft_result.html"
    page_title = gettext_lazy("Drafting social media posts")
    header_icon = "edit"

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        from drafting import api

        try:
            status = api.job_status(kwargs["job_id"], user=self.request.user)
        except api.DraftJob.DoesNotExist:
            raise Http404 from None  # someone else's job, or none at all
        post_ids = (status.get("result") or {}).get("post_ids") or []
        posts = list(SocialPost.objects.filter(pk__in=post_ids).order_by("pk"))
        return super().get_context_data(status=status, posts=posts, **kwargs)


class PostingView(PermissionRequired, WagtailAdminTemplateMixin, TemplateView):
    """Posting by hand: the approved text with a copy button, the planned moment, and the form to
    record the address where the post went live."""

    template_name = "social/posting.html"
    header_icon = "upload"

    def get_page_title(self):
        return _("Post: %(post)s") % {"post": self.social_post}

    def get_breadcrumbs_items(self):
        return []

    def dispatch(self, request, *args, **kwargs):
        self.social_post = get_object_or_404(
            SocialPost.objects.select_related("approved_by", "posted_by", "created_by"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        post = self.social_post
        publisher = publishing.publisher_for(post.channel)
        kwargs.setdefault("record_form", RecordPostedForm(initial={"posted_url": post.posted_url}))
        kwargs.setdefault(
            "plan_form",
            PlanForm(
                initial={"planned_at": timezone.localtime(post.planned_at) if post.planned_at else None}
            ),
        )
        return super().get_context_data(
            post=post,
            composed=post.composed,
            length=post.length,
            rule=channels.rule(post.channel),
            publisher=publisher,
            can_publish=publisher.can_publish(post),
            can_change=self.request.user.has_perm(CHANGE),
            has_unpublished_changes=post.has_unpublished_changes,
            edit_url=edit_url(post),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm(CHANGE):
            raise PermissionDenied
        post = self.social_post
        if "planned_at" in request.POST and "posted_url" not in request.POST:
            plan_form = PlanForm(request.POST)
            if plan_form.is_valid():
                services.plan_post(
                    post=post, planned_at=plan_form.cleaned_data["planned_at"], user=request.user
                )
                messages.success(request, _("The planned moment was saved."))
                return redirect("social:posting", post.pk)
            return self.render_to_response(self.get_context_data(plan_form=plan_form))
        record_form = RecordPostedForm(request.POST)
        if record_form.is_valid():
            try:
                publishing.publisher_for(post.channel).publish(
                    post, user=request.user, posted_url=record_form.cleaned_data["posted_url"]
                )
            except ValidationError as error:
                record_form.add_error("posted_url", error.messages[0])
            else:
                messages.success(request, _("Recorded as posted."))
                return redirect("social:posting", post.pk)
        return self.render_to_response(self.get_context_data(record_form=record_form))
