"""The playground: Handoff tried in a browser without a Slack workspace.

``bot.playground.slack`` is the embedded imitation of Slack's Web API that the playground runs the real bot
against. The test suite drives the bot against the very same imitation, so what the tests trust is what a
person trying Handoff sees.
"""
