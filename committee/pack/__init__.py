"""The agenda pack: the meeting's papers rendered into one accessible PDF.

content.py   what goes in, read only through committee.gate (via committee.selectors)
render.py    WeasyPrint: papers rendered in parallel, cached by content hash (and pruned)
stamps.py    page numbers, Part II markings and item labels, drawn from a cached kit; and a
             continued table row's label, drawn by the renderer from a kit of its own
assemble.py  pikepdf: parts merged keeping their structure trees, page stamps, outline
services.py  builds as versions: request, claim, build, finish; never losing the last good pack
selectors.py what the meeting page, downloads and the admin read
"""
