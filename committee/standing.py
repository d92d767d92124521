"""The council's standard wording of the items every agenda opens and closes with. The
first migration of standing items copies these into the StandingItem table, which officers
edit in the admin; while that table is empty (a flushed database) these are used."""

STANDARD_ITEMS = [
    ("apologies", "Apologies for Absence", ""),
    (
        "declarations",
        "Disclosure of Pecuniary and Non-Pecuniary Interests",
        "<p>Members are asked to consider any Pecuniary and Non-Pecuniary Interests they may have to disclose "
        "to the meeting in relation to matters under consideration on the Agenda.</p>",
    ),
    ("minutes", "Minutes of the Previous Meeting", ""),
    (
        "urgent_business",
        "Urgent Business",
        "<p>An item of Urgent Business may only be considered under this heading where, by reason of special "
        "circumstances to be recorded in the minutes, the Chairman of the meeting is of the opinion that the "
        "item should be considered at the meeting as a matter of urgency. Wherever possible, the Chief "
        "Executive should be given advance warning of any Members' intention to raise a matter under this "
        "heading.</p>",
    ),
    (
        "next_meeting",
        "Date of Next Meeting",
        "<p>The next meeting of the {committee} will be held on a date to be confirmed.</p>",
    ),
]
