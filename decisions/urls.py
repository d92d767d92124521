from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("forward-plan/", views.forward_plan, name="forward-plan"),
    path("forward-plan.rss", views.ForwardPlanFeed(), name="forward-plan-rss"),
    path("forward-plan.ics", views.forward_plan_ics, name="forward-plan-ics"),
    path("forward-plan/<int:pk>/", views.plan_entry, name="plan-entry"),
    path("private-meetings/", views.private_notices, name="private-notices"),
    path("decisions/", views.decision_list, name="decision-list"),
    path("decisions/special-urgency/", views.special_urgency, name="special-urgency"),
    path("decisions/special-urgency/<slug:quarter>/", views.special_urgency_quarter, name="special-urgency-quarter"),
    path("decisions/special-urgency/<slug:quarter>.pdf", views.special_urgency_pdf, name="special-urgency-pdf"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision-detail"),
    path("decisions/<int:pk>/notice.pdf", views.decision_notice_pdf, name="decision-notice-pdf"),
]
