"""The benchmark commands (``manage.py bench_*``, docs/performance.md): a development-only app, installed by the
settings only in debug mode, that generates data at the scale an issue names and drives the platform through its
public services and HTTP, as a user would."""
