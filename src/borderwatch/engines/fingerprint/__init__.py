"""Fingerprint engine: images in, templates out, 1:1 comparison and 1:N search. No Django here."""
