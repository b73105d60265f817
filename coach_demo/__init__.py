"""`coach demo`: the bot driven through the local Slack stand-in, the way Slack would drive it.

`week.py` plays the demo week; `driver.py` is the glue (signed requests into the app, scheduler
passes at chosen instants) that the demo, the coaching tests and the benchmarks share.
"""
