"""Sample principles catalogues and their schema's documentation (README.md).

This folder stays at the top of the repository; the wheel ships it as the package
`coach.catalogues` (see pyproject.toml), so `coach demo` finds its sample when installed.
"""
