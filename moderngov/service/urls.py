"""ModernGov's web service address, in any case: IIS does not mind "mgwebservice.asmx", and
clients written against it use both. (Each letter is a class with the usual case first, so
that the address reverses to "mgWebService.asmx"; an inline (?i) flag cannot be reversed.)"""

import re

from django.urls import re_path

from . import views

SERVICE = "".join(f"[{c}{c.swapcase()}]" if c.isalpha() else re.escape(c) for c in "mgWebService.asmx")

app_name = "mgwebservice"

urlpatterns = [
    re_path(rf"^{SERVICE}/?$", views.endpoint, name="service"),
    re_path(rf"^{SERVICE}/(?P<name>[A-Za-z0-9_]+)/?$", views.call, name="method"),
]
