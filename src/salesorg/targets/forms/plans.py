"""Forms of the planning pages: they collect input; the services in `services.plans` hold
the rules."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from salesorg.core.forms import StyledForm
from salesorg.customers.models import Customer
from salesorg.org.models import Region
from salesorg.targets.choices import HistoryBasis, Metric, Split
from salesorg.targets.history import parse_basis
from salesorg.targets.models import ResearchKind, ResearchNote
from salesorg.targets.units import MONTHS, Unit, cell_key


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _research_choices():
    return ResearchNote.objects.order_by("-observed_on", "-id")


class ResearchNoteForm(StyledForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ResearchKind.choices)
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200)
    competitor = forms.CharField(label=gettext_lazy("Competitor"), max_length=200, required=False)
    product = forms.CharField(label=gettext_lazy("Product"), max_length=200, required=False)
    price = forms.DecimalField(
        label=gettext_lazy("Price (yuan)"),
        max_digits=18,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    regions = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Regions"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    customer_codes = forms.CharField(
        label=gettext_lazy("Customers"),
        required=False,
        help_text=gettext_lazy("Customer codes, separated by commas."),
    )
    source = forms.CharField(label=gettext_lazy("Source"), max_length=200, required=False)
    observed_on = forms.DateField(label=gettext_lazy("Date"), widget=_date_input())
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, user, competitor_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if competitor_only:  # a rep records what competitors do at their customers
            self.fields["kind"].choices = [(ResearchKind.COMPETITOR, ResearchKind.COMPETITOR.label)]
        self.fields["regions"].queryset = Region.objects.visible_to(user).order_by("code")
        self.fields["observed_on"].initial = timezone.localdate()

    def clean_customer_codes(self) -> list[Customer]:
        codes = [code.strip() for code in self.cleaned_data["customer_codes"].split(",")]
        codes = [code for code in codes if code]
        found = {c.code: c for c in Customer.objects.visible_to(self.user).filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise forms.ValidationError(
                _("Unknown customer: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return [found[code] for code in codes]

    @staticmethod
    def initial_for(note: ResearchNote) -> dict:
        return {
            "kind": note.kind,
            "subject": note.subject,
            "competitor": note.competitor,
            "product": note.product,
            "price": note.price,
            "regions": list(note.regions.values_list("pk", flat=True)),
            "customer_codes": ", ".join(note.customers.values_list("code", flat=True)),
            "source": note.source,
            "observed_on": note.observed_on,
            "notes": note.notes,
        }


class CompanyGoalForm(StyledForm):
    year = forms.IntegerField(label=gettext_lazy("Fiscal year"), min_value=2000, max_value=2100)
    statement = forms.CharField(
        label=gettext_lazy("Statement"), widget=forms.Textarea(attrs={"rows": 3})
    )
    sales_goal = forms.DecimalField(
        label=gettext_lazy("Sales goal (yuan)"), max_digits=18, decimal_places=2, min_value=0
    )
    gross_margin_goal = forms.DecimalField(
        label=gettext_lazy("Gross margin goal (yuan)"),
        max_digits=18,
        decimal_places=2,
        min_value=0,
    )
    research_notes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Research notes cited"),
        queryset=ResearchNote.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["research_notes"].queryset = _research_choices().visible_to(user)


class SalesPlanForm(StyledForm):
    year = forms.IntegerField(label=gettext_lazy("Fiscal year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=pgettext_lazy("record heading", "Title"), max_length=200)
    strategy = forms.CharField(
        label=gettext_lazy("Strategy"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    research_notes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Research notes cited"),
        queryset=ResearchNote.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ideal_uplift = forms.DecimalField(
        label=gettext_lazy("Ideal target uplift (%)"),
        required=False,
        max_digits=6,
        decimal_places=2,
        min_value=0,
        max_value=1000,
        help_text=gettext_lazy(
            "Proposed ideal targets are the realistic ones raised by this percentage. "
            "Blank: last year's ideal-to-realistic ratio (10% when there is none)."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["research_notes"].queryset = _research_choices().visible_to(user)


class BasisChoiceMixin:
    """A `basis` field: which complete period of actuals (`targets.history.basis_options`,
    labelled with its months); cleaned to (kind, reference year)."""

    def _set_basis_choices(self, basis_choices: list[tuple[str, str]]) -> None:
        self.fields["basis"].choices = basis_choices

    def clean_basis(self) -> tuple[str, int | None]:
        value = self.cleaned_data.get("basis") or HistoryBasis.LAST_YEAR
        try:
            return parse_basis(value)
        except ValueError as error:
            raise forms.ValidationError(_("Choose a period of actuals.")) from error


class DecomposeForm(BasisChoiceMixin, StyledForm):
    months = forms.ChoiceField(
        label=gettext_lazy("Months"),
        choices=[
            (Split.HISTORY, gettext_lazy("By the seasonality of the actuals of")),
            (Split.EVEN, gettext_lazy("Evenly")),
            (Split.KEEP, gettext_lazy("Keep the months as they are")),
        ],
    )
    children = forms.ChoiceField(
        label=gettext_lazy("Units below"),
        choices=[
            (Split.HISTORY, gettext_lazy("By their share of the actuals of")),
            (Split.EVEN, gettext_lazy("Evenly")),
            (Split.KEEP, gettext_lazy("Keep their years as they are")),
        ],
    )
    basis = forms.ChoiceField(
        label=gettext_lazy("Actuals of"), required=False, initial=HistoryBasis.LAST_YEAR.value
    )

    def __init__(self, *args, basis_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self._set_basis_choices(basis_choices)


class ProposalForm(BasisChoiceMixin, StyledForm):
    metric = forms.ChoiceField(label=gettext_lazy("Metric"), choices=Metric.choices)
    growth = forms.DecimalField(
        label=gettext_lazy("Growth rate (%)"),
        max_digits=7,
        decimal_places=2,
        min_value=-99,
        max_value=1000,
        initial=Decimal("10"),
    )
    basis = forms.ChoiceField(
        label=gettext_lazy("Actuals of"), required=False, initial=HistoryBasis.LAST_YEAR.value
    )

    def __init__(self, *args, basis_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self._set_basis_choices(basis_choices)


def parse_decimal(text: str) -> Decimal | None:
    """A typed number (blank = None); thousands separators, spaces and ¥ are ignored."""
    cleaned = "".join(ch for ch in (text or "") if ch not in ",， \u00a0¥￥")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(cleaned) from error
    if not value.is_finite():
        raise ValueError(cleaned)
    return value


def parse_grid(
    data, *, units: list[Unit], months: tuple[int, ...] = (0, *MONTHS)
) -> tuple[dict, dict, dict]:
    """Read the grid's cells from POST data: fields `r-<unit>-<month>` (realistic) and
    `i-<unit>-<month>` (ideal). Returns (cells as Decimals, typed text, errors by cell)."""
    cells, typed, errors = {}, {}, {}
    for unit in units:
        for month in months:
            key = cell_key(unit, month)
            if f"r-{key}" not in data:
                continue
            texts = (data.get(f"r-{key}", "").strip(), data.get(f"i-{key}", "").strip())
            typed[(unit, month)] = texts
            try:
                cells[(unit, month)] = (parse_decimal(texts[0]), parse_decimal(texts[1]))
            except ValueError:
                errors[(unit, month)] = [_("Enter a number.")]
    return cells, typed, errors
