from django.db import migrations, models

from inclusion.geo.text import commune_slug, normalize_name


def fill_names(apps, schema_editor):
    Commune = apps.get_model("geo", "Commune")
    communes = list(Commune.objects.select_related("department"))
    for commune in communes:
        commune.normalized_name = normalize_name(commune.name)
        commune.slug = commune_slug(commune.name, commune.department.code)
    Commune.objects.bulk_update(communes, ["normalized_name", "slug"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="commune",
            name="normalized_name",
            field=models.CharField(db_index=True, default="", max_length=100, verbose_name="nom normalisé"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="commune",
            name="slug",
            field=models.SlugField(db_index=False, max_length=110, null=True, verbose_name="slug"),
        ),
        migrations.RunPython(fill_names, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="commune",
            name="slug",
            field=models.SlugField(max_length=110, unique=True, verbose_name="slug"),
        ),
    ]
