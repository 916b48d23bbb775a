"""The year plan: its basic tasks and projects, each project with a traffic light and its history,
milestones, the partners involved and the decisions it asks of the board; and the progress reports
as they were sent to the board."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

MONEY = {"max_digits": 11, "decimal_places": 2}


class Status(models.TextChoices):
    """The board's traffic lights (see DOMAIN.md): the colour names are what staff say."""

    GREEN = "groen", _("Green: on schedule")
    ORANGE = "oranje", _("Orange: problems threaten")
    RED = "rood", _("Red: intervention needed")
    GREY = "grijs", _("Grey: finished and handed over")


class YearPlan(ClusterableModel):
    """What the centre organisation sets out to do in one year: basic tasks and projects."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    introduction = models.TextField(_("introduction"), max_length=4000, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("year plan")
        verbose_name_plural = _("year plans")

    def __str__(self):
        return str(self.year)


class BasicTask(models.Model):
    """The ongoing work every year plan carries besides its projects (basistaken)."""

    class Kind(models.TextChoices):
        CLEAN = "schoon", _("Clean")
        INTACT = "heel", _("Intact")
        SAFE = "veilig", _("Safe")
        PROMOTION = "promotie", _("Promotion")
        PARTNERSHIP = "samenwerking", _("The partnership itself")

    year_plan = ParentalKey(YearPlan, on_delete=models.CASCADE, related_name="basic_tasks")
    kind = models.CharField(_("basic task"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), max_length=2000)
    budget = models.DecimalField(_("budget (€)"), **MONEY, null=True, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_basic_tasks",
    )

    class Meta:
        ordering = ["year_plan", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["year_plan", "kind"], name="projects_one_basic_task_per_kind")
        ]
        verbose_name = _("basic task")
        verbose_name_plural = _("basic tasks")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.year_plan})"


class Project(ClusterableModel):
    """A project of the year plan, as reported to the board and, when public, shown on the portal."""

    name = models.CharField(_("name"), max_length=200)
    year_plan = models.ForeignKey(
        YearPlan, verbose_name=_("year plan"), on_delete=models.PROTECT, related_name="projects"
    )
    # The CRM's managed list of themes (the interests of DOMAIN.md), so projects and partners share
    # one vocabulary and a project can later be matched to the partners who care about its theme.
    theme = models.ForeignKey(
        "crm.Interest",
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("project lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_projects",
    )
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    goal = models.TextField(_("goal"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.GREEN)
    progress = models.TextField(
        _("progress"),
        max_length=4000,
        blank=True,
        help_text=_("Where the project stands now; the remark beside its light in the progress report."),
    )
    went_well = models.TextField(_("what went well"), max_length=2000, blank=True)
    risks = models.TextField(_("risks and points of attention"), max_length=2000, blank=True)
    budget_planned = models.DecimalField(_("planned budget (€)"), **MONEY, default=0)
    budget_spent = models.DecimalField(_("spent so far (€)"), **MONEY, default=0)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    organisations = ParentalManyToManyField(
        "crm.Organisation", verbose_name=_("organisations involved"), blank=True, related_name="projects"
    )
    is_public = models.BooleanField(
        _("shown on the portal"), default=False, help_text=_("Public projects are listed on the website.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-year_plan__year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget_planned__gte=0) & models.Q(budget_spent__gte=0),
                name="projects_budget_not_negative",
            ),
        ]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return f"{self.name} ({self.year})"

    @property
    def year(self) -> int:
        return self.year_plan.year

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end lies before the start.")})


class ProjectStatusChange(models.Model):
    """One change of a project's traffic light: from what, to what, why, by whom and when."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=Status.choices)
    note = models.TextField(_("remark"), max_length=1000, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed"), db_index=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.project.name}: {self.from_status or '-'} → {self.to_status}"


class Milestone(models.Model):
    """A dated step of a project; done or not."""

    project = ParentalKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("date"))
    is_done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title


class DecisionRequest(models.Model):
    """A decision a project asks of the board (gevraagd besluit), and the board's answer."""

    class Answer(models.TextChoices):
        AGREED = "akkoord", _("Agreed")
        REJECTED = "niet_akkoord", _("Not agreed")
        DEFERRED = "aangehouden", _("Held over")

    project = ParentalKey(Project, on_delete=models.CASCADE, related_name="decisions")
    question = models.TextField(_("question to the board"), max_length=2000)
    meeting_date = models.DateField(_("board meeting"))
    meeting_name = models.CharField(_("meeting"), max_length=200, blank=True)
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices, blank=True)
    answer_text = models.TextField(_("the board's explanation"), max_length=2000, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["meeting_date", "pk"]
        permissions = [("answer_decisionrequest", "Can record the board's answer")]
        verbose_name = _("requested decision")
        verbose_name_plural = _("requested decisions")

    def __str__(self):
        return self.question[:80]

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)


class ProgressReport(models.Model):
    """A progress report exactly as it was sent to the board: the board later reads what it was told."""

    period_start = models.DateField(_("start of the period"))
    period_end = models.DateField(_("end of the period"))
    title = models.CharField(_("report title"), max_length=200)
    # Everything the report said, frozen: the data (for the spreadsheet), the page and the PDF.
    data = models.JSONField(_("data"))
    html = models.TextField(_("report text"))
    pdf = models.BinaryField(_("PDF"))
    sent_at = models.DateTimeField(_("sent"), db_index=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self):
        return self.title
