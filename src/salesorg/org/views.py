"""Pages of the organization: the org tree, people, teams and regions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from salesorg.core.exports import csv_download
from salesorg.core.roles import Role
from salesorg.core.views import ScopedDetailView
from salesorg.org import selectors
from salesorg.org.models import Person, Region, Team

PAGE_SIZE = 50


@login_required
def org_tree(request: HttpRequest) -> HttpResponse:
    """Regions → teams → current members, as far as the user may see."""
    return render(request, "org/tree.html", {"tree": selectors.org_tree(user=request.user)})


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    """People in scope: search, filter by role, sort, paginate, export what is on screen."""
    search = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    sort = request.GET.get("sort", "code")
    people = selectors.person_list(user=request.user, search=search, role=role, sort=sort)
    if request.GET.get("format") == "csv":
        return _people_csv(people)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "search": search,
        "role": role,
        "sort": sort,
        "roles": Role.choices,
    }
    htmx = request.htmx  # type: ignore[attr-defined]  # set by django-htmx's middleware
    template = "org/_people_table.html" if htmx else "org/person_list.html"
    return render(request, template, context)


def _people_csv(people) -> HttpResponse:
    response, writer = csv_download("people.csv")
    writer.writerow(
        [_("Code"), _("Name"), _("Role"), _("Manager"), _("Hire date"), _("Leave date")]
    )
    for person in people:
        writer.writerow(
            [
                person.code,
                person.name,
                person.get_role_display(),
                person.manager.code if person.manager else "",
                person.hire_date.isoformat(),
                person.leave_date.isoformat() if person.leave_date else "",
            ]
        )
    return response


class PersonDetail(ScopedDetailView):
    """A person's page: role, manager, position duties, team history, reports."""

    model = Person
    template_name = "org/person_detail.html"
    context_object_name = "person"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        context.update(
            current_team=selectors.person_current_team(person=person),
            memberships=selectors.person_memberships(person=person),
            reports=selectors.person_reports(user=self.request.user, person=person),
        )
        return context


class TeamDetail(ScopedDetailView):
    """A team's page: manager, current members and membership history."""

    model = Team
    template_name = "org/team_detail.html"
    context_object_name = "team"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            members=selectors.team_members(user=self.request.user, team=self.object),
            memberships=selectors.team_memberships(user=self.request.user, team=self.object),
        )
        return context


class RegionDetail(ScopedDetailView):
    """A region's page: head and teams with their head count."""

    model = Region
    template_name = "org/region_detail.html"
    context_object_name = "region"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["teams"] = selectors.region_teams(user=self.request.user, region=self.object)
        return context
