from django.urls import path

from . import feeds, views

app_name = "committee"

urlpatterns = [
    path("", views.home, name="home"),
    path("committees/", views.committee_list, name="committee-list"),
    path("committees/<slug:slug>/", views.committee_detail, name="committee-detail"),
    path("committees/<slug:slug>/meetings.ics", feeds.calendar_committee, name="committee-ics"),
    path("committees/<slug:slug>/papers.rss", feeds.PapersFeed(), name="committee-rss"),
    path("committees/<slug:slug>/papers.atom", feeds.PapersAtomFeed(), name="committee-atom"),
    path("councillors/", views.member_list, name="member-list"),
    path("councillors/<slug:slug>/", views.member_detail, name="member-detail"),
    path("your-meetings/", views.your_meetings, name="your-meetings"),
    path("meetings/", views.meeting_calendar, name="calendar"),
    path("meetings.ics", feeds.calendar_all, name="calendar-ics"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/meeting.ics", feeds.calendar_meeting, name="meeting-ics"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("documents/<int:pk>/", views.appendix_document, name="appendix-document"),
    path("documents/<int:pk>/original/", views.appendix_original, name="appendix-original"),
    path("papers.rss", feeds.PapersFeed(), name="papers-rss"),
    path("papers.atom", feeds.PapersAtomFeed(), name="papers-atom"),
    path("search/", views.search, name="search"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
]
