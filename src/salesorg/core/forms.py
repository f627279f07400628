"""Forms shared by every app: the login form, the Bootstrap-styled base form and a money
field that reads and is typed as people write money."""

from decimal import Decimal, InvalidOperation

from django import forms
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


class StyledForm(forms.Form):
    """Adds Bootstrap classes to every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's ValidationError on the fields it names (others on top)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)


class GroupedMoneyInput(forms.TextInput):
    """A money amount shown with thousands separators (50,000.00); what was typed and
    refused is shown again as typed."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | int):
            return f"{Decimal(value):,.2f}"
        if isinstance(value, str):
            try:
                return f"{Decimal(value):,.2f}"
            except InvalidOperation:
                return value
        return super().format_value(value)


class MoneyFormField(forms.DecimalField):
    """A money amount typed with or without ¥ and thousands separators (¥60,000.50)."""

    widget = GroupedMoneyInput

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("¥", "").replace(",", "").replace("，", "").strip()
        return super().to_python(value)

    def widget_attrs(self, widget):
        return forms.Field.widget_attrs(self, widget)  # no number-input step/min/max
