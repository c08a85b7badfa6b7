from django.contrib import admin
from django.urls import include, path

from seasons.views.data import robots_txt, sitemap

urlpatterns = [
    path("admin/", admin.site.urls),
    # On the request's host, not the Site record's domain (seasons.views.data.sitemap).
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("", include("seasons.urls")),
]

# With DEBUG off, a 404 offers the season list (templates/404.html).
handler404 = "seasons.views.pages.page_not_found"
