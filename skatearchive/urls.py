from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from seasons.sitemaps import SITEMAPS
from seasons.views import robots_txt

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("", include("seasons.urls")),
]

# With DEBUG off, a 404 offers the season list (templates/404.html).
handler404 = "seasons.views.page_not_found"
