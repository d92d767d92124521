"""Whole public pages kept in Django's cache for anonymous readers, made new by every change
to public content (docs/caching.md)."""
