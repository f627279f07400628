"""Forms shared by every app: the login form."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from salesorg.core.roles import has_left


class LoginForm(AuthenticationForm):
    """The login form, refusing people who have left the company."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if has_left(user):
            raise ValidationError(
                _("This login belongs to someone who has left the company."), code="left"
            )
