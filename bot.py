"""9+ Coach: `python bot.py COMMAND ...` is the same program as the `coach` console script."""

from coach.cli import main

if __name__ == "__main__":
    main()
