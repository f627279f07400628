"""The decision chain of a customer (S18): decision makers, influencers, supporters and
opponents, each with the history of their role, attitude and influence (phone-friendly)."""

from __future__ import annotations

from salesorg.core.views import ScopedDetailView
from salesorg.customers.models import Contact, Customer
from salesorg.customers.selectors.stakeholders import decision_chain
from salesorg.sales.permissions import can_write


class DecisionChainDetail(ScopedDetailView):
    """A customer's decision chain with each stakeholder's history and the chain's warnings."""

    model = Customer
    template_name = "customers/decision_chain.html"
    context_object_name = "customer"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["chain"] = decision_chain(user=user, customer=self.object)
        context["can_add_contact"] = can_write(user, Contact(customer=self.object))
        return context
