"""The prepare stage: a raw file's published bytes turned into the text specs read.

One converter per media type (plaintext, htmlpage, pdfreport), each a deterministic
function of the bytes; csedata.prepare.dispatch picks it and caches its output.
"""
