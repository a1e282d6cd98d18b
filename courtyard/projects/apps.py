from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "courtyard.projects"
    label = "projects"
