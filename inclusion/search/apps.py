from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class SearchConfig(AppConfig):
    name = "inclusion.search"
    verbose_name = "Recherche"

    def ready(self):
        from inclusion.companies.models import Company, CompanyMembership, JobDescription
        from inclusion.prescribers.models import PrescriberOrganization
        from inclusion.search.page_cache import bump_version

        # What search results show: a change of one of these is seen at the next search (page_cache.py).
        for model in (Company, JobDescription, CompanyMembership, PrescriberOrganization):
            for event, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(bump_version, sender=model, dispatch_uid=f"search_version_{event}_{model.__name__}")
