import factory

from inclusion.jobs.models import Appellation, Rome


class RomeFactory(factory.django.DjangoModelFactory):
    """K2204 by default; get_or_create because the session-wide reference data may hold the real row."""

    class Meta:
        model = Rome
        django_get_or_create = ["code"]

    code = "K2204"
    name = "Nettoyage de locaux"
    domain_code = "K22"
    domain_name = "Nettoyage et propreté"
    grand_domain_code = "K"
    grand_domain_name = "Services à la personne et à la collectivité"


class AppellationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appellation
        django_get_or_create = ["code"]

    code = "10571"
    name = "Agent / Agente de propreté de locaux"
    rome = factory.SubFactory(RomeFactory)
