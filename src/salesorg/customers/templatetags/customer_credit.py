"""Template tags of the customer page's credit panel (rating, score, factors, history)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def customer_credit(context, customer) -> dict:
    """The latest evaluations of a customer in the viewer's scope, and what the viewer may do
    (three queries)."""
    from salesorg.customers.evaluation import can_reevaluate
    from salesorg.customers.models import CustomerEvaluation, RootCause
    from salesorg.customers.views_credit import factor_rows

    user = context["request"].user
    history = list(
        CustomerEvaluation.objects.visible_to(user)
        .filter(customer=customer)
        .order_by("-as_of")[:12]
    )
    latest = history[0] if history else None
    return {
        "latest": latest,
        "history": history,
        "factors": factor_rows(latest) if latest else [],
        "can_reevaluate": can_reevaluate(user, customer),
        "open_cause": RootCause.objects.visible_to(user)
        .filter(customer=customer)
        .unresolved()
        .first(),
    }
