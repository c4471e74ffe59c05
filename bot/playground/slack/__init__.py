"""An imitation of Slack's Web API, served over real HTTP on loopback.

It answers the bot's own slack_sdk client as Slack would (checked against Slack's method reference in
``slack_api_ref/``), enforces Block Kit limits, signs requests to the bot as Slack signs them, and keeps
what it was sent so a person (the playground) or a test can read it back. ``fake_slack.FakeSlack`` is the
entry point.
"""
