from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "inclusion.users"
    verbose_name = "Utilisateurs"
