"""The sitemap lists public pages only: it reads as the public through the gate."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from committee import gate, selectors
from committee.models import Committee


class StaticPages(Sitemap):
    def items(self):
        return ["committee:home", "committee:committee-list", "committee:calendar", "committee:accessibility"]

    def location(self, name):
        return reverse(name)


class CommitteePages(Sitemap):
    def items(self):
        return Committee.objects.filter(is_active=True).order_by("pk")


class MeetingPages(Sitemap):
    limit = 5000

    def items(self):
        return selectors.meeting_list().order_by("pk")


class ReportPages(Sitemap):
    limit = 5000

    def items(self):
        return selectors.reports_readable(gate.Reader.public()).order_by("pk")

    def lastmod(self, report):
        return report.updated_at


SITEMAPS = {"pages": StaticPages, "committees": CommitteePages, "meetings": MeetingPages, "reports": ReportPages}
