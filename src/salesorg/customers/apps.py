from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from salesorg.core.registry import register_home_part
from salesorg.core.reminders import reminder_modules
from salesorg.core.roles import SALES_FORCE


class CustomersConfig(AppConfig):
    name = "salesorg.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from salesorg.customers import menu
        from salesorg.customers.jobs import jobs_register
        from salesorg.customers.sales_rules import sales_rules_register
        from salesorg.customers.services import (  # noqa: F401  (registration)
            credit,  # its stored credit reasons
            customers,  # its stored follow-up texts
            surveys,  # its stored low-answer follow-up texts
        )

        sales_rules_register()  # credit holds, lifecycle and visit surveys on sales writes
        menu.menu_register()
        reminder_modules("salesorg.customers.reminders")  # imported on first use
        jobs_register()  # the daily lifecycle and evaluation runs of `salesorg scheduler`
        register_home_part(
            position=25, roles=SALES_FORCE, build="salesorg.customers.home.home_context"
        )
