from django.shortcuts import render

from .models import Season


def home(request):
    seasons = Season.objects.newest_first().with_meets()
    return render(request, "seasons/home.html", {"seasons": seasons})
