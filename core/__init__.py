"""The platform's domain-free kernel: domain errors, request parameters, upload limits, the bulk COPY writer,
error pages, the API's error handler and parsers. It imports nothing of the apps (an import-linter contract in
``make test`` holds it to that); every app builds on it."""
