"""Who may change what in the year plan, down to the single project.

Group permissions (projects/migrations/0006) give the centre manager the whole year plan and the
board its reading and its answers. A project lead is whoever the project names as lead, in any
role: they change their own projects, and only those, without holding "change project".
"""

from wagtail.permission_policies.base import ModelPermissionPolicy

from projects.models import DecisionRequest, ProgressReport, Project

ANSWER = "projects.answer_decisionrequest"


def may_change_project(user, project: Project) -> bool:
    return user.has_perm("projects.change_project") or (
        user.is_active and project.lead_id is not None and project.lead_id == user.pk
    )


def leads_projects(user) -> bool:
    if not user.is_authenticated:
        return False
    cache = getattr(user, "_leads_projects", None)
    if cache is None:
        cache = user._leads_projects = Project.objects.filter(lead=user).exists()
    return cache


class ProjectPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, plus: a project's lead may change that project (and so open the editor)."""

    def user_has_permission(self, user, action):
        if action == "change" and user.is_active and leads_projects(user):
            return True
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "change":
            return may_change_project(user, instance)
        return super().user_has_permission_for_instance(user, action, instance)


class DecisionPermissionPolicy(ModelPermissionPolicy):
    """Decisions are asked from the project's editor; this screen only records the board's answer."""

    def user_has_permission(self, user, action):
        if action == "change":
            return user.has_perm(ANSWER)
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance: DecisionRequest):
        return self.user_has_permission(user, action)


class ReportPermissionPolicy(ModelPermissionPolicy):
    """A sent report is never changed or removed: it is what the board was told."""

    def user_has_permission(self, user, action):
        if action in ("change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def register() -> None:
    """Hand Wagtail the year plan's policies (from AppConfig.ready, before any screen asks)."""
    from wagtail.permissions import register_permission_policy

    register_permission_policy(Project, ProjectPermissionPolicy(Project))
    register_permission_policy(DecisionRequest, DecisionPermissionPolicy(DecisionRequest))
    register_permission_policy(ProgressReport, ReportPermissionPolicy(ProgressReport))
