"""Procurement's exchange formats, imports and exports: the award preview document (docs/award-preview.md), the
national results replay, OCDS release packages and their review against the vendored schemas, the catalog import
columns."""
