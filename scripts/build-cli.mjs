// Placeholder removed once the CLI bundle exists; see bases/cli.
