"""Models of the customers app: customers and contacts/stakeholders (base), lifecycle,
rewards, referrals and satisfaction (care), evaluation and credit (credit), development
proposals and pipeline (pipeline)."""

from salesorg.customers.models.base import Contact, ContactQuerySet, Customer, CustomerQuerySet
from salesorg.customers.models.care import *  # noqa: F403
from salesorg.customers.models.credit import *  # noqa: F403
from salesorg.customers.models.pipeline import *  # noqa: F403

__all__ = ["Contact", "ContactQuerySet", "Customer", "CustomerQuerySet"]
