"""salesorg set-password PERSON_CODE: read a password from stdin and enable that login."""

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from salesorg.org.models import Person
from salesorg.org.services import person_set_password


class Command(BaseCommand):
    help = "Enable a person's login (username = person code) with a password read from stdin."

    def add_arguments(self, parser):
        parser.add_argument("person_code")

    def handle(self, *args, person_code: str, **options):
        person = Person.objects.filter(code=person_code).first()
        if person is None:
            raise CommandError(f"No person with code {person_code!r}.")
        if sys.stdin.isatty():
            password = getpass.getpass("Password: ")
        else:
            password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("No password given on standard input.")
        try:
            person_set_password(person=person, password=password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Login enabled for {person.code} ({person.name}).")
