"""The Bootstrap-styled base of the targets forms, which marks invalid fields."""

from __future__ import annotations

from django import forms


class BootstrapForm(forms.Form):
    """A form whose widgets carry Bootstrap classes (and is-invalid once bound with errors)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            widget.attrs.setdefault("class", css)

    def add_service_errors(self, error) -> None:
        """Show a service's ValidationError on the fields it names (or on the form)."""
        for field, messages in getattr(error, "message_dict", {"__all__": error.messages}).items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)
        for name in self.errors:
            if name in self.fields:
                css = self.fields[name].widget.attrs.get("class", "")
                if "is-invalid" not in css:
                    self.fields[name].widget.attrs["class"] = f"{css} is-invalid".strip()
