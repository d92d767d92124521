"""The officers' retention review: what is past its period, a confirmation page for each
removal (with the reason), and the record of every removal. Thin: retention.selectors reads,
retention.services removes."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from committee import services as committee_services
from committee.models import Meeting
from core.admin_helpers import service_page

from . import selectors, services
from .models import RetentionRemoval


@admin.register(RetentionRemoval)
class RetentionRemovalAdmin(admin.ModelAdmin):
    list_display = ["meeting_name", "kind", "retention_ended_on", "removed_at", "removed_by"]
    list_filter = ["kind"]
    readonly_fields = [
        "kind", "meeting", "meeting_name", "retention_ended_on", "removed", "removed_at", "removed_by", "reason",
    ]  # fmt: skip
    change_list_template = "admin/retention/retentionremoval/change_list.html"

    # Records are written by the removal only, and never changed or deleted.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return committee_services.may_publish(request.user)

    def has_module_permission(self, request):
        return committee_services.may_publish(request.user)

    def get_urls(self):
        own = [
            path("review/", self.admin_site.admin_view(self.review_view), name="retention_review"),
            path(
                "remove/<int:meeting_id>/<str:kind>/",
                self.admin_site.admin_view(self.remove_view),
                name="retention_remove",
            ),
        ]
        return own + super().get_urls()

    def review_view(self, request):
        if not committee_services.may_publish(request.user):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Papers past their retention period",
            "due": selectors.due_for_review(),
        }
        return TemplateResponse(request, "admin/retention/retentionremoval/review.html", context)

    def remove_view(self, request, meeting_id, kind):
        if not committee_services.may_publish(request.user) or kind not in RetentionRemoval.Kind.values:
            raise PermissionDenied
        meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=meeting_id)
        reason = request.POST.get("reason", "")

        def remove():
            services.papers_remove(meeting=meeting, kind=kind, by=request.user, reason=reason)
            done = f"Removed: {RetentionRemoval.Kind(kind).label.split(' (')[0].lower()} of {meeting}. The record is below."
            return done, reverse("admin:retention_retentionremoval_changelist")

        return service_page(
            self,
            request,
            ready=request.method == "POST",
            obj=meeting,
            action="Remove at the end of retention",
            run=remove,
            template="admin/retention/retentionremoval/remove.html",
            context={"due": selectors.due_for(meeting, kind), "kind": RetentionRemoval.Kind(kind), "reason": reason},
        )
