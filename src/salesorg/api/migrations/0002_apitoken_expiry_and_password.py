"""API tokens expire and end with their user's password: existing tokens get a full term from
the upgrade and the fingerprint of their user's current password."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def fill_existing(apps, schema_editor):
    ApiToken = apps.get_model("api", "ApiToken")
    expires_at = timezone.now() + timedelta(days=getattr(settings, "SALESORG_TOKEN_DAYS", 30))
    for token in ApiToken.objects.select_related("user"):
        token.password_fingerprint = hashlib.sha256(token.user.password.encode()).hexdigest()
        token.expires_at = expires_at
        token.save(update_fields=["password_fingerprint", "expires_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="password_fingerprint",
            field=models.CharField(default="", max_length=64, verbose_name="password fingerprint"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires at"),
        ),
        migrations.RunPython(fill_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires at"),
        ),
    ]
