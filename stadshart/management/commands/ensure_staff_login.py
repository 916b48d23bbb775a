import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from stadshart import roles

USERNAME = "beheerder"


class Command(BaseCommand):
    help = "Create the local administrator login once and print it (used by the README's run command)."

    def handle(self, *args, **options):
        login_file = settings.VAR_DIR / "staff-login.txt"
        User = get_user_model()
        user = User.objects.filter(username=USERNAME).first()
        if user is None or not login_file.exists():
            password = secrets.token_urlsafe(12)
            user = user or User(username=USERNAME, email=f"{USERNAME}@localhost", first_name="Beheerder")
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=roles.BEHEERDER))
            login_file.parent.mkdir(parents=True, exist_ok=True)
            login_file.write_text(password)
            login_file.chmod(0o600)
        password = login_file.read_text().strip()
        self.stdout.write(
            f"Staff login: {settings.SITE_URL}/admin/  username: {USERNAME}  password: {password}"
        )
        self.stdout.write(
            "Every staff login also asks for a code from an authenticator app (Aegis, FreeOTP, Google or\n"
            "Microsoft Authenticator, a password manager). The first login shows a QR code to scan, or a\n"
            "key to type into the app; keep the recovery codes shown after it. Lost them? Run\n"
            f"  manage.py reset_second_factor {USERNAME}"
        )
