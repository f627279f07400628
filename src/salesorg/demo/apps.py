"""The demo generator as an app, so Django finds its `demo` management command."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "salesorg.demo"
    label = "demo"
