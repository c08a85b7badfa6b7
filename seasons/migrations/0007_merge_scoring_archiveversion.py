"""Joins two migrations written in parallel; neither changes what the other does."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("seasons", "0003_scoring"),
        ("seasons", "0006_archiveversion"),
    ]

    operations = []
