import os

from django.core.wsgi import get_wsgi_application

from skatearchive.serving import refuse_the_public_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skatearchive.settings")

refuse_the_public_key()
application = get_wsgi_application()
