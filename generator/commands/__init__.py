"""The commands of `roadmap`, one module per group; `generator.cli` puts them together."""
