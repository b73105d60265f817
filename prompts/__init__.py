"""Every wording the bot sends, one folder per language (Jinja2 templates).

This folder stays at the top of the repository; the wheel ships it as the package
`coach.prompts` (see pyproject.toml), and `coach/render.py` reads it with importlib.resources.
"""
