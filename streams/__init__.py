"""The Faust side of newswire: app, topics, the agent, worker resources, metrics and CLI."""
