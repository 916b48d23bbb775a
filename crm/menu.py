from wagtail.admin.menu import MenuItem


class PermissionMenuItem(MenuItem):
    """A menu entry shown only to staff who hold one permission."""

    def __init__(self, *args, permission: str, **kwargs):
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)
