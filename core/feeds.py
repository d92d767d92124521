"""RSS and Atom feeds that any stored text can go into.

XML 1.0 cannot carry most control characters (a vertical tab pasted from a word processor, a
form feed), and Django's feed writer refuses the whole feed with an error for one of them in
one title. Officers type the titles and summaries feeds print, so a feed drops those
characters, which no reader could see anyway, instead of failing for everyone."""

import re

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed

# What XML 1.0 cannot carry (tab, line feed and carriage return it can).
NOT_IN_XML = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]")


def xml_text(value):
    """`value` without the characters XML 1.0 cannot carry (anything that is not text as it is)."""
    if isinstance(value, str):
        return NOT_IN_XML.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(xml_text(each) for each in value)
    return value


def xml_safe(feed_type):
    """The feed writer `feed_type`, given every text without what XML cannot carry."""

    class XmlSafe(feed_type):
        def __init__(self, *args, **kwargs):
            super().__init__(*map(xml_text, args), **{name: xml_text(v) for name, v in kwargs.items()})

        def add_item(self, *args, **kwargs):
            super().add_item(*map(xml_text, args), **{name: xml_text(v) for name, v in kwargs.items()})

    XmlSafe.__name__ = feed_type.__name__
    return XmlSafe


class SafeFeed(Feed):
    """A feed whose texts (titles, descriptions, categories) may hold anything an officer typed."""

    feed_type = xml_safe(Rss201rev2Feed)
